"""The first start on a fresh machine: bin/_bootstrap.sh builds the environment even where uv is missing.

These machines manage Python with pyenv: after ``pip install uv`` the new command has no shim on PATH until
``pyenv rehash``, so a bootstrap that calls ``uv`` by name fails the first time and works the second. The test
builds that situation in a throw-away folder (a Python without uv behind a pyenv-style shim directory that has
no uv shim) and runs the bootstrap once.
"""

import os
import shutil
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _copy_checkout(target):
    """The tracked files of this checkout, as a fresh clone would have them (with any uncommitted edits)."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def test_bootstrap_builds_the_environment_when_uv_is_missing_behind_pyenv_shims(tmp_path):
    checkout, shims = tmp_path / "checkout", tmp_path / "shims"
    for folder in (checkout, shims):
        folder.mkdir()
    _copy_checkout(checkout)
    # A Python of its own without uv (the base interpreter of this suite's .venv may have it by now).
    python_home = tmp_path / "python"
    venv.EnvBuilder(with_pip=True).create(python_home)
    assert subprocess.run([python_home / "bin/python", "-m", "uv", "--version"], capture_output=True).returncode != 0
    # pyenv's shims are small scripts that hand over to the selected version; there is none for uv.
    (shims / "python3").write_text(f'#!/bin/sh\nexec "{python_home}/bin/python" "$@"\n')
    (shims / "python3").chmod(0o755)

    # The machine's own settings (certificates, package index) stay; what could hand the bootstrap a uv or
    # an environment does not.
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "DATABASE_URL", "PYENV_VERSION")
           and not k.startswith(("DJANGO_", "UV_PROJECT", "PYTEST", "COV_"))}
    env["PATH"] = f"{shims}:/usr/local/bin:/usr/bin:/bin"
    # The packages themselves come from the cache the outer run filled: the same lock, no second download.
    env.setdefault("UV_CACHE_DIR", str(Path.home() / ".cache/uv"))
    boot = subprocess.run(["bash", "bin/_bootstrap.sh"], cwd=checkout, env=env, capture_output=True, text=True,
                          timeout=900)
    assert boot.returncode == 0, boot.stdout + boot.stderr
    assert "command not found" not in boot.stderr

    check = subprocess.run(
        [checkout / ".venv/bin/python", "manage.py", "check"], cwd=checkout, capture_output=True, text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev",
             "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified no issues" in check.stdout
    # A second run trusts nothing it did not check: it reuses the uv it installed and passes again.
    again = subprocess.run(["bash", "bin/_bootstrap.sh"], cwd=checkout, env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0 and "uv installeren" not in again.stdout, again.stdout + again.stderr
