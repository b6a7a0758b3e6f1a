"""Evidence search reads the passage index directly: no GIN pending list (PostgreSQL).

With `fastupdate` on (PostgreSQL's default), new passages go to an unsorted pending list
that every search scans in full until a VACUUM (or 4 MB of them) merges it into the
index. Every article the service checks adds its own ~25 passages, so between vacuums each
evidence search paid for the whole backlog: measured on the benchmark corpus, a search
whose rare terms select 31 passages spent 7 ms scanning a pending list of 17,000 entries.
With `fastupdate` off an insert updates the index at once (a little dearer), and the
search cost no longer depends on when autovacuum last ran. SQLite: nothing to do.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX claims_passage_search_gin SET (fastupdate = off)")
        # Merge what is pending now; later inserts go straight into the index.
        schema_editor.execute("SELECT gin_clean_pending_list('claims_passage_search_gin')")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX claims_passage_search_gin RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_perf_api_list_indexes")]

    operations = [migrations.RunPython(forward, backward)]
