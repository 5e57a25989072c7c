"""The apps stand in one order and a lower app never imports a higher one (see
``ipex.core.registry`` for how a higher app hands a lower one what it needs)."""

from __future__ import annotations

import ast
from pathlib import Path

import ipex

ORDER = [
    "core",
    "directory",
    "legislation",
    "campaigns",
    "seizures",
    "cases",
    "compliance",
    "tips",
    "assistance",
    "border",
    "cooperation",
    "federation",
    "portal",
]
SRC = Path(ipex.__file__).parent


def imports_between_apps(root: Path) -> list[tuple[str, int, str, str]]:
    """Every import of one app by another under ``root``: (file, line, from app, to app).
    Imports inside functions count as much as those at the top of a module."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or "migrations" in parts:
            continue  # settings, urls, wsgi: the project itself, above every app
        here = parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if bits[0] == "ipex" and len(bits) > 1 and bits[1] != here:
                    found.append((str(path.relative_to(root)), node.lineno, here, bits[1]))
    return found


def module_graph(root: Path) -> dict[str, set[str]]:
    """Module → the ipex modules it imports (at the top or inside functions)."""
    names = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(["ipex", *parts])] = path
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                wanted = [f"{base}.{alias.name}" for alias in node.names] + [base]
            elif isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            else:
                continue
            for target in wanted:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
                    break
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def upward(imports) -> list[str]:
    rank = {app: i for i, app in enumerate(ORDER)}
    return [
        f"{file}:{line}: {src} imports {dst}"
        for file, line, src, dst in imports
        if src in rank and rank.get(dst, len(ORDER)) > rank[src]
    ]


def test_every_package_of_ipex_is_an_app_in_the_order():
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"templatetags"} <= set(ORDER), packages - set(ORDER)


def test_no_app_imports_a_higher_one():
    assert upward(imports_between_apps(SRC)) == []


def test_an_upward_import_is_found(tmp_path):
    """The check itself: cases may import the directory, but not tips, even inside a function."""
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "__init__.py").write_text("")
    (tmp_path / "cases" / "views.py").write_text(
        "from ipex.directory.models import Node\n\n"
        "def case_page():\n    from ipex.tips.models import Tip\n"
    )
    assert upward(imports_between_apps(tmp_path)) == ["cases/views.py:4: cases imports tips"]


def test_no_module_imports_itself_in_a_loop():
    """Not between apps, nor inside one (imports inside functions count: a loop hidden in a
    function is still a loop)."""
    assert cycles(module_graph(SRC)) == []


def test_a_loop_is_found(tmp_path):
    (tmp_path / "federation").mkdir()
    (tmp_path / "federation" / "__init__.py").write_text("")
    (tmp_path / "federation" / "sync.py").write_text("from ipex.federation import tasks\n")
    (tmp_path / "federation" / "tasks.py").write_text(
        "def pull():\n    from ipex.federation.sync import sync_partner\n"
    )
    assert cycles(module_graph(tmp_path)) == [["ipex.federation.sync", "ipex.federation.tasks"]]


def hidden_imports(root: Path) -> list[str]:
    """Imports made inside a function without a comment saying why (on the line or the line
    above): of ipex modules, and of Python's own and installed packages alike.
    ``AppConfig.ready()`` is exempt: the app registry is being built there, and importing
    models at the top of apps.py is not allowed."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for function in ast.walk(ast.parse(text)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name == "ready":
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom):
                    name = "." * node.level + (node.module or "")
                elif isinstance(node, ast.Import):
                    name = node.names[0].name
                else:
                    continue
                line = lines[node.lineno - 1]
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                if "#" not in line and not above.startswith("#"):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {name}")
    return sorted(set(found))


def test_imports_are_at_the_top_unless_a_comment_says_why():
    """With no loop between modules (above), an import inside a function hides nothing it
    needs to: the few left say why (a process that runs without Django, a large package only
    one export uses)."""
    assert hidden_imports(SRC) == []


def test_a_hidden_import_is_found(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "views.py").write_text(
        "def case_page():\n"
        "    from ipex.cases.models import Case\n"
        "    import csv\n"
        "    # the worker process has no Django: imported only when used\n"
        "    from ipex.cases import search\n"
        "\n"
        "class CasesConfig:\n"
        "    def ready(self):\n"
        "        from ipex.cases import federation\n"
    )
    assert hidden_imports(tmp_path) == [
        "cases/views.py:2: ipex.cases.models",
        "cases/views.py:3: csv",
    ]
