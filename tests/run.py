"""Runs the whole pytest suite against a PostgreSQL server started on loopback for this run.

    python -m tests.run [--sqlite] [pytest arguments]

``--sqlite`` skips PostgreSQL for a quick local run. bin/test calls this after installing what it needs.

The whole suite runs in parallel, one pytest-xdist worker per core, each with its own test database
(pytest-django names them ``test_lob_gw0``, ``test_lob_gw1``, …) and its own servers and browser. A run
of chosen tests (a path or node id among the arguments) stays in one process: starting workers would cost
more than it saves. ``-n`` on the command line overrides both.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import postgres_server


def _parallel(argv):
    """Add ``-n <cores>`` for a whole-suite run, unless the caller chose the tests or the workers."""
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in argv):
        return argv
    chosen = [a for a in argv if not a.startswith("-") and ("::" in a or Path(a.split("::")[0]).exists())]
    if chosen:
        return argv
    workers = int(os.environ.get("LOB_TEST_WORKERS", os.cpu_count() or 1))
    return ["-n", str(workers), *argv] if workers > 1 else argv


def main(argv):
    argv = _parallel(argv)
    if "--sqlite" in argv:
        argv = [a for a in argv if a != "--sqlite"]
        os.environ.pop("DATABASE_URL", None)
        print("==> Tests op SQLite", flush=True)
        return pytest.main(argv)
    try:
        server = postgres_server()
        url = server.__enter__()
    except (OSError, KeyError, RuntimeError, subprocess.CalledProcessError) as error:
        print(f"PostgreSQL kon niet starten ({error}): installeer het pakket postgresql "
              "(apt-get install -y postgresql) of draai de tests op SQLite met bin/test --sqlite.",
              file=sys.stderr, flush=True)
        return 1
    try:
        os.environ["DATABASE_URL"] = url
        print(f"==> Tests op PostgreSQL ({url})", flush=True)
        return pytest.main(argv)
    finally:
        server.__exit__(None, None, None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
