"""The benchmark scripts run as the README shows them and print their table in Dutch, like the rest of the
platform (here on a small plan: the figures themselves are the script's business, not the suite's)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(connection.vendor != "postgresql", reason="de benchmarks meten op PostgreSQL")
def test_action_list_benchmark_runs_and_reports_in_dutch():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST"))}
    command = [str(ROOT / ".venv/bin/python"), "benchmarks/actions_list.py", "--actions", "60", "--rounds", "4"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = result.stdout
    # 0: every ratio met, 1: one missed (possible on a busy machine with a tiny plan); anything else is a crash.
    assert result.returncode in (0, 1), out + result.stderr
    lines = out.splitlines()
    assert "PostgreSQL gevuld: 60 acties in 1 samenwerkingsverband" in out
    assert "4 verzoeken per pagina, ingelogd als werkgroeplid" in out
    assert "pagina     p50 ms   p90 ms  gem. ms" in lines
    for page in ("plain", "list", "board", "filtered", "mine"):
        assert any(line.split()[:1] == [page] and len(line.split()) == 4 for line in lines), page
    for page in ("list", "board", "filtered", "mine"):
        assert any(line.startswith(f"ratio {page}/plain (p50): ") and line.endswith("(doel ≤ 1.5)") for line in lines)
    assert lines[-1] == ("OK" if result.returncode == 0 else "BOVEN HET DOEL")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="de benchmarks meten op PostgreSQL")
def test_national_benchmark_measures_a_member_at_10000_and_national_and_keeps_its_database():
    """benchmarks/national.py on a tiny platform (3 partnerships × 40 actions), kept with --bewaar: the second run
    reuses the database and the first run's figures instead of filling again."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST"))}
    kept = tempfile.mkdtemp(prefix="lob-national-")  # in /tmp: PostgreSQL's own user must reach it
    try:
        _national_runs(env, kept)
    finally:
        shutil.rmtree(kept, ignore_errors=True)


def _national_runs(env, kept):
    command = [str(ROOT / ".venv/bin/python"), "benchmarks/national.py", "--partnerships", "3", "--actions", "40",
               "--rounds", "3", "--cold", "2", "--bewaar", kept]
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert first.returncode in (0, 1), first.stdout + first.stderr
    out = first.stdout
    assert "stap 1 gevuld" in out and "stap 2 gevuld" in out
    assert "== landelijk: 3 samenwerkingsverbanden, 120 acties, " in out
    for page in ("list", "board", "voortgang", "search", "reflectie"):
        assert f"ratio {page}/plain (p50): " in out, page
    assert "voortgang koud landelijk / koud bij 10.000: " in out
    assert "eerste scan van de dag (s): " in out and "scan een uur later (s): " in out
    assert out.splitlines()[-1] == ("GEHAALD" if first.returncode == 0 else "NIET GEHAALD")

    again = subprocess.run([*command, "--zonder-scan"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=900)
    assert again.returncode in (0, 1), again.stdout + again.stderr
    assert "stap 1 gevuld" not in again.stdout and "stap 2 gevuld" not in again.stdout, "the kept database is reused"
    assert "de cijfers bij 10.000 acties: uit " in again.stdout
    assert "== landelijk: 3 samenwerkingsverbanden, 120 acties, " in again.stdout
