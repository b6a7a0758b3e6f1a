"""The default rating scale (the two verdicts the service always had), the earlier
rulings as version 1 of each claim's history, and the new permissions for the roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims.roles import ensure_roles

# As ClaimReview showed them before the scale existed: Verified 5, Disputed 1.
DEFAULT_SCALE = [
    ("verified", "Verified", "verified", 5, "Supported by independent evidence."),
    ("disputed", "Disputed", "disputed", 1, "Contradicted, or the evidence does not hold it up."),
]


def forwards(apps, schema_editor):
    backfill_rulings(apps, install_default_scale(apps))
    # The new models' permissions exist only after migrate; create them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def install_default_scale(apps) -> dict:
    """The two ratings, by verdict (idempotent)."""
    Rating = apps.get_model("claims", "Rating")
    by_verdict = {}
    for slug, label, verdict, value, description in DEFAULT_SCALE:
        rating, _ = Rating.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "verdict": verdict,
                "value": value,
                "description": description,
                "is_default": True,
                "active": True,
            },
        )
        by_verdict[verdict] = rating
    return by_verdict


def backfill_rulings(apps, by_verdict: dict) -> int:
    Ruling = apps.get_model("claims", "Ruling")
    Claim = apps.get_model("claims", "Claim")
    done = 0
    # Every claim ruled so far (still ruled, or reopened since) gets its ruling as version
    # 1, published when it was ruled; those still ruled point at it (their ClaimReview).
    ruled = Claim.objects.filter(ruled_at__isnull=False).exclude(
        pk__in=Ruling.objects.values("claim_id")
    )
    Transition = apps.get_model("claims", "Transition")
    for claim in ruled.iterator(chunk_size=2000):
        verdict = claim.state if claim.state in by_verdict else None
        # Reopened since: the verdict it had is the last ruling in its transition log.
        was = verdict or (
            Transition.objects.filter(claim_id=claim.pk, to_state__in=list(by_verdict))
            .order_by("-created_at", "-id")
            .values_list("to_state", flat=True)
            .first()
        )
        rating = by_verdict[was or "verified"]
        ruling = Ruling.objects.create(
            claim_id=claim.pk,
            number=1,
            status="published",
            rating=rating,
            verdict=rating.verdict,
            rating_label=rating.label,
            rating_value=rating.value,
            rationale=claim.rationale or "(no rationale recorded)",
            proposed_by_id=claim.ruled_by_id,
            created_at=claim.ruled_at,
            published_at=claim.ruled_at,
        )
        if verdict:
            Claim.objects.filter(pk=claim.pk).update(ruling=ruling)
        done += 1
    return done


def backwards(apps, schema_editor):
    apps.get_model("claims", "Claim").objects.update(ruling=None)
    apps.get_model("claims", "Ruling").objects.all().delete()
    apps.get_model("claims", "Rating").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_publish_ratings_rulings_factchecks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
