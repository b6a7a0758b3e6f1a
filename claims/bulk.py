"""Many rows' fields in one UPDATE, cheaply.

Django's `bulk_update` writes `SET f = CASE WHEN id = 1 THEN ... WHEN id = 2 ...` for
every field: building and compiling those expressions cost the workers more than the
statement itself (measured: about 60 ms of an article's corroboration for two updates of
11 claims). On PostgreSQL this writes `UPDATE ... FROM (VALUES ...)` instead, with each
value prepared by its field exactly as `save()` would (JSON, dates, foreign keys) and
cast to the column's type. Like `bulk_update`, it sends no signals and calls no
`pre_save` (an `auto_now` field is written only if named). Other databases use
`bulk_update`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def update_rows(model: type[models.Model], objs: Sequence[models.Model], fields: list[str]) -> int:
    """Write `fields` of each of `objs` (saved instances of `model`); returns rows updated."""
    objs = [o for o in objs if o.pk is not None]
    if not objs or not fields:
        return 0
    db = router.db_for_write(model)
    connection = connections[db]
    if connection.vendor != "postgresql":
        return model._default_manager.using(db).bulk_update(objs, fields)
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    pk = meta.pk
    columns = [pk, *concrete]
    quote = connection.ops.quote_name
    casts = [f"%s::{field.cast_db_type(connection)}" for field in columns]
    row_sql = "(" + ", ".join(casts) + ")"
    params: list = []
    for obj in objs:
        params.append(pk.get_db_prep_save(obj.pk, connection))
        params += [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
    names = ", ".join(quote(f.column) for f in columns)
    sets = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in concrete)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {sets} "
        f"FROM (VALUES {', '.join([row_sql] * len(objs))}) AS v({names}) "
        f"WHERE t.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
