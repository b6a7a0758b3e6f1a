"""API tokens stored as digests (claims.ApiToken, django-rest-knox), and DRF's tokens
carried over.

DRF's `authtoken_token` table held each key as issued. Knox looks a token up by its
first 15 characters and compares the SHA-512 of the whole key, which works for a
40-character DRF key as well as for its own 64, so each old key is imported as its
digest: existing scripts keep working, the key is no longer stored, and the imported
token expires after FACTCHECK_API_TOKEN_TTL_DAYS like a new one. Then the old table is
dropped (and the records of its app, which is no longer installed). There is no way
back: the reverse drops the new table and cannot bring a key back.
"""

from datetime import UTC, timedelta

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from django.conf import settings
from django.db import migrations, models

from claims.roles import ensure_roles

LEGACY_TABLE = "authtoken_token"
LEGACY_NAME = "imported DRF token"


def as_aware(value):
    """A timestamp read by raw SQL: aware on PostgreSQL, naive UTC (or text) on SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def import_drf_tokens(apps, schema_editor) -> int:
    """Each DRF token as an ApiToken with the same key; drop the old table. The count."""
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return 0
    ApiToken = apps.get_model("claims", "ApiToken")
    quoted = schema_editor.quote_name(LEGACY_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {quoted}")
        rows = cursor.fetchall()
    expiry = timezone.now() + timedelta(days=settings.FACTCHECK_API_TOKEN_TTL_DAYS)
    for key, user_id, created in rows:
        token = ApiToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
            name=LEGACY_NAME,
        )
        token.save()
        # `created` is auto_now_add; the token was issued when DRF issued it.
        ApiToken.objects.filter(pk=token.pk).update(created=as_aware(created) or token.created)
    schema_editor.execute(f"DROP TABLE {quoted}")
    # rest_framework.authtoken is no longer installed: forget its migrations (so adding it
    # back would create its table again) and its content types (their permissions go too).
    MigrationRecorder(connection).migration_qs.filter(app="authtoken").delete()
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()
    return len(rows)


def grant_token_permissions(apps, schema_editor):
    # The new model's permissions exist only after migrate; create them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def forwards(apps, schema_editor):
    import_drf_tokens(apps, schema_editor)
    grant_token_permissions(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_passage_source_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("token_key", models.CharField(db_index=True, max_length=25)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("expiry", models.DateTimeField(blank=True, null=True)),
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("digest", models.CharField(max_length=128, unique=True)),
                ("name", models.CharField(blank=True, max_length=100)),
                ("last_used", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="auth_token_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "ordering": ["-created", "-id"],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
