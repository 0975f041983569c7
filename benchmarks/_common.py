"""What the benchmark scripts share: a migrated database, the site served by gunicorn like production, timed
HTTP requests and the table they print.

Each script puts the checkout on ``sys.path`` and imports from here; the figures are printed in Dutch, like
the rest of the platform's output.
"""

import os
import random
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path

from tests.services import free_port, postgres_server, wait_for_port

#: The checkout (each script puts it on ``sys.path`` before importing this module).
ROOT = Path(__file__).resolve().parent.parent

SETTINGS = "lobplatform.settings.dev"  # DEBUG off below; plain static storage, so no collectstatic is needed


def server_env(database_url, extra=None):
    """The environment of this process and of gunicorn: production-like (DEBUG off, warnings only), plus
    ``extra`` (e.g. ``REDIS_URL``)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url, "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 30, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING", **(extra or {}),
    })
    return env


@contextmanager
def migrated_database(database_url=None, extra_env=None):
    """Django set up in this process on ``database_url`` (an empty or already filled database) or, without
    one, on a throw-away PostgreSQL (tests.services.postgres_server); migrated; yields the URL."""
    with (nullcontext(database_url) if database_url else postgres_server()) as url:
        os.environ.update(server_env(url, extra_env))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield url


def vacuum_analyze():
    """What autovacuum does after a bulk insert, before anyone reads the tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


@contextmanager
def gunicorn(database_url, cookie="", extra_env=None, workers=2):
    """The site served by gunicorn with ``workers`` workers (2, like production) on a free loopback port; yields its base
    URL once a worker answers ``/`` (with ``cookie``), and stops it afterwards."""
    from django.db import connections

    connections.close_all()  # the forked workers must not share this process's connection
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="lob-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "lobplatform.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--preload", "--timeout", "120", "--error-logfile", log.name],
        cwd=ROOT, env=server_env(database_url, extra_env), stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        wait_for_port(port, timeout=180)
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(base + "/", cookie)
        yield base
    finally:
        server.terminate()
        server.wait(20)


def session_cookie(user):
    """A real login session for ``user`` (the same one the login form would create)."""
    from django.conf import settings
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def fetch(url, cookie=""):
    """``(milliseconds, status, body)`` of one GET."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        status = response.status
    return (time.perf_counter() - start) * 1000, status, body


def wait_until_answering(url, cookie="", timeout=180):
    """The port opens before the workers have imported everything; wait for a real answer."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(url, cookie)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(base, cookie, pages, rounds, concurrency=1, warmup=20, before=None):
    """``{name: [ms, …]}``: ``rounds`` requests per page of ``pages`` (name -> path), interleaved in a shuffled
    order per round so machine noise hits every page alike, by ``concurrency`` clients. ``before(name)``, when
    given, runs before each measured request, outside its time (e.g. to make every request a cold one)."""
    for _ in range(warmup):
        for path in pages.values():
            fetch(base + path, cookie)
    timings = {name: [] for name in pages}
    lock = threading.Lock()

    def worker(n):
        rng = random.Random(n)
        names = list(pages)
        for _ in range(rounds // concurrency):
            rng.shuffle(names)
            for name in names:
                if before is not None:
                    with lock:
                        before(name)
                ms, status, _body = fetch(base + pages[name], cookie)
                assert status == 200, (name, status)
                with lock:
                    timings[name].append(ms)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def print_timings(timings, width=8):
    """The table of p50, p90 and mean per page; returns ``{name: p50}``."""
    print(f"{'pagina':<{width}} {'p50 ms':>8} {'p90 ms':>8} {'gem. ms':>8}")
    p50 = {}
    for name, values in timings.items():
        p50[name] = percentile(values, 50)
        print(f"{name:<{width}} {p50[name]:8.1f} {percentile(values, 90):8.1f} {statistics.mean(values):8.1f}")
    return p50


def print_ratios(p50, names, target, plain="plain"):
    """One line per page with its p50 ratio to the plain page, then OK or BOVEN HET DOEL; returns whether all met
    ``target``."""
    ok = True
    for name in names:
        ratio = p50[name] / p50[plain]
        ok &= ratio <= target
        print(f"ratio {name}/{plain} (p50): {ratio:.2f}  (doel ≤ {target})")
    print("OK" if ok else "BOVEN HET DOEL")
    return ok
