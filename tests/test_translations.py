"""Translations: each app ships a Dutch catalogue (compiled into the wheel, see hatch_build.py).

Issue 29's deliverable 6 (English msgids with Dutch translations) is postponed to one pass over the whole codebase
after the other issues merge. Until then the msgids are the Dutch text itself, the catalogues hold only their
header, and the check that every marked string has a Dutch translation is switched off (``POSTPONED``); the pass
that converts the strings switches it on.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("actieplan", "good_practices")
POSTPONED = "English msgids with Dutch translations (issue 29, deliverable 6) come in one later pass"


@pytest.mark.parametrize("app", APPS)
def test_each_app_has_a_dutch_catalogue_for_the_build_to_compile(app):
    po = ROOT / app / "locale/nl/LC_MESSAGES/django.po"
    header = po.read_text()
    assert '"Language: nl\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


def marked_strings(app):
    """The msgids marked for translation in an app's Python code and templates (a plain scan, no gettext tools)."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" not in path.parts:
            found |= set(re.findall(r'\b_\(\s*"((?:[^"\\]|\\.)+)"', path.read_text()))
    for path in (ROOT / app / "templates").rglob("*.html"):
        found |= set(re.findall(r'\{% translate "((?:[^"\\]|\\.)+)"', path.read_text()))
    return found


def translated(app):
    po = (ROOT / app / "locale/nl/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', po, re.M)
    return {msgid for msgid, msgstr in pairs if msgid and msgstr}


@pytest.mark.skip(reason=POSTPONED)
@pytest.mark.parametrize("app", APPS)
def test_every_marked_string_has_a_dutch_translation(app):
    assert sorted(marked_strings(app) - translated(app)) == []


def test_the_scan_finds_the_marked_strings():
    """The postponed check above stands on this scan; it must see strings from code and templates alike."""
    strings = marked_strings("actieplan")
    assert "Actieplan" in strings and "Inloggen" in strings
