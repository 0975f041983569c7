"""Input hygiene in one place: what a title, a date and a number from a URL may be.

- Text pasted from Word is made plain before it is checked (:func:`normalise_pasted`): tabs and non-breaking
  or other odd spaces become one space, curly quotes straight ones, invisible zero-width characters and soft
  hyphens go. Titles (:class:`SingleLineCharField`) then say their length limit in a Dutch message instead of
  letting the browser cut a pasted title off at the limit without a word.
- Single-line fields (titles, names, places) refuse control characters and line breaks: a title with
  CR/LF ends up in mail subjects (``BadHeaderError``), one with ``\\x01`` or ESC cannot be written to XLSX.
- Dates stay in a sensible range: a deadline more than ten years out is a typo, not a plan.
- Numbers in query strings and prefills are parsed strictly: digits only, within a database integer.
- ``FORMULA_PREFIXES``: what a spreadsheet reads as a formula (``actieplan.spreadsheets`` writes every export).

Models use the validators on their fields, so model forms, the Wagtail admin and the import all refuse
the same input with the same Dutch message.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from actieplan.formats import day_label

#: Line breaks Python's ``str.splitlines`` knows, and every other control or format-breaking character.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
MAX_YEARS_AHEAD = 10
#: The largest id PostgreSQL's ``integer`` holds; bigger ones are not ids but overflow errors.
MAX_ID = 2**31 - 1


#: What Word and web pages put in copied text that looks like a space, a quote or nothing at all.
_PASTED_SPACES = "\t\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_PASTED_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_PASTED_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                  "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'}
_PASTED = str.maketrans({**dict.fromkeys(_PASTED_SPACES, " "), **dict.fromkeys(_PASTED_INVISIBLE),
                         **_PASTED_QUOTES})
_RUNS_OF_SPACES = re.compile(r" {2,}")


def normalise_pasted(value, multiline=False):
    """Text as Word pastes it, made plain: odd spaces and tabs become spaces, curly quotes straight, invisible
    characters go, Unicode composed (NFC). A single line also loses runs of spaces and its outer spaces; in
    multi-line text line breaks and tabs (indentation) stay. Line breaks and real control characters in a single
    line are left for :data:`validate_single_line` to refuse: they are never typed by accident."""
    if not isinstance(value, str) or not value:
        return value
    value = unicodedata.normalize("NFC", value)
    if multiline:
        table = {k: v for k, v in _PASTED.items() if k != ord("\t")}
        return "\n".join(line.translate(table).rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()
    return _RUNS_OF_SPACES.sub(" ", value.translate(_PASTED)).strip()


class SingleLineField(forms.CharField):
    """A title or name as people paste it: normalised first, then checked, and an over-long one gets a Dutch
    message with the limit. The input has no ``maxlength``: a browser would cut a pasted title off silently."""

    default_error_messages = {
        "max_length": _("This text is %(show_value)d characters long; only %(limit_value)d fit. Make it "
                        "shorter: nothing has been saved or cut off yet."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

    def to_python(self, value):
        return normalise_pasted(super().to_python(value))


class SingleLineCharField(models.CharField):
    """A model's title or place: :data:`validate_single_line` in the model, :class:`SingleLineField` in forms (the
    front end's and Wagtail's admin alike)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SingleLineField, **kwargs})


def has_control_characters(value):
    return any(unicodedata.category(ch) == "Cc" or ch in _LINE_BREAKS for ch in value)


def strip_control_characters(value):
    """``value`` without control characters, lone surrogates or XML non-characters; tabs and line breaks stay.
    For text kept as typed (a participant's draft, an export cell), where refusing is not an option."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if (ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cs"))
                   and ch not in "\ufffe\uffff")


@deconstructible
class SingleLineValidator:
    """A title, name or place: one line of printable text."""

    message = _("Use a single line of plain text, without line breaks or invisible control characters.")
    code = "single_line"

    def __call__(self, value):
        if value and has_control_characters(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator)


validate_single_line = SingleLineValidator()


@deconstructible
class MultiLineTextValidator:
    """A description or note: line breaks and tabs are fine, other control characters are not."""

    message = _("The text contains invisible control characters. Remove them or type the text again.")
    code = "control_characters"

    def __call__(self, value):
        if value and any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, MultiLineTextValidator)


validate_multiline_text = MultiLineTextValidator()


#: The longest text each kind of field takes: enough for any real note, far below what slows a page down. A
#: 2,000,000-character note once landed on a timeline, where it could be neither edited nor deleted.
MAX_COMMENT_CHARS = 2_000
MAX_NOTE_CHARS = 5_000
MAX_DESCRIPTION_CHARS = 10_000
MAX_MINUTES_NOTE_CHARS = 20_000


@deconstructible
class MaxTextLengthValidator:
    """A note, description or comment of at most ``limit`` characters, with a Dutch message that says both."""

    code = "too_long"

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        if value and len(str(value)) > self.limit:
            raise ValidationError(
                _("This text is %(length)s characters long; at most %(limit)s fit. Make it shorter, or "
                  "spread it over more notes."),
                code=self.code, params={"length": f"{len(str(value)):,}".replace(",", "."),
                                        "limit": f"{self.limit:,}".replace(",", ".")})

    def __eq__(self, other):
        return isinstance(other, MaxTextLengthValidator) and other.limit == self.limit


def latest_allowed_date(today=None):
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def validate_not_far_future(value):
    """A deadline or agreed date at most ten years from today."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value and value > latest_allowed_date():
        raise ValidationError(
            _("This date is more than %(years)d years in the future. Choose a date before %(limit)s."),
            code="far_future", params={"years": MAX_YEARS_AHEAD, "limit": day_label(latest_allowed_date())},
        )


_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value):
    """An id from a URL or prefill: ASCII digits only, 1 … 2**31-1; anything else is None (never an error)."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_int(value, default=None, *, minimum=None, maximum=None):
    """A number from a query string (page, year, days): digits with an optional minus, clamped to the range."""
    if not isinstance(value, str) or not re.fullmatch(r"-?[0-9]{1,10}", value.strip()):
        return default
    number = int(value.strip())
    if minimum is not None and number < minimum:
        return default
    if maximum is not None and number > maximum:
        return default
    return number


def one_line(value):
    """For places where old data may still hold line breaks (mail subjects): fold them into spaces."""
    return " ".join("".join(" " if (unicodedata.category(ch) == "Cc" or ch in _LINE_BREAKS) else ch
                            for ch in str(value)).split())


# --- exports -------------------------------------------------------------------------------------

#: Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"); actieplan.spreadsheets
#: neutralises them in every export.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
