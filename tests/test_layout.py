"""The floors of the house (docs/architecture.md): a lower floor never imports a higher one.

From the ground up: the kernel (``enforcement``: courts, users, roles, audit, errors, the outbox, API
helpers) ← the clock (``deadlines``) ← ``cases`` ← ``funds`` and ``credit`` (siblings, which do not
import each other) ← the rooms that read everything: supervision, case documents, demo data, URL
wiring and the benchmark tooling. A lower floor that needs to hear from a higher one offers a hook
(``cases.services.on_case_lifecycle``, ``cases.ports``, ``cases.rules.close_guard``) that the higher
floor registers on in its ``AppConfig.ready``.

The test reads every import statement (module level and inside functions) with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parent.parent
APPS = ("enforcement", "deadlines", "cases", "funds", "credit")
FLOORS = {"enforcement": 0, "deadlines": 1, "cases": 2, "funds": 3, "credit": 3}
TOP = 4
# The rooms that read every floor. A module is in one if its dotted name is, or starts with, one of these.
TOP_ROOMS = (
    "deadlines.supervision",
    "enforcement.documents",
    "enforcement.demo",
    "enforcement.urls",
    "enforcement.web_urls",
    "enforcement.management.commands.loaddemo",
    "deadlines.management.commands.refresh_dashboard_stats",  # supervision's command (Django finds
    # commands only in an app's own management/commands)
)
TOOLING = ".management.commands.bench_"  # benchmarks build data across every floor


def floor_of(module: str) -> int | None:
    if any(module == room or module.startswith(room + ".") for room in TOP_ROOMS) or TOOLING in module:
        return TOP
    return FLOORS.get(module.split(".")[0])


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in ``source``, relative ones resolved."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # ``from pkg import submodule`` imports the submodule too
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    mine = floor_of(module)
    if mine is None or mine == TOP:
        return []
    out = []
    for line, target in imported_modules(source, module, is_package):
        theirs = floor_of(target)
        if theirs is None or target.split(".")[0] == module.split(".")[0] and theirs != TOP:
            continue  # third-party, or the same app's own floor
        if theirs > mine or (theirs == mine and target.split(".")[0] != module.split(".")[0]):
            out.append(f"{module}:{line} imports {target} (floor {theirs} over floor {mine})")
    return out


def project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path, module_name(path)


def test_no_lower_floor_imports_a_higher_one():
    found = []
    for path, module in project_modules():
        found += violations(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("module", "source"), [
    ("deadlines.scan", "from cases.models import Case\n"),                     # the clock reading cases
    ("deadlines.services", "def f():\n    from funds import ledger\n"),         # hidden in a function
    ("enforcement.audit", "import credit.models\n"),                          # the kernel reaching up
    ("cases.property.rules", "from funds.selectors import case_paid_total\n"),  # cases reading money
    ("funds.ledger", "from credit.models import Sanction\n"),                 # siblings
    ("deadlines.api", "from .supervision import dashboard\n"),                # the clock into its top room
    ("enforcement.notifications", "from . import demo\n"),                     # relative, into demo
])
def test_a_wrong_import_is_caught(module, source):
    assert violations(source, module) != []


@pytest.mark.parametrize(("module", "source"), [
    ("cases.services", "from deadlines.services import deadlines_on_event\n"),
    ("funds.services.receipts", "from ..models import Receipt\nfrom cases.models import Case\n"),
    ("deadlines.supervision.dashboard", "from funds.models import Receipt\n"),
    ("enforcement.documents.render", "from credit.models import Sanction\n"),
])
def test_a_downward_import_is_allowed(module, source):
    assert violations(source, module) == []


def test_the_rule_table_in_docs_is_generated_from_the_rule_data():
    from deadlines.ruletable import render

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/rules.md is stale: run `python manage.py rule_table --write`"


def tasks_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Imports of a Celery ``tasks`` module from anything but another tasks module. Services reach the
    worker through the outbox (``enforcement.outbox``, by topic), never by importing a task: that is
    what kept ``credit.services ↔ credit.tasks`` and ``enforcement.notifications ↔ enforcement.tasks``
    in a circle (issue 11)."""
    if module.rpartition(".")[2] == "tasks":
        return []
    return [f"{module}:{line} imports {target}" for line, target in imported_modules(source, module, is_package)
            if target.rpartition(".")[2] == "tasks" and floor_of(target) is not None]


def test_only_tasks_modules_import_tasks_modules():
    found = []
    for path, module in project_modules():
        found += tasks_imports(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("module", "source"), [
    ("credit.services", "def f():\n    from .tasks import deliver_platform_messages\n"),
    ("enforcement.notifications", "from .tasks import deliver_notifications\n"),
])
def test_a_service_importing_a_task_is_caught(module, source):
    assert tasks_imports(source, module) != []
