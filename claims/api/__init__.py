"""The reviewers' REST API (Django REST framework), split by resource.

auth (tokens), articles, claims (list/detail, workflow actions, ClaimReview), comments,
suggestions, sources, feeds, webhooks; errors (the one error shape, body limits),
permissions (roles -> actions), filters (strict query parameters, claim filters),
shapes (response shapes for the OpenAPI schema). URLs in claims/api/urls.py.
"""
