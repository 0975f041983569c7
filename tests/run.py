"""Runs the whole pytest suite against a PostgreSQL server started on loopback for this run.

    python -m tests.run [--sqlite] [pytest arguments]

``--sqlite`` skips PostgreSQL for a quick local run. bin/test calls this after installing what it needs.
"""

import os
import sys

import pytest

from tests.services import postgres_server


def main(argv):
    if "--sqlite" in argv:
        argv = [a for a in argv if a != "--sqlite"]
        os.environ.pop("DATABASE_URL", None)
        print("==> Tests op SQLite", flush=True)
        return pytest.main(argv)
    with postgres_server() as url:
        os.environ["DATABASE_URL"] = url
        print(f"==> Tests op PostgreSQL ({url})", flush=True)
        return pytest.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
