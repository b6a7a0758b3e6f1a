"""Claim.priority: the worst open flag's severity, stored, so the work queues sort on an index.

The admin queue used to compute it per claim with a correlated subquery over the flags
(a scan of every open claim at each page view). From here on the code that raises and
resolves flags keeps it current (claims.models.refresh_priority); this migration fills it
for the claims there are, then builds the indexes the queues and their counts use.
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce

# FLAG_SEVERITY as it stands at this migration (a kind not listed counts 1).
SEVERITY = {
    "contradicted": 5,
    "later_update": 4,
    "numeric_discrepancy": 4,
    "internal_inconsistency": 4,
    "unconfirmed": 3,
    "single_origin": 2,
    "anonymous_source": 2,
    "vague_attribution": 2,
    "no_evidence": 1,
}


def backfill(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Flag = apps.get_model("claims", "Flag")
    severity = models.Case(
        *[models.When(kind=kind, then=models.Value(sev)) for kind, sev in SEVERITY.items()],
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    open_flags = Flag.objects.filter(claim=models.OuterRef("pk"), resolved_at__isnull=True)
    worst = (
        open_flags.order_by().values("claim").annotate(worst=models.Max(severity)).values("worst")
    )
    # Claims without an open flag keep the default 0.
    Claim.objects.filter(models.Exists(open_flags)).update(
        priority=Coalesce(
            models.Subquery(worst, output_field=models.IntegerField()), models.Value(0)
        )
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_perf_search_stats")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="priority",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("state__in", ["extracted", "corroborating"])),
                fields=["-priority", "-checkworthiness", "created_at", "id"],
                name="claim_open_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["-priority", "-checkworthiness", "created_at", "id"],
                name="claim_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("reopened", True)), fields=["state"], name="claim_reopened_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["ruled_at", "state"], name="claim_ruled_at_idx"),
        ),
    ]
