"""The layers and their rules (ARCHITECTURE.md), checked on the source itself.

Imports are read with `ast`, function-level imports included, so a cycle hidden inside a
function is still a cycle. The rules:

1. `analysis` imports nothing from the project (and neither Django nor Celery).
2. The domain (`claims`, but not its entry points) imports only itself, `analysis` and
   `factcheck.queue`, never `workers`.
3. Worker services import the domain and `analysis`, never `workers.tasks`, `claims.api`
   or `claims.admin`.
4. `workers.tasks` is imported by nothing but `workers.apps` (and tests and `bench/`).
5. Entry points (API, admin, commands) call services and never call Celery directly.
6. No `_name` crosses a module boundary.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("factcheck", "analysis", "claims", "workers")
ENTRY_POINTS = (
    "claims.api",
    "claims.admin",
    "claims.templatetags",
    "claims.management",
    "workers.management",
)
# Modules that may be longer than the rest: the hardened HTTP client is one concern.
MAX_LINES = 700
LONG_ALLOWED = {"workers.fetching"}


@dataclass
class Module:
    name: str
    path: Path
    imports: set[str] = field(default_factory=set)  # project modules it imports
    externals: set[str] = field(default_factory=set)  # top-level names of other packages
    private: list[str] = field(default_factory=list)  # "_name" taken from another module
    celery_calls: list[str] = field(default_factory=list)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project() -> dict[str, Module]:
    paths = [
        p
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("*.py")
        if "migrations" not in p.parts and "__pycache__" not in p.parts
    ]
    mods = {_module_name(p): Module(_module_name(p), p) for p in paths}

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    for mod in mods.values():
        tree = ast.parse(mod.path.read_text(encoding="utf-8"))
        package = mod.name if mod.path.name == "__init__.py" else mod.name.rpartition(".")[0]
        aliases: dict[str, str] = {}  # local name -> project module
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    if top not in PACKAGES:
                        mod.externals.add(top)
                        continue
                    target = resolve(alias.name)
                    if target and target != mod.name:
                        mod.imports.add(target)
                        aliases[alias.asname or top] = target if alias.asname else top
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                if base.split(".")[0] not in PACKAGES:
                    mod.externals.add(base.split(".")[0])
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    target = resolve(full) if full in mods else resolve(base)
                    if target and target != mod.name:
                        mod.imports.add(target)
                        if full in mods:
                            aliases[alias.asname or alias.name] = full
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        mod.private.append(f"from {base} import {alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                mod.private.append(f"{aliases[node.value.id]}.{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr in ("delay", "apply_async"):
                mod.celery_calls.append(f"line {node.lineno}: .{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr == "send_task":
                mod.celery_calls.append(f"line {node.lineno}: .send_task")
    return mods


def _in(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _is_domain(name: str) -> bool:
    return _in(name, "claims") and not _in(name, *ENTRY_POINTS)


def _is_worker_service(name: str) -> bool:
    return _in(name, "workers") and not _in(name, "workers.tasks", "workers.apps", *ENTRY_POINTS)


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    mods = project()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in mods[v].imports:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(mods):
        if v not in index:
            visit(v)
    return found


def test_the_project_has_no_import_cycle():
    assert cycles() == []


def test_analysis_imports_nothing_from_the_project_nor_django_or_celery():
    for mod in project().values():
        if _in(mod.name, "analysis"):
            assert all(_in(i, "analysis") for i in mod.imports), (mod.name, mod.imports)
            assert not mod.externals & {"django", "celery", "kombu", "rest_framework"}, mod.name


def test_the_domain_imports_only_itself_analysis_and_the_queue_helper():
    for mod in project().values():
        if _is_domain(mod.name):
            bad = {
                i
                for i in mod.imports
                if not (_is_domain(i) or _in(i, "analysis") or i == "factcheck.queue")
                and i != "factcheck.celery"  # what factcheck.queue itself stands on
            }
            assert not bad, f"{mod.name} imports {sorted(bad)}"


def test_worker_services_never_import_tasks_or_entry_points():
    for mod in project().values():
        if _is_worker_service(mod.name):
            bad = {i for i in mod.imports if _in(i, "workers.tasks", *ENTRY_POINTS)}
            assert not bad, f"{mod.name} imports {sorted(bad)}"


def test_only_the_app_registry_imports_the_tasks():
    importers = {m.name for m in project().values() if "workers.tasks" in m.imports}
    assert importers == {"workers.apps"}


def test_entry_points_and_services_never_call_celery_directly():
    for mod in project().values():
        if mod.name in ("factcheck.queue", "workers.tasks"):
            continue
        assert not mod.celery_calls, f"{mod.name}: {mod.celery_calls}"
        if _in(mod.name, *ENTRY_POINTS) or _is_domain(mod.name):
            assert "celery" not in mod.externals, mod.name


def test_no_private_name_crosses_a_module_boundary():
    offenders = {m.name: m.private for m in project().values() if m.private}
    assert offenders == {}


@pytest.mark.parametrize("name", sorted(project()))
def test_no_module_is_a_god_module(name):
    if name in LONG_ALLOWED:
        return
    lines = project()[name].path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by concern"


def test_every_task_name_is_registered_and_every_task_is_named():
    """In eager mode an unregistered name would go to the memory broker and never run."""
    from django.conf import settings

    from factcheck import queue
    from factcheck.celery import app

    ours = {name for name in app.tasks if name.startswith("workers.")}
    assert set(queue.TASK_NAMES) == ours
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled | set(settings.CELERY_TASK_ROUTES) <= set(queue.TASK_NAMES)


def test_an_unknown_task_name_fails_loudly():
    from celery.exceptions import NotRegistered

    from factcheck import queue

    with pytest.raises(NotRegistered):
        queue.later("workers.tasks.no_such_task", 1)
