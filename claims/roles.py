"""The three roles and their permissions; the migration that creates the groups uses this."""

FACT_CHECKERS = "fact-checkers"
REVIEWERS = "reviewers"
EDITORS = "editors"

_READ = [
    "view_article",
    "view_claim",
    "view_evidence",
    "view_flag",
    "view_comment",
    "view_suggestion",
    "view_transition",
    "view_source",
    "view_passage",
    "view_feed",
    "view_sourcerequest",
    "view_rating",
    "view_ruling",
    "view_factcheck",
    "view_factcheckmatch",
    "view_factcheckfeed",
]
_REVIEW = [*_READ, "add_comment", "add_suggestion", "suggest_verdict", "add_sourcerequest"]
_CHECK = [
    *_REVIEW,
    "add_article",
    "add_source",
    "change_claim",
    "rule_claim",
    "assign_claim",
    "reopen_claim",
    "dismiss_claim",
    "change_flag",
    "resolve_flag",
    "add_feed",
    "change_feed",
    "delete_feed",
    "view_webhook",
    "add_webhook",
    "change_webhook",
    "delete_webhook",
    "view_webhookdelivery",
    "add_factcheck",
    "add_factcheckfeed",
    "change_factcheckfeed",
    "delete_factcheckfeed",
]

# codenames per group, all in the claims app except the auth ones for editors
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    REVIEWERS: [("claims", c) for c in _REVIEW],
    FACT_CHECKERS: [("claims", c) for c in _CHECK],
    EDITORS: [("claims", c) for c in _CHECK]
    + [("claims", c) for c in ("change_article", "delete_comment", "change_source")]
    # The newsroom's rating scale is the editors' to change.
    + [("claims", c) for c in ("add_rating", "change_rating")]
    # API tokens in the admin: seen (never their keys) and revoked, for the users editors manage.
    + [("claims", c) for c in ("view_apitoken", "delete_apitoken")]
    + [("auth", c) for c in ("view_user", "add_user", "change_user", "view_group")],
}


def ensure_roles(Group=None, Permission=None) -> None:
    """Create the groups and grant their permissions; idempotent.

    The migrations call it with historical models; seed_demo and tests call it plainly
    (a flushed test database loses the migration's rows). A migration grants what exists
    at its point in history (permissions of models added later come with the migration
    that adds them, which calls this again); called plainly, every one must exist.
    """
    historical = Group is not None and Permission is not None
    if not historical:
        from django.contrib.auth.models import Group, Permission  # noqa: N806
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, codename in perms:
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None and not historical:
                raise Permission.DoesNotExist(f"no permission {app_label}.{codename}")
            if found is not None:
                wanted.append(found)
        group.permissions.add(*wanted)
