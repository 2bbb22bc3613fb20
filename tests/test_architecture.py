"""The dependency direction, read from the code's own imports.

A later stage reads an earlier one; an earlier stage never imports a later one (it announces
events with signals). Cross-cutting apps read the stages and no stage imports them. Nothing
imports the top (`kam/`). No app reaches into another app's private (`_name`) names.

A new import that breaks one of these rules fails here with the file, the line and the rule, so
the picture in the README's architecture section stays true.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: each app may import the apps before it in this list, never those after it.
LAYERS = [
    "common",
    "accounts",
    "notifications",
    "strategy",
    "discovery",
    "opportunities",
    "planning",
    "outcomes",
    "delivery",
]
# Read every stage; no stage imports them. The value lists the other cross-cutting apps each one
# may read, with the reason.
CROSS_CUTTING = {
    "organisation": set(),
    # The satisfaction column reads the customer's joint reviews.
    "portfolio": {"workspace"},
    # History and restore cover the job specifications, which organisation owns.
    "audit": {"organisation"},
    # The job runs page also runs integrations' periodic work (overdue actions, webhook retries).
    "rhythm": {"integrations"},
    # Webhooks and CRM exchange: listen to the stages' signals, write through their services.
    "integrations": set(),
    # The REST API: the stages' forms, services and selectors for other systems.
    "api": set(),
    # The customer workspace: the customer's view of the stages (plan, actions, meetings).
    "workspace": set(),
}
TOP = "kam"
# Django's documented API that starts with an underscore.
DJANGO_PUBLIC_UNDERSCORE = {"_meta"}
APPS = [*LAYERS, *CROSS_CUTTING, TOP]


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str  # dotted module imported from, e.g. "planning.services"
    names: tuple[str, ...]  # names taken from it ("" for a plain `import x`)

    @property
    def app(self) -> str:
        return self.module.split(".", 1)[0]

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def app_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def project_files() -> list[Path]:
    return sorted(
        path
        for app in APPS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        # makemessages (the catalogue test, maybe running at the same time in another
        # worker) writes each template's text to a passing "page.html.py" beside it.
        and "templates" not in path.parts
    )


def imports_in(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(path, node.lineno, alias.name, ("",)))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = tuple(alias.name for alias in node.names)
            found.append(Import(path, node.lineno, node.module, names))
    return [imp for imp in found if imp.app in APPS]


def private_attribute_uses(path: Path) -> list[str]:
    """`permissions._roles` where `permissions` is another app's module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    own = app_of(path)
    foreign_aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".", 1)[0] in APPS and node.module.split(".", 1)[0] != own:
                foreign_aliases.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".", 1)[0] in APPS and alias.name.split(".", 1)[0] != own:
                    foreign_aliases.add(alias.asname or alias.name.split(".", 1)[0])
    uses = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in foreign_aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in DJANGO_PUBLIC_UNDERSCORE
        ):
            uses.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    return uses


def allowed(importer: str, imported: str) -> bool:
    if importer == imported or importer == TOP:
        return True
    if imported == TOP:
        return False
    if importer in LAYERS:
        return imported in LAYERS and LAYERS.index(imported) < LAYERS.index(importer)
    # A cross-cutting app reads every stage and the cross-cutting apps it names.
    return imported in LAYERS or imported in CROSS_CUTTING[importer]


ALL_IMPORTS = [imp for path in project_files() for imp in imports_in(path)]


def test_the_walk_sees_the_project():
    assert len(project_files()) > 100
    assert {imp.app for imp in ALL_IMPORTS} >= {"accounts", "planning"}


@pytest.mark.parametrize("app", [a for a in APPS if (ROOT / a).is_dir()])
def test_imports_follow_the_dependency_direction(app):
    wrong = [
        f"{imp.where()} imports {imp.module}"
        for imp in ALL_IMPORTS
        if app_of(imp.path) == app and not allowed(app, imp.app)
    ]
    assert not wrong, f"{app} may not import these (see tests/test_architecture.py):\n" + (
        "\n".join(wrong)
    )


def test_no_app_imports_another_apps_private_names():
    wrong = [
        f"{imp.where()} imports {name} from {imp.module}"
        for imp in ALL_IMPORTS
        if imp.app != app_of(imp.path)
        for name in imp.names
        if name.startswith("_") and not name.startswith("__")
    ]
    wrong += [use for path in project_files() for use in private_attribute_uses(path)]
    assert not wrong, "make a public service instead:\n" + "\n".join(wrong)


# The house style's size: a module that passes it is split into a package by topic
# (`strategy/services/scoring.py`, ...), its public names gathered in the package's __init__.
MODULE_LINES_LIMIT = 800


def test_no_module_passes_the_size_at_which_it_is_split_by_topic():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in project_files()
        if (lines := len(path.read_text().splitlines())) > MODULE_LINES_LIMIT
    ]
    assert not long, (
        f"split these into a package by topic (past {MODULE_LINES_LIMIT} lines):\n"
        + "\n".join(long)
    )


def test_the_shared_library_imports_no_app():
    wrong = [
        f"{imp.where()} imports {imp.module}"
        for imp in ALL_IMPORTS
        if app_of(imp.path) == "common" and imp.app != "common"
    ]
    assert not wrong, "\n".join(wrong)


def test_every_app_is_placed_in_the_picture():
    """A new app must be given its place here (and in the README) before it can be imported."""
    from django.apps import apps

    project_apps = {
        config.name
        for config in apps.get_app_configs()
        if (ROOT / config.name.split(".")[0]).is_dir() and config.name.split(".")[0] != "tests"
    }
    assert project_apps <= set(APPS), project_apps - set(APPS)


def test_the_rules_catch_a_back_arrow():
    assert not allowed("accounts", "strategy")
    assert not allowed("planning", "delivery")
    assert not allowed("discovery", "portfolio")
    assert not allowed("audit", TOP)
    assert allowed("delivery", "planning")
    assert allowed("rhythm", "delivery")
    assert allowed(TOP, "rhythm")
