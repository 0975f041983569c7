"""Real servers for the tests, started from Debian's packages on loopback and stopped afterwards.

Used by tests/run.py (PostgreSQL for the whole suite) and by fixtures in conftest.py (Redis,
Celery worker, SMTP, browser).
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=30.0, host="127.0.0.1"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def _pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1]


def _as_postgres(cmd):
    """initdb refuses to run as root: run PostgreSQL's tools as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PostgresServer:
    """A throw-away PostgreSQL cluster on a free loopback port that a test (or a benchmark) may restart."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="lob-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)

    @property
    def url(self):
        return f"postgres://lob@127.0.0.1:{self.port}/lob"

    def _ctl(self, *args, check=True):
        opts = (f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections=200")
        return subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-o", opts,
                                            "-l", str(self.tmp / "log"), *args]),
                              check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        if not self.data.exists():
            subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "lob",
                                         "--encoding=UTF8", "--locale=C.UTF-8"]),
                           check=True, stdout=subprocess.DEVNULL)
            self._ctl("-w", "start")
            subprocess.run(_as_postgres([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "lob",
                                         "lob"]), check=True)
        else:
            self._ctl("-w", "start")
        return self

    def stop(self, mode="fast"):
        """``fast``: open connections are cut, as when an operator restarts the server."""
        self._ctl("-m", mode, "-w", "stop", check=False)

    def restart(self):
        self.stop()
        self.start()

    def cleanup(self):
        self.stop("immediate")
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextmanager
def postgres_server():
    """A throw-away PostgreSQL cluster on a free loopback port; yields its DATABASE_URL."""
    server = PostgresServer()
    try:
        server.start()
        yield server.url
    finally:
        server.cleanup()


class RedisServer:
    """A real redis-server on a free loopback port that a test may stop and start again."""

    def __init__(self, persistent=False):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="lob-redis-")
        self.proc = None
        # persistent: an append-only file, as docker-compose's redis keeps, so a restart brings the data back.
        self.persistence = ["--appendonly", "yes", "--appendfsync", "always"] if persistent else ["--appendonly", "no"]

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--dir", self.dir, "--save", "", *self.persistence],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(10)
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps every accepted message.

    ``delay`` slows each conversation down (before the message is accepted) so a test can
    interrupt a batch mid-way; ``busy`` is set whenever a conversation is in that slow part.
    """

    def __init__(self, delay=0.0):
        import threading

        self.port = free_port()
        self.delay = delay
        self.messages = []
        self.busy = threading.Event()
        self._lock = threading.Lock()
        self._controller = None

    def start(self):
        import asyncio
        import email
        import email.policy

        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                sink.busy.set()
                if sink.delay:
                    await asyncio.sleep(sink.delay)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.original_content or envelope.content,
                                                   policy=email.policy.default)
                with sink._lock:
                    sink.messages.append((list(envelope.rcpt_tos), message))
                return "250 Message accepted for delivery"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def received(self):
        with self._lock:
            return list(self.messages)

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None


class CeleryWorker:
    """``celery -A lobplatform worker`` as a real subprocess in its own process group (for SIGKILL)."""

    def __init__(self, env, concurrency=2, logfile=None):
        self.env = env
        self.concurrency = concurrency
        self.logfile = logfile or tempfile.mktemp(prefix="lob-celery-", suffix=".log")
        self.proc = None

    def start(self, timeout=60):
        root = Path(__file__).resolve().parent.parent
        import sys

        celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        log = open(self.logfile, "ab")
        self.proc = subprocess.Popen(
            [celery, "-A", "lobplatform", "worker", "--loglevel=INFO", f"--concurrency={self.concurrency}",
             "--pool=prefork", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"test-{os.getpid()}-{time.monotonic_ns()}@%h"],
            cwd=root, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited: {self.log()[-3000:]}")
            if " ready." in self.log():
                return self
            time.sleep(0.2)
        raise TimeoutError(f"celery worker not ready after {timeout}s: {self.log()[-3000:]}")

    def log(self):
        try:
            return Path(self.logfile).read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def kill(self):
        """SIGKILL the whole worker (main process and pool children) without any chance to clean up."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


NGINX_TEMPLATE = Path(__file__).resolve().parent.parent / "deploy/nginx/default.conf.template"


def fill_in(template, values):
    """What the nginx image does with /etc/nginx/templates/*.template: ${NAME} replaced for the names it is given."""
    text = template.read_text()
    for name, value in values.items():
        text = text.replace("${%s}" % name, value)
    assert "${NGINX_" not in text, "every variable of the template is one compose sets"
    return text


class Nginx:
    """Debian's nginx on a free loopback port, with the site's server block (deploy/nginx/default.conf.template,
    filled in as compose fills it) in front of ``upstreams``: one ``host:port`` or two (the template's two web
    processes, ``NGINX_UPSTREAM`` and ``NGINX_UPSTREAM_2``; one given is used for both)."""

    def __init__(self, upstreams, media_root, static_root):
        first, second = ([upstreams] * 2 if isinstance(upstreams, str) else list(upstreams) * 2)[:2]
        self.dir = Path(tempfile.mkdtemp(prefix="lob-nginx-"))
        self.port = free_port()
        (self.dir / "default.conf").write_text(fill_in(NGINX_TEMPLATE, {
            "NGINX_UPSTREAM": first, "NGINX_UPSTREAM_2": second, "NGINX_LISTEN": f"127.0.0.1:{self.port}",
            "NGINX_STATIC_ROOT": str(static_root), "NGINX_MEDIA_ROOT": str(media_root)}))
        user = "user root;" if os.geteuid() == 0 else ""  # the media and static folders are the test's own
        (self.dir / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    log_format upstream '$upstream_addr $status $request';
    access_log {self.dir}/access.log upstream;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    include {self.dir}/default.conf;
}}
""")
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def access_log(self):
        """``[(upstream address, status, request line)]`` of every proxied request so far."""
        path = self.dir / "access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [tuple(line.split(" ", 2)) for line in lines if line.count(" ") >= 2]

    def start(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        test = subprocess.run([nginx, "-t", "-c", str(self.dir / "nginx.conf"), "-e", str(self.dir / "error.log")],
                              capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        self.proc = subprocess.Popen([nginx, "-c", str(self.dir / "nginx.conf"), "-e", str(self.dir / "error.log"),
                                      "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def platform_process_env(redis_url, smtp_port, **overrides):
    """The environment of a platform process (web, worker, beat) that the tests start against their own
    PostgreSQL test database, Redis and SMTP sink: production settings' shape, mail by SMTP, Celery not eager."""
    from django.db import connection

    db = connection.settings_dict
    return {
        "DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-key-lob-platform",  # the same as the tests', so links verify here
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "WAGTAILADMIN_BASE_URL": "http://testserver",
        "LOG_LEVEL": "INFO",
        # The hourly scans these processes run use the real clock: on Monday 07:00 to Wednesday 07:00 they would
        # also decide the week's digests. Only the Monday task does here, so no test depends on the weekday.
        "LOB_DIGEST_CATCH_UP_HOURS": "0",
        **overrides,
    }

