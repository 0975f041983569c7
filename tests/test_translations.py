"""Translations: the apps' source strings are English, each app ships a Dutch catalogue.

Like every Wagtail package, ``actieplan`` and ``good_practices`` mark English text for translation and carry
``locale/nl/LC_MESSAGES/django.po`` with the Dutch (the compiled ``.mo`` is kept next to it, so a checkout runs
without gettext tools; the wheel compiles its own, see hatch_build.py). The reference site runs in Dutch
(``LANGUAGE_CODE = "nl"``); an English host shows the apps in English.

The scan below finds marked strings the way ``makemessages`` does (gettext calls in Python; ``translate``,
``blocktranslate`` and ``_("…")`` in templates), so a string added without a Dutch translation fails here.
"""

import ast
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trim_whitespace

ROOT = Path(__file__).resolve().parent.parent
APPS = ("actieplan", "good_practices")

SIMPLE = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
TRANSLATE = re.compile(r"""^(?:trans|translate)\s+(["'])(.*?)\1(.*)$""", re.S)
UNDERSCORE = re.compile(r"""\b_\((["'])(.*?)\1\)""")
CONTEXT_OPTION = re.compile(r"""context\s+(["'])(.*?)\1""")


def _text(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_strings(path):
    """(context, msgid, plural or None) for each gettext call with literal arguments in one Python file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        texts = [_text(arg) for arg in node.args]
        if name in SIMPLE and texts and texts[0]:
            found.add(("", texts[0], None))
        elif name in PLURAL and len(texts) >= 2 and texts[0] and texts[1]:
            found.add(("", texts[0], texts[1]))
        elif name in CONTEXT and len(texts) >= 2 and texts[0] and texts[1]:
            found.add((texts[0], texts[1], None))
    return found


def template_strings(source):
    """(context, msgid, plural or None) for each translate, blocktranslate and _("…") in one template."""
    found = set()
    tokens = Lexer(source).tokenize()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.token_type in (TokenType.BLOCK, TokenType.VAR):
            found |= {("", m.group(2), None) for m in UNDERSCORE.finditer(token.contents)}
        if token.token_type == TokenType.BLOCK:
            match = TRANSLATE.match(token.contents)
            context = CONTEXT_OPTION.search(token.contents)
            context = context.group(2) if context else ""
            if match:
                found.add((context, match.group(2), None))
            elif token.contents.split()[0] in ("blocktrans", "blocktranslate"):
                trimmed = "trimmed" in token.contents.split()
                parts, current = [[], None], 0
                i += 1
                while tokens[i].contents.split()[:1] not in (["endblocktrans"], ["endblocktranslate"]):
                    if tokens[i].token_type == TokenType.BLOCK and tokens[i].contents == "plural":
                        parts[1], current = [], 1
                    elif tokens[i].token_type == TokenType.TEXT:
                        parts[current].append(tokens[i].contents.replace("%", "%%"))
                    elif tokens[i].token_type == TokenType.VAR:
                        parts[current].append("%%(%s)s" % tokens[i].contents)
                    i += 1
                texts = ["".join(p) if p is not None else None for p in parts]
                if trimmed:
                    texts = [trim_whitespace(t) if t is not None else None for t in texts]
                found.add((context, texts[0], texts[1]))
        i += 1
    return found


def marked_strings(app):
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" not in path.parts:
            found |= python_strings(path)
    for path in (ROOT / app / "templates").rglob("*"):
        if path.suffix in (".html", ".txt"):
            found |= template_strings(path.read_text())
    return found


def catalogue(app):
    with open(ROOT / app / "locale/nl/LC_MESSAGES/django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def dutch(app, context, msgid, plural):
    key = f"{context}\x04{msgid}" if context else msgid
    found = catalogue(app)
    return found.get((key, 0)) if plural else found.get(key)


@pytest.mark.parametrize("app", APPS)
def test_each_app_has_a_dutch_catalogue_for_the_build_to_compile(app):
    po = ROOT / app / "locale/nl/LC_MESSAGES/django.po"
    header = po.read_text()
    assert '"Language: nl\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


@pytest.mark.parametrize("app", APPS)
def test_every_marked_string_has_a_dutch_translation(app):
    missing = sorted(msgid for context, msgid, plural in marked_strings(app) if not dutch(app, context, msgid, plural))
    assert missing == []


@pytest.mark.parametrize("app", APPS)
def test_the_shipped_mo_file_is_the_compiled_po_file(app, tmp_path):
    """The checkout runs on the committed .mo; it must say what the .po says."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    po = ROOT / app / "locale/nl/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check", "-o", tmp_path / "django.mo", po], check=True)
    with open(tmp_path / "django.mo", "rb") as mo:
        assert gettext.GNUTranslations(mo)._catalog == catalogue(app)


def test_the_scan_finds_the_marked_strings():
    """The checks above stand on this scan; it must see every kind of marking, in code and templates alike."""
    strings = {msgid for _context, msgid, _plural in marked_strings("actieplan")}
    assert {"Action plan", "Sign in"} <= strings
    found = template_strings(
        '{% translate "One" %}{% blocktranslate trimmed count n=k %}\n  {{ n }} item\n{% plural %}{{ n }} items'
        '{% endblocktranslate %}{% include "x.html" with label=_("Two") %}')
    assert found == {("", "One", None), ("", "%(n)s item", "%(n)s items"), ("", "Two", None)}


def test_the_source_strings_are_english_and_the_dutch_comes_from_the_catalogue():
    with translation.override("en"):
        from actieplan.actions.models import ActionStatus

        english = str(ActionStatus.AFGEROND.label)
    with translation.override("nl"):
        assert str(ActionStatus.AFGEROND.label) != english
        assert str(ActionStatus.AFGEROND.label) == dutch("actieplan", "", english, None)


def english_sentences():
    """English msgids of a few words or more whose Dutch differs: any of them on a Dutch page is a leak."""
    sentences = set()
    for app in APPS:
        for key, value in catalogue(app).items():
            msgid = key[0] if isinstance(key, tuple) else key
            msgid = msgid.split("\x04")[-1]
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{\w*\}", msgid):
                piece = piece.strip(" .,:;()‘’“”\n")
                if len(piece.split()) >= 3 and piece not in value:
                    sentences.add(piece)
    return sentences


@pytest.mark.django_db
def test_the_main_pages_render_in_dutch_with_no_english_leaking(client):
    from actieplan.meetings.models import Meeting
    from actieplan.models import Action
    from actieplan.reflection.models import ReflectionSession
    from good_practices.models import GoodPracticePage, GoodPracticeIndexPage

    call_command("load_demo_content", force=True, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="marieke.vandenheuvel"))
    action = Action.objects.filter(partnership__slug="vsv-regio-37-zuidoost-brabant").first()
    meeting = Meeting.objects.filter(partnership=action.partnership).first()
    session = ReflectionSession.objects.filter(partnership=action.partnership).first()
    urls = [
        reverse("actieplan:action_list"), reverse("actieplan:action_board"), reverse("actieplan:action_create"),
        reverse("actieplan:action_detail", args=[action.pk]), reverse("actieplan:action_edit", args=[action.pk]),
        reverse("actieplan:meeting_list"), reverse("actieplan:meeting_detail", args=[meeting.pk]),
        reverse("actieplan:reflection_list"), reverse("actieplan:reflection_detail", args=[session.pk]),
        reverse("actieplan:reflection_results", args=[session.pk]), reverse("actieplan:progress"),
        reverse("actieplan:search") + "?q=stage", reverse("actieplan:since"),
        reverse("actieplan:reminder_preferences"),
        GoodPracticeIndexPage.objects.live().first().url, GoodPracticePage.objects.live().first().url + "?q=ouders",
    ]
    sentences = english_sentences()
    assert len(sentences) > 500  # the check has teeth
    leaks = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = sorted(s for s in sentences if s in html)
        if found:
            leaks[url] = found
    assert leaks == {}


def test_the_apps_catalogues_leave_django_and_wagtails_own_dutch_alone():
    """The apps come before Wagtail in INSTALLED_APPS, so their catalogue wins for a msgid both have: a msgid of
    Django's or Wagtail's with another Dutch here would change the host's whole admin (it did for "Update",
    "Select", "Log in" and 14 more before they got msgids of their own)."""
    import django
    import wagtail

    theirs = {}
    for package in (django, wagtail):
        for mo_path in Path(package.__file__).parent.rglob("locale/nl/LC_MESSAGES/*.mo"):
            with open(mo_path, "rb") as mo:
                for msgid, text in gettext.GNUTranslations(mo)._catalog.items():
                    theirs.setdefault(msgid, text)
    changed = {msgid: (text, theirs[msgid]) for app in APPS for msgid, text in catalogue(app).items()
               if msgid and msgid in theirs and theirs[msgid] != text}
    assert changed == {}
