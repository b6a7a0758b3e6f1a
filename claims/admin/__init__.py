"""The Django admin: the fact-checkers' work queues, the claim and article pages, and
the workflow actions (which all call `claims.workflow`).

claims.py    the claim list (queues, filters, priority), the claim page, workflow views
articles.py  the article page with its claims highlighted
others.py    read-only registrations for the corpus, evidence, flags, log; feeds; archives
alerts.py    each user's own alert preferences and alerts
metrics.py   the Metrics page, the CSV export action, following claims (on the claim admin)
publishing.py  sign-off views, the rating scale, published fact-checks and their feeds
users.py     users: what an editor may grant (the fact-checker and reviewer roles, no more)
tokens.py    API tokens: names, holders, expiry (never a key); revoked here, never made
"""

from django.contrib import admin

from claims.admin import (  # noqa: F401 (registers the ModelAdmins)
    alerts,
    articles,
    claims,
    others,
    publishing,
    tokens,
    users,
)

admin.site.site_header = "Fact-check workflow"
admin.site.site_title = "Fact-check"
admin.site.index_title = "Work queues and records"
# The index adds the queue links and queue health above the app list.
admin.site.index_template = "claims/admin_index.html"
