"""The layers of docs/architecture.md hold: import-linter's contracts (.importlinter) are
kept, and the one loop they allow, a service queueing its app's task, is an import inside
the function that queues."""

import ast
import configparser
from pathlib import Path

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

configuration.configure()  # as the lint-imports command does

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_contract_is_kept(capsys):
    kept = lint_imports(config_filename=str(ROOT / ".importlinter"), cache_dir=None, no_logo=True)
    assert kept, capsys.readouterr().out


def ignored_imports() -> list[tuple[str, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    pairs = []
    for section in config.sections():
        for line in config[section].get("ignore_imports", "").split("\n"):
            if line.strip():
                importer, imported = (part.strip() for part in line.split("->"))
                pairs.append((importer, imported))
    return pairs


def top_level_imports(module: str) -> set[str]:
    """The modules `module` imports at its top level (relative ones made absolute)."""
    path = ROOT / (module.replace(".", "/") + ".py")
    package = module.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = f"{package}.{node.module}" if node.level else node.module
            found.add(base or package)
            found |= {f"{base or package}.{alias.name}" for alias in node.names}
    return found


def test_the_allowed_loops_are_imports_inside_functions():
    pairs = ignored_imports()
    assert pairs, "the service and task pairs are named in .importlinter"
    for importer, imported in pairs:
        assert importer.rsplit(".", 1)[0] == imported.rsplit(".", 1)[0], (
            f"{importer} -> {imported}: only a loop within one app may be allowed"
        )
        assert imported.endswith(".tasks"), f"{importer} -> {imported}: only a task may be"
        assert imported not in top_level_imports(importer), (
            f"{importer} imports {imported} at its top level: import it inside the function "
            "that queues the task"
        )


def service_modules() -> list[Path]:
    """Every app's services: a `services.py`, or the modules of a `services/` package."""
    return sorted([*ROOT.glob("*/services.py"), *ROOT.glob("*/services/**/*.py")])


def test_public_services_take_their_arguments_by_keyword():
    """Services are called the same way from views, tasks, imports and tests: every
    argument named (`referral_close(*, referral, user, ...)`)."""
    modules = service_modules()
    assert any(path.name == "services.py" for path in modules), "the services are found"
    positional = []
    for path in modules:
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = node.args
            if not node.name.startswith("_") and (
                arguments.posonlyargs or arguments.args or arguments.vararg
            ):
                positional.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not positional, "make these keyword-only (def name(*, ...)): " + ", ".join(positional)
