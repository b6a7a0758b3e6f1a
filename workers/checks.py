"""System checks: the learned models load, or the process says which file is wrong.

Runs with every management command that checks (`runserver`, `migrate`, `check`); the
Celery worker processes and gunicorn load the models at start as well (factcheck.celery,
factcheck.wsgi), so a missing or damaged model file stops a deployment at once instead
of failing the first article.
"""

from __future__ import annotations

from django.core import checks

from analysis.models import ModelFileError, check_models


@checks.register()
def models_load(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        check_models()
    except ModelFileError as exc:
        return [
            checks.Error(
                str(exc),
                hint="Rebuild it with `make train` (needs ../shared/datasets) or restore it "
                "from the repository (analysis/models/data/).",
                id="factcheck.E001",
            )
        ]
    return []
