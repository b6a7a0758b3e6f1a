"""The Celery app, configured from Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

from factcheck.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Celery's Django fixup closes every database connection before and after every task
# unless DB_REUSE_MAX is set: a new PostgreSQL backend per task, which cost more than a
# whole corroboration's queries. Reuse connections instead, the way Django's request
# cycle does: close_old_connections() drops one that broke or outlived CONN_MAX_AGE.
app.conf.CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=1)


@task_prerun.connect
@task_postrun.connect
def _recycle_db_connections(task=None, **kwargs):
    if task is not None and getattr(task.request, "is_eager", False):
        return  # in-process (tests, the embedded default): the caller owns the connection
    from django.db import close_old_connections

    close_old_connections()


@task_postrun.connect
def _flush_stage_times(**kwargs):
    # The benchmark's per-stage CPU (FACTCHECK_STAGE_TIMES; a no-op otherwise).
    from factcheck import stagetimes

    stagetimes.flush()


@worker_process_init.connect
def _load_models(**kwargs):
    # Every pool process loads the learned models before its first task: a missing or
    # damaged model file fails the worker at start, naming the file (ModelFileError).
    from analysis.models import check_models

    check_models()
