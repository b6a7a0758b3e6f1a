"""Finer, fresher statistics on the passage tsvector, so search can tell common terms from rare.

workers.corpus reads pg_stats.most_common_elems to find terms too common to select
candidates. The default statistics target only tracks lexemes above ~0.2% of passages,
too coarse once the corpus has millions of passages; and autovacuum re-analyzes only
after 10% of the table changed, so a burst of articles on one story would make its words
common long before the statistics said so. SQLite: nothing to do.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE claims_passage ALTER COLUMN search SET STATISTICS 1000")
        schema_editor.execute(
            "ALTER TABLE claims_passage SET (autovacuum_analyze_scale_factor = 0.01, "
            "autovacuum_analyze_threshold = 2000)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE claims_passage ALTER COLUMN search SET STATISTICS -1")
        schema_editor.execute(
            "ALTER TABLE claims_passage RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)"
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_claim_similar")]

    operations = [migrations.RunPython(forward, backward)]
