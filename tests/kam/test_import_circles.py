"""No import circle between the modules of one app, read from the code's own imports.

Inside an app the dependency runs one way: views and tasks call services and selectors,
services write and selectors read, models import nothing above them. Work a service wants done
later is announced with a signal that the tasks module answers, so a service never imports the
task that calls it back.

Imports inside functions count as well: moving an import into a function only hides a circle
from Python's import machinery, it does not break it. `if TYPE_CHECKING:` blocks do not count
(they never run). Circles between apps are tests/test_architecture.py's business.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
NOT_APPS = {"tests", "bench", "node_modules", "static", "locale", "templates"}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted name -> file, for every module of every app (migrations left out)."""
    modules = {}
    for init in sorted(root.glob("*/__init__.py")):
        app = init.parent
        if app.name in NOT_APPS or app.name.startswith("."):
            continue
        for path in app.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            # makemessages (the catalogue test, in another worker) writes "page.html.py" files
            # beside the templates while it reads them.
            if "migrations" in parts or "templates" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST):
    """Every import statement in the tree, however deep, except under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking_only(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def import_graph(modules: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module -> {module of the same app it imports: first line}."""

    def known(name: str) -> str | None:
        # `from .services import plan_submit` is services; `from .views import meetings` is
        # the submodule views.meetings.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = defaultdict(dict)
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        app = module.split(".", 1)[0]
        for node in _imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                found = known(target)
                if found and found != module and found.split(".", 1)[0] == app:
                    graph[module].setdefault(found, node.lineno)
    return graph


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, {}):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def describe(group: list[str], graph, modules) -> str:
    lines = [" <-> ".join(group)]
    for module in group:
        for target, line in sorted(graph[module].items()):
            if target in group:
                where = modules[module].relative_to(ROOT)
                lines.append(f"    {where}:{line} imports {target}")
    return "\n".join(lines)


def test_the_walk_sees_the_project():
    modules = project_modules()
    assert {"accounts.models", "planning.services", "rhythm.tasks"} <= set(modules)
    graph = import_graph(modules)
    assert "accounts.models" in graph["accounts.permissions"]
    assert "rhythm.services" in graph["rhythm.tasks"]


def test_no_import_circle_inside_an_app():
    modules = project_modules()
    graph = import_graph(modules)
    found = circles(graph)
    assert not found, (
        "modules of one app import each other (make the dependency run one way: reads in "
        "selectors, writes in services, tasks call services, a signal for work a service "
        "wants done later):\n" + "\n".join(describe(group, graph, modules) for group in found)
    )


def test_a_circle_hidden_in_a_function_is_caught(tmp_path):
    app = tmp_path / "shop"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text("from . import permissions\n")
    (app / "permissions.py").write_text("from .models import Basket\n")
    (app / "services.py").write_text("def order_place():\n    from .tasks import send\n")
    (app / "tasks.py").write_text("from .services import order_place\n")
    (app / "selectors.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .views import basket_page\n"
    )
    (app / "views.py").write_text("from .selectors import basket\n")
    modules = project_modules(tmp_path)
    assert circles(import_graph(modules)) == [
        ["shop.models", "shop.permissions"],
        ["shop.services", "shop.tasks"],
    ]
