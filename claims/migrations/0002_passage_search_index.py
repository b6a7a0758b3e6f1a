"""The full-text index over passages, per database vendor.

PostgreSQL: a stored generated tsvector column with a GIN index, so search uses the
index and never recomputes vectors. SQLite: an FTS5 external-content table (the text is
stored once, in claims_passage) kept in step by triggers.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE claims_passage ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "CREATE INDEX claims_passage_search_gin ON claims_passage USING GIN (search)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS claims_passage_search_gin",
    "ALTER TABLE claims_passage DROP COLUMN IF EXISTS search",
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE claims_passage_fts USING fts5("
    "text, content='claims_passage', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER claims_passage_fts_ai AFTER INSERT ON claims_passage BEGIN "
    "INSERT INTO claims_passage_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claims_passage_fts_ad AFTER DELETE ON claims_passage BEGIN "
    "INSERT INTO claims_passage_fts(claims_passage_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claims_passage_fts_au AFTER UPDATE ON claims_passage BEGIN "
    "INSERT INTO claims_passage_fts(claims_passage_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO claims_passage_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS claims_passage_fts_au",
    "DROP TRIGGER IF EXISTS claims_passage_fts_ad",
    "DROP TRIGGER IF EXISTS claims_passage_fts_ai",
    "DROP TABLE IF EXISTS claims_passage_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No full-text index for database {schema_editor.connection.vendor}; "
                "use PostgreSQL or SQLite."
            )
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
