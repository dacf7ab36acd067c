"""The layers contract: each app imports only the apps below it (pyproject's [tool.importlinter]).

    demo → admin_center → invitations → orders → agreements → customers → portal

Function-local imports count as imports; the root URLconfs (the composition root) may name
every app. `make lint` and .ci/run run the same check.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every app the contract names, so a new app is copied along with the rest.
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_apps(tmp_path: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_import_points_down_the_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_build_even_inside_a_function(tmp_path):
    tree = copy_of_the_apps(tmp_path)
    with (tree / "customers" / "models.py").open("a") as models:
        models.write("\n\ndef _open_invitations():\n    from invitations.models import Invitation\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "customers is not allowed to import invitations" in result.stdout
    assert "customers.models -> invitations.models" in result.stdout


def test_a_cycle_between_two_apps_breaks_the_build(tmp_path):
    tree = copy_of_the_apps(tmp_path)
    with (tree / "portal" / "views.py").open("a") as views:
        views.write("\nfrom agreements.models import Acceptance  # noqa: E402\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "portal is not allowed to import agreements" in result.stdout


def test_only_the_root_urlconfs_may_name_every_app(tmp_path):
    tree = copy_of_the_apps(tmp_path)
    with (tree / "portal" / "api_urls.py").open("a") as urlconf:
        urlconf.write("\nfrom invitations import api as _invitations  # noqa: E402\n")
    assert lint_imports(tree).returncode == 0
