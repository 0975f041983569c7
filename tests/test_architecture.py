"""The layout a maintainer relies on: one folder per capability, imports in one direction, no circles.

The test reads the source (no imports run) and walks every ``import`` in ``actieplan`` and ``good_practices``:
module level and inside functions alike, so a circle cannot hide in a function body.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("actieplan", "good_practices")
#: Lowest first; a capability imports only from those before it (reminders and reflection are side by side, and
#: so are progress, search, following and operations).
LAYERS = {"partnerships": 0, "actions": 1, "reminders": 2, "reflection": 2, "meetings": 3, "progress": 4,
          "search": 4, "following": 4, "operations": 4,
          "blocks": 5}
#: The app's entry points that Django and Wagtail look for by name: they may import every capability.
ENTRY_POINTS = {"actieplan.apps", "actieplan.models", "actieplan.urls", "actieplan.wagtail_hooks", "actieplan.tasks",
                "good_practices.apps"}


def _modules():
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imports(path):
    """``[(imported module, inside a function?)]`` of the project's own modules imported by ``path``."""
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom) and child.module and not child.level:
                for alias in child.names:
                    target = f"{child.module}.{alias.name}"
                    found.append((target if target in MODULES else child.module, nested))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, nested) for alias in child.names)
            visit(child, nested)

    visit(ast.parse(path.read_text()), False)
    return [(target, nested) for target, nested in found if target in MODULES]


GRAPH = {module: _imports(path) for module, path in MODULES.items()}


def _layer(module):
    parts = module.split(".")
    return parts[1] if parts[0] == "actieplan" and len(parts) > 1 and parts[1] in LAYERS else None


def test_no_relative_imports_hide_the_map():
    relative = [str(path.relative_to(ROOT)) for path in MODULES.values()
                if any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(ast.parse(path.read_text())))]
    assert relative == []


def test_there_is_no_import_circle():
    graph = {module: {target for target, _nested in targets} - {module} for module, targets in GRAPH.items()}
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def connect(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            connect(node)
    assert circles == []


def test_capabilities_import_only_what_lies_below_them():
    upward = [(module, target) for module, targets in GRAPH.items() for target, _nested in targets
              if _layer(module) and _layer(target) and _layer(module) != _layer(target)
              and LAYERS[_layer(target)] >= LAYERS[_layer(module)]]
    assert upward == []


def test_shared_bottom_modules_import_no_capability():
    bottom = [m for m in MODULES if m.startswith("actieplan.") and m.count(".") == 1 and _layer(m) is None
              and m not in ENTRY_POINTS]
    assert {"actieplan.caching", "actieplan.conf", "actieplan.formats", "actieplan.validators"} <= set(bottom)
    assert [(m, t) for m in bottom for t, _nested in GRAPH[m] if _layer(t)] == []


def test_no_import_inside_a_function_except_where_django_wires_the_app():
    hidden = [(module, target) for module, targets in GRAPH.items() for target, nested in targets
              if nested and not module.endswith(".apps")]
    assert hidden == []


def test_no_model_imports_a_view():
    assert [(m, t) for m, targets in GRAPH.items() for t, _nested in targets
            if m.endswith(".models") and "views" in t.split(".")[-1]] == []


@pytest.mark.parametrize("capability", sorted(LAYERS))
def test_each_capability_is_one_folder_with_its_templates(capability):
    folder = ROOT / "actieplan" / capability
    assert (folder / "__init__.py").exists()
    assert (ROOT / "actieplan/templates/actieplan" / capability).is_dir()
    assert (folder / "__init__.py").read_text().startswith('"""'), "say what the capability holds"


def test_a_sites_override_under_a_pages_earlier_template_name_is_still_used(client, people, tmp_path, settings):
    """A site that overrode ``actieplan/action_list.html`` before the templates moved keeps its version."""
    from actieplan.overrides import EARLIER_NAMES

    (tmp_path / "actieplan").mkdir()
    (tmp_path / "actieplan/action_list.html").write_text("Onze eigen actielijst")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    client.force_login(people.werkgroeplid)
    assert client.get("/actieplan/").content.decode() == "Onze eigen actielijst"
    shipped = ROOT / "actieplan/templates"
    assert all((shipped / name).exists() and not (shipped / earlier).exists()
               for name, earlier in EARLIER_NAMES.items())
