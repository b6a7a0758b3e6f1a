"""Seen-before search reads only the passages of articles: a partial index for them.

Linking a claim to the same claim in earlier articles searched every passage and then
looked up each candidate's source to keep the articles: on the benchmark corpus that was
as dear as the evidence search itself, though articles are a small part of the corpus.
Passages now carry their source's kind (copied at indexing; a kind never changes), and
PostgreSQL gets a GIN index over article passages alone, which that search uses. SQLite
filters the kind after its FTS5 search, as before; adding a column there rebuilds the
table, which drops the triggers that keep the FTS5 index in step (migration 0002), so
they are made again and the index rebuilt from the table.
"""

import importlib

from django.db import migrations, models

INDEX = "claims_passage_article_search_gin"


def forward(apps, schema_editor):
    schema_editor.execute(
        "UPDATE claims_passage SET source_kind = 'article' WHERE source_id IN "
        "(SELECT id FROM claims_source WHERE kind = 'article')"
    )
    if schema_editor.connection.vendor == "sqlite":
        fts = importlib.import_module("claims.migrations.0002_passage_search_index")
        for sql in fts.SQLITE_FORWARD:
            if sql.startswith("CREATE TRIGGER"):
                schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
        schema_editor.execute(
            "INSERT INTO claims_passage_fts(claims_passage_fts) VALUES ('rebuild')"
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON claims_passage USING GIN (search) "
            "WITH (fastupdate = off) WHERE source_kind = 'article'"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_feed_poll_interval_bounds")]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="source_kind",
            field=models.CharField(
                choices=[("article", "Article under check"), ("source", "Source document")],
                db_default="source",
                editable=False,
                max_length=16,
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
