"""The version matrix: tests/test_host_site.py once per supported Python × Wagtail × Django.

    .venv/bin/nox            # every combination (about a minute or two each on a 2-core machine)
    .venv/bin/nox -l         # list them
    .venv/bin/nox -s "host(python='3.12', wagtail='7.4', django='6.0')"

Each session builds a fresh `wagtail start` host in a virtualenv that uv makes with that Python (from pyenv: no
Python is downloaded) and those Wagtail and Django versions, installs the wheel and follows the README. The test
runner itself is this checkout's environment (.venv, from uv.lock); the full suite (bin/test) stays on the reference
combination of uv.lock.
"""

import os
import subprocess
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
nox.options.default_venv_backend = "none"
nox.options.error_on_missing_interpreters = True

WAGTAIL = {"7.4": "~=7.4.0", "8": ">=8.0,<9"}
DJANGO = {"5.2": "~=5.2.0", "6.0": "~=6.0.0", "6.1": "~=6.1.0"}
#: What Wagtail supports: 7.4 runs on Django 5.2 and 6.0, 8.x also on 6.1; Django 6 needs Python 3.12 or later.
COMBINATIONS = [
    (python, wagtail, django)
    for python in ("3.11", "3.12", "3.13")
    for wagtail, djangos in (("7.4", ("5.2", "6.0")), ("8", ("5.2", "6.0", "6.1")))
    for django in djangos
    if not (django.startswith("6") and python == "3.11")
]


def pyenv_python(version):
    """The newest pyenv-installed CPython of ``version`` (e.g. 3.12 -> ~/.pyenv/versions/3.12.1/bin/python)."""
    root = Path(subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip())
    found = sorted((p for p in (root / "versions").glob(f"{version}.*") if (p / "bin/python").exists()),
                   key=lambda p: [int(x) for x in p.name.split(".") if x.isdigit()])
    if not found:
        raise RuntimeError(f"Python {version} is not installed under pyenv (pyenv install {version})")
    return str(found[-1] / "bin/python")


@nox.session(name="host")
@nox.parametrize("python,wagtail,django", COMBINATIONS,
                 ids=[f"python='{p}', wagtail='{w}', django='{d}'" for p, w, d in COMBINATIONS])
def host(session, python, wagtail, django):
    """The README's host-site steps in a fresh `wagtail start` site on one combination."""
    env = {"LOB_HOST_PYTHON": pyenv_python(python), "LOB_HOST_WAGTAIL": WAGTAIL[wagtail],
           "LOB_HOST_DJANGO": DJANGO[django]}
    if os.environ.get("LOB_HOST_SCREENSHOTS"):
        env["LOB_HOST_SCREENSHOTS"] = os.path.join(os.environ["LOB_HOST_SCREENSHOTS"], f"{python}-{wagtail}-{django}")
    session.run(str(ROOT / ".venv/bin/python"), "-m", "pytest", "tests/test_host_site.py", "-p", "no:cacheprovider",
                "-q", "-m", "not browser", *session.posargs, env=env, external=True)
