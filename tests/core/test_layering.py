"""The layering of the apps (docs/CONTRIBUTING.md, “Layers”), read from the source with `ast`.

Every `.py` of the app packages counts, migrations and imports inside functions included: an
import deferred into a function still ties the two modules together.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. An app may import its own layer's modules and any app below it.
LAYERS = [
    ["core"],
    ["ops"],
    ["redhistory"],
    ["exhibitions"],
    # One layer: organisations and their members read each other (a branch counts its members, a
    # member belongs to a branch). Between them only module circles are refused.
    ["branches", "members"],
    ["visits"],
    ["reports"],
    ["config"],
]
LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

# Imports that run upward, each with its reason. At most three. A read through the app registry
# (`apps.get_model("app", "Model")`) counts as an import of that app's models: it is the same
# dependency, only later.
ALLOWED_UPWARD = {
    # An artefact's page names the base showing it, among public bases only.
    ("redhistory.selectors", "exhibitions.models"): "the artefact's current display",
    # The demo's bases name the organisations that jointly built them (core/demo.py DEMO_STEPS
    # loads branches first).
    ("exhibitions.demo", "branches.models"): "jointly built bases in the demo",
}


def app_modules():
    """{dotted module name: source path} for every module of every app."""
    modules = {}
    for app in LAYER_OF:
        for path in (ROOT / app).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(module, path):
    """For each import statement, the names it may mean: `from a import b` may mean the module
    a.b or the name b of module a; `import_graph` keeps the first that is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield [alias.name]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            for alias in node.names:
                yield [f"{source}.{alias.name}", source]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and len(node.args) >= 1
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and ".migrations." not in f".{module}."
        ):
            # A migration's `apps` is the historical registry, not a dependency on today's code.
            yield [f"{node.args[0].value.split('.')[0]}.models"]


def import_graph():
    modules = app_modules()
    graph = {}
    for module, path in modules.items():
        targets = set()
        for candidates in imported_names(module, path):
            name = next((c for c in candidates if c in modules), candidates[-1])
            # `import a.b.c` of a name inside a module counts as an import of that module.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph):
    found = []
    for module, targets in graph.items():
        app = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other != app and other in LAYER_OF and LAYER_OF[other] > LAYER_OF[app]:
                found.append((module, target))
    return sorted(found)


def test_the_graph_sees_every_app_and_their_imports():
    graph = import_graph()
    assert {module.split(".")[0] for module in graph} == set(LAYER_OF)
    assert "core.roles" in graph["members.models"] or "core.scoping" in graph["members.models"]


def test_no_module_imports_itself_through_others():
    assert cycles(import_graph()) == []


def test_no_app_imports_an_app_above_it_or_a_peer_beyond_the_allowed_few():
    found = upward_imports(import_graph())
    unexplained = [pair for pair in found if pair not in ALLOWED_UPWARD]
    assert unexplained == [], "\n".join(f"{a} -> {b}" for a, b in unexplained)
    assert len(ALLOWED_UPWARD) <= 3


def test_the_checks_catch_a_circle_and_an_upward_import():
    graph = {"core.a": {"members.b"}, "members.b": {"core.a"}}
    assert cycles(graph) == [["core.a", "members.b"]]
    assert upward_imports(graph) == [("core.a", "members.b")]
    assert upward_imports({"branches.x": {"members.y"}, "members.y": set()}) == []


def test_a_read_through_the_registry_counts_as_an_import(tmp_path):
    path = tmp_path / "selectors.py"
    path.write_text('from django.apps import apps\nM = apps.get_model("visits", "Visit")\n')
    assert ["visits.models"] in list(imported_names("redhistory.selectors", path))
