"""Issue 2, packaging: the wheel carries the data file, and an installed copy finds it.

Marked `packaging` (deselect with `-m "not packaging"`). The install test is skipped only
when pip cannot fetch a package (offline, no cache); any other failure fails.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, SHIPPED

from ketacompare import __version__, loader

pytestmark = [pytest.mark.packaging, pytest.mark.slow]

DISCLAIMER = "Educational comparison, not medical advice."
# What pip or build print when a package cannot be fetched: only these skip.
OFFLINE = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Name or service not known",
)


def sh(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment minus anything that would point Python at this checkout."""
    drop = {"PYTHONPATH", "PYTHONHOME", "KETACOMPARE_DATA", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    return env | {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "xterm"} | extra


def fail_or_skip_offline(what: str, done: subprocess.CompletedProcess[str]) -> None:
    output = done.stdout + done.stderr
    if any(marker in output for marker in OFFLINE):
        pytest.skip(f"{what}: pip cannot fetch packages here (offline?):\n{output[-600:]}")
    pytest.fail(f"{what} failed (exit {done.returncode}):\n{output[-3000:]}")


def shipped_routes() -> tuple[str, list[str]]:
    """Title and visible route names of the shipped data file."""
    routes = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["comparisons"]["routes"]
    names = [s["name"] for s in routes["subjects"].values() if not s.get("hidden")]
    return routes["title"], names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert SHIPPED.is_file(), f"{SHIPPED} is missing: the wheel must ship it"
    out = tmp_path_factory.mktemp("dist")
    if importlib.util.find_spec("build") is not None:
        # With hatchling here the build needs no network; otherwise build fetches it.
        offline_ok = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
        command = [sys.executable, "-m", "build", "--wheel", *offline_ok, "--outdir", out, ROOT]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, ROOT]
    done = sh(*command, cwd=out)
    if done.returncode != 0:
        fail_or_skip_offline("building the wheel", done)
    wheels = list(out.glob("ketacompare-*.whl"))
    assert len(wheels) == 1, done.stdout + done.stderr
    return wheels[0]


def test_wheel_holds_the_package_and_the_data_file(wheel: Path) -> None:
    assert wheel.name == f"ketacompare-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        sources = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / "ketacompare").rglob("*.py")
            if "__pycache__" not in p.parts
        }
        missing = sorted(sources - names)
        assert not missing, f"not in the wheel: {missing}"
        assert "ketacompare/data/routes.yaml" in names
        assert archive.read("ketacompare/data/routes.yaml") == SHIPPED.read_bytes()
        # Only the package and its metadata: no tests, no top-level data folder.
        tops = {n.split("/")[0] for n in names}
        assert tops == {"ketacompare", f"ketacompare-{__version__}.dist-info"}
        info = f"ketacompare-{__version__}.dist-info"
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
    assert "ketacompare = ketacompare.entry:main" in entry_points
    requires = [
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert sorted(r.split(">")[0].split("<")[0].split("=")[0].lower() for r in requires) == [
        "pyyaml",
        "rich",
        "typer",
    ]
    assert any(r.startswith("typer") and "<0.29" in r for r in requires), requires


def test_installed_wheel_runs_routes_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    """pip install (not editable) into a fresh venv; run from a folder with no data in it."""
    venv = tmp_path / "venv"
    done = sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    # This environment's pip installs into the new venv (--python), deps resolved by pip.
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--no-input", wheel]
    done = sh(*pip, cwd=tmp_path, env=clean_env(PIP_REQUIRE_VIRTUALENV="0"))
    if done.returncode != 0:
        fail_or_skip_offline("pip install of the wheel", done)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env()
    done = sh(venv / "bin" / "ketacompare", "routes", cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    title, names = shipped_routes()
    assert done.stdout.startswith(title)
    for name in names:
        assert name in done.stdout
    assert DISCLAIMER in done.stdout

    # It is the installed copy that ran, reading the data file inside the package.
    probe = "import ketacompare, ketacompare.loader as l; print(ketacompare.__file__); " + (
        "print(l.default_path())"
    )
    done = sh(python, "-c", probe, cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stderr
    package_file, data_file = done.stdout.splitlines()
    site = venv.resolve()
    assert Path(package_file).resolve().is_relative_to(site), package_file
    assert Path(data_file) == Path(package_file).parent / "data" / "routes.yaml"

    done = sh(python, "-m", "ketacompare", "--version", cwd=elsewhere, env=env)
    assert (done.returncode, done.stdout) == (0, f"ketacompare {__version__}\n")


# Checkouts and editable installs: the data file is at the top level, not in the package.


def copy_package(to: Path) -> Path:
    shutil.copytree(
        ROOT / "ketacompare",
        to / "ketacompare",
        ignore=shutil.ignore_patterns("__pycache__", "data"),
    )
    return to


def test_this_checkout_reads_the_top_level_data_file() -> None:
    if (ROOT / "ketacompare" / "data" / "routes.yaml").exists():
        pytest.fail("ketacompare/data/routes.yaml must not exist in a checkout; the wheel adds it")
    assert loader.default_path() == SHIPPED


@pytest.mark.parametrize("packaged", [False, True])
def test_package_next_to_a_data_folder_finds_the_right_file(tmp_path: Path, packaged: bool) -> None:
    """A checkout layout uses ./data/routes.yaml; a file inside the package wins over it."""
    checkout = copy_package(tmp_path / "checkout")
    (checkout / "data").mkdir()
    shutil.copy(FIXTURES / "mini.yaml", checkout / "data" / "routes.yaml")
    expected = "Routes compared"  # mini.yaml's title
    if packaged:
        raw = yaml.safe_load((FIXTURES / "mini.yaml").read_text(encoding="utf-8"))
        raw["comparisons"]["routes"]["title"] = "Packaged copy"
        (checkout / "ketacompare" / "data").mkdir()
        text = yaml.safe_dump(raw, sort_keys=False)
        (checkout / "ketacompare" / "data" / "routes.yaml").write_text(text, encoding="utf-8")
        expected = "Packaged copy"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(PYTHONPATH=str(checkout))
    done = sh(sys.executable, "-m", "ketacompare", "routes", cwd=elsewhere, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].rstrip() == expected


def test_editable_install_runs_routes_from_another_directory(tmp_path: Path) -> None:
    """README's test command installs this checkout editable: its console script must work."""
    script = Path(sys.executable).parent / "ketacompare"
    if not script.exists():
        pytest.skip("no ketacompare console script beside this Python (not installed here)")
    env = clean_env()
    done = sh(
        sys.executable,
        "-c",
        "import ketacompare; print(ketacompare.__file__)",
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    installed = Path(done.stdout.strip()).resolve() if done.returncode == 0 else None
    if installed != (ROOT / "ketacompare" / "__init__.py").resolve():
        pytest.skip(f"the installed ketacompare is not this checkout ({installed})")
    done = sh(script, "routes", cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    title, names = shipped_routes()
    assert done.stdout.startswith(title)
    assert all(name in done.stdout for name in names)
