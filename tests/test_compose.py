"""docker-compose.yml cannot run here (no Docker engine): check it names only real things."""

from __future__ import annotations

import importlib
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _commands(service: dict) -> list[list[str]]:
    cmd = service.get("command")
    if cmd is None:
        return []
    argv = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
    if argv[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in argv[2].split("&&")]
    return [argv]


def test_compose_runs_the_production_shape():
    assert {"web", "worker", "beat", "redis", "postgres"} <= set(SERVICES)
    assert any("-Q" in c and "fetch" in c for s in SERVICES.values() for c in _commands(s))


# Services built from this project run its commands; image services (redis, postgres)
# run their image's own.
@pytest.mark.parametrize(
    "name", [n for n, s in SERVICES.items() if s.get("command") and "build" in s]
)
def test_every_command_in_compose_exists_in_the_project(name):
    for argv in _commands(SERVICES[name]):
        exe = argv[0]
        if exe == "python":
            assert argv[1] == "manage.py" and (ROOT / "manage.py").exists()
            assert argv[2] in get_commands(), f"no management command {argv[2]}"
        elif exe == "gunicorn":
            assert shutil.which("gunicorn") or (ROOT / ".venv/bin/gunicorn").exists()
            module, _, attr = argv[1].partition(":")
            assert hasattr(importlib.import_module(module), attr)
        elif exe == "celery":
            assert shutil.which("celery") or (ROOT / ".venv/bin/celery").exists()
            app = argv[argv.index("-A") + 1]
            assert hasattr(importlib.import_module(app), "celery_app")
            if "-Q" in argv:
                from django.conf import settings

                queues = set(argv[argv.index("-Q") + 1].split(","))
                routed = {r["queue"] for r in settings.CELERY_TASK_ROUTES.values()} | {
                    settings.CELERY_TASK_DEFAULT_QUEUE
                }
                assert queues <= routed, (
                    f"{name} consumes queues no task is routed to: {queues - routed}"
                )
        else:
            pytest.fail(f"{name}: unknown executable {exe}")


def test_build_context_has_a_dockerfile_copying_the_project():
    import tomllib

    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = {line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ")}
    # Every package the project installs is copied into the image, and nothing else is
    # missing that the image runs.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    for part in (*packages, "manage.py", "pyproject.toml"):
        assert part in copied, f"the Dockerfile does not copy {part}"
        assert (ROOT / part).exists()


def test_image_services_have_healthchecks_the_app_waits_for():
    for name in ("redis", "postgres"):
        assert "healthcheck" in SERVICES[name]
    for service in SERVICES.values():
        if "build" in service:
            assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
            assert service["depends_on"]["redis"]["condition"] == "service_healthy"
