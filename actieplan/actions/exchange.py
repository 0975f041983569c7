"""Export and import of the action plan as CSV or XLSX: pure domain code, used by views/exchange.py.

The export's columns are exactly the import's columns, so a working group can download the plan,
edit it in a spreadsheet and upload new actions again. An import is all or nothing: every row is
checked first (with a Dutch message per problem) and nothing is saved unless the whole file is valid.
"""

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actieplan.actions.models import Action, ActionStatus, is_overdue
from actieplan.partnerships.reference import BoardDomain, MandateLevel, ReflectionTheme
from actieplan.partnerships.models import Membership
from actieplan.spreadsheets import DutchCsv, Workbook
from actieplan.actions.services import create_action


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: object  # lazy Dutch text
    required: bool = False


COLUMNS = [
    ColumnSpec("title", gettext_lazy("Title"), required=True),
    ColumnSpec("description", gettext_lazy("Brief description")),
    ColumnSpec("partnership", gettext_lazy("Partnership")),
    ColumnSpec("theme", gettext_lazy("Theme"), required=True),
    ColumnSpec("board", gettext_lazy("Board")),
    ColumnSpec("owner", gettext_lazy("Owner"), required=True),
    ColumnSpec("owner_organisation", gettext_lazy("Organisation")),
    ColumnSpec("mandate_level", gettext_lazy("Mandate level"), required=True),
    ColumnSpec("deadline", gettext_lazy("Deadline"), required=True),
    ColumnSpec("status", gettext_lazy("Status")),
]

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y")
MAX_ROWS = 2000
#: Bounds checked while a file is read, before any row is built: far more than a real plan needs.
MAX_COLUMNS = 50
MAX_CELL_CHARS = 10_000
#: Uncompressed bytes of all the parts of an XLSX together (the upload itself is at most 5 MB). The sizes a zip
#: declares bound what Python's zipfile unpacks (it stops there and fails the checksum), so checking them refuses
#: a zip bomb before a single byte is unpacked.
MAX_XLSX_XML_BYTES = 40 * 1024 * 1024
#: Any part other than a worksheet or the shared strings (styles, theme, workbook, …): tens of kilobytes in a real
#: file; openpyxl parses these whole, so each gets a tight bound of its own.
MAX_XLSX_OTHER_PART_BYTES = 2 * 1024 * 1024
#: Parts in the archive: a workbook from Excel, LibreOffice or our export has about a dozen.
MAX_XLSX_PARTS = 500


def front_end_action_url(action):
    """The working group's page of an action (relative URL)."""
    try:
        return reverse("actieplan:action_detail", args=[action.pk])
    except NoReverseMatch:  # the front end is not mounted (e.g. an admin-only install)
        return reverse("actieplan:action_list")


def headers():
    return [str(column.header) for column in COLUMNS]


# --- export --------------------------------------------------------------------------------------

def shared_emails():
    """Email addresses (lower case) that more than one account uses: those cannot name an owner."""
    return set(get_user_model().objects.exclude(email="").annotate(address=Lower("email"))
               .values("address").annotate(n=Count("pk")).filter(n__gt=1).values_list("address", flat=True))


def owner_key(user, shared=None):
    """How a file names a person: the email address when it is unique, otherwise the username."""
    shared = shared_emails() if shared is None else shared
    if user.email and user.email.lower() not in shared:
        return user.email
    return user.get_username()


def export_rows(actions):
    """One list of cell values per action, in COLUMNS order (dates as ``datetime.date``)."""
    actions = actions.select_related("partnership", "theme", "owner", "owner_organisation")
    shared = shared_emails()
    rows = []
    for action in actions:
        rows.append([
            action.title,
            action.description,
            action.partnership.name,
            action.theme.name,
            action.get_board_display() if action.board else "",
            owner_key(action.owner, shared),
            action.owner_organisation.name if action.owner_organisation else "",
            str(action.get_mandate_level_display()),
            action.deadline,
            str(action.get_status_display()),
        ])
    return rows


def export_csv(actions):
    """CSV as Dutch spreadsheets expect it (actieplan.spreadsheets): BOM, semicolons, dates as dd-mm-jjjj."""
    out = DutchCsv(headers())
    out.rows(export_rows(actions))
    return out.content()


def export_xlsx(actions):
    book = Workbook()
    sheet = book.sheet(_("Action plan"))
    sheet.append(headers(), bold=True)
    for row in export_rows(actions):
        sheet.append(row)
    sheet.widths([40, 50, 30, 22, 14, 30, 30, 26, 12, 12])
    sheet.freeze("A2")
    return book.content()


# --- reading a file ------------------------------------------------------------------------------

class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing required columns)."""


def _normalise(text):
    return " ".join(str(text or "").strip().lower().split())


def read_table(uploaded_name, content):
    """Return (header list, list of row lists) from CSV or XLSX bytes."""
    name = (uploaded_name or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(content)
    raise FileError(_("This file type is not supported. Upload a .csv or .xlsx file."))


def _too_many_rows():
    return FileError(_("The file has more than %(max)s rows; split it up.") % {"max": MAX_ROWS})


def _too_many_columns():
    return FileError(_("The file has more than %(max)s columns. Use the columns of an export.")
                     % {"max": MAX_COLUMNS})


def _cell_too_long():
    return FileError(_("A cell contains more than %(max)s characters. Is this the right file?") % {"max": MAX_CELL_CHARS})


def _read_csv(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise FileError(_("The file could not be read. Save it as CSV (UTF-8)."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = []
    try:
        # Read row by row and stop at the first limit: a huge file never becomes a huge list.
        for row in csv.reader(io.StringIO(text), dialect):
            if len(row) > MAX_COLUMNS:
                raise _too_many_columns()
            if any(len(cell) > MAX_CELL_CHARS for cell in row):
                raise _cell_too_long()
            if any(cell.strip() for cell in row):
                rows.append(row)
                if len(rows) > MAX_ROWS + 1:
                    raise _too_many_rows()
    except csv.Error as exc:  # e.g. a field over the csv module's limit, or a NUL byte
        raise FileError(_("The CSV file could not be read (%(reason)s). Save it again as CSV (UTF-8).")
                        % {"reason": _("a cell is too long or contains invalid characters")}) from exc
    if not rows:
        raise FileError(_("The file is empty."))
    return rows[0], rows[1:]


_UNREADABLE_XLSX = gettext_lazy("The Excel file could not be read. Is it a valid .xlsx file?")


def _column_number(reference):
    """"AB12" -> 28; the letters of a cell reference as a 1-based column number."""
    number = 0
    for ch in reference:
        if not ch.isalpha():
            break
        number = number * 26 + (ord(ch.upper()) - 64)
    return number


def _check_xlsx_bounds(content):
    """Check an XLSX's declared and real size by streaming its XML, before openpyxl builds anything.

    openpyxl trusts ``<dimension ref="A1:XFD1048576">`` and pads every row up to it, so a 5 KB file
    could ask for a hundred gigabytes. Here the declared dimension, every row number, the cells per
    row and the uncompressed bytes are checked as the XML streams by; a cut-off sheet is a FileError too.
    """
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileError(str(_UNREADABLE_XLSX)) from exc
    too_big = FileError(_("The Excel file is too large when unpacked; split it up."))
    if len(parts) > MAX_XLSX_PARTS:
        raise FileError(_("The Excel file consists of too many parts (more than %(max)s). Is it an ordinary "
                          "spreadsheet? Save it again as .xlsx.") % {"max": MAX_XLSX_PARTS})
    members = [info for info in parts
               if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")]
    strings = [info for info in parts if info.filename == "xl/sharedStrings.xml"]
    if not members:
        raise FileError(str(_UNREADABLE_XLSX))
    # Every part is bounded, not only the sheets: a 150 KB file once unpacked its styles to 150 MiB.
    if sum(info.file_size for info in parts) > MAX_XLSX_XML_BYTES:
        raise too_big
    if any(info.file_size > MAX_XLSX_OTHER_PART_BYTES for info in parts if info not in members + strings):
        raise too_big
    for info in members:
        rows = 0
        try:
            with archive.open(info) as stream:
                for _event, element in iterparse(stream, events=("end",)):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "dimension":
                        last = (element.get("ref") or "A1").split(":")[-1]
                        declared_rows = int("".join(ch for ch in last if ch.isdigit()) or 1)
                        if declared_rows > MAX_ROWS + 1:
                            raise _too_many_rows()
                        if _column_number(last) > MAX_COLUMNS:
                            raise _too_many_columns()
                    elif tag == "c":
                        if _column_number(element.get("r") or "A") > MAX_COLUMNS:
                            raise _too_many_columns()
                    elif tag == "row":
                        rows += 1
                        number = element.get("r")
                        if rows > MAX_ROWS + 1 or (number and (not number.isdigit() or int(number) > MAX_ROWS + 1)):
                            raise _too_many_rows()
                        if len(element) > MAX_COLUMNS:
                            raise _too_many_columns()
                        element.clear()
        except ParseError as exc:
            raise FileError(_("The Excel file is damaged or incomplete (the worksheet stops halfway). Save "
                              "it again and upload it once more.")) from exc
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
            raise FileError(str(_UNREADABLE_XLSX)) from exc


def _read_xlsx(content):
    from openpyxl import load_workbook

    _check_xlsx_bounds(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the row and column counts were checked above, from the real XML
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARS for cell in row):
                raise _cell_too_long()
            if any(cell not in (None, "") for cell in row):
                rows.append(list(row))
        workbook.close()
    except FileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileError(str(_UNREADABLE_XLSX)) from exc
    if not rows:
        raise FileError(_("The file is empty."))
    return [str(cell or "") for cell in rows[0]], rows[1:]


def map_columns(header):
    """Map column keys to their position; unknown headers are ignored, missing required ones fail."""
    by_header = {_normalise(column.header): column.key for column in COLUMNS}
    by_header.update({column.key: column.key for column in COLUMNS})
    by_header.update({"e-mail eigenaar": "owner", "reflectiethema": "theme", "organisatie van de eigenaar":
                      "owner_organisation"})
    positions = {}
    for index, name in enumerate(header):
        key = by_header.get(_normalise(name))
        if key and key not in positions:
            positions[key] = index
    missing = [str(column.header) for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise FileError(_("These required columns are missing: %(columns)s. The first row must contain the "
                          "column names, as in an export.") % {"columns": ", ".join(missing)})
    return positions


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows_as_dicts(header, rows):
    """Plain-text row dicts (JSON-safe, so the preview can carry them to the confirm step)."""
    positions = map_columns(header)
    if len(rows) > MAX_ROWS:
        raise FileError(_("The file has more than %(max)s rows; split it up.") % {"max": MAX_ROWS})
    result = []
    for row in rows:
        result.append({key: _cell_text(row[index]) if index < len(row) else "" for key, index in positions.items()})
    return result


# --- validating rows -----------------------------------------------------------------------------

@dataclass
class RowResult:
    number: int  # the spreadsheet row number (header is row 1)
    data: dict
    errors: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    #: The action already in the plan that this row repeats (same title, owner and deadline), or None.
    duplicate_of: object = None
    #: The earlier row of the same file that this row repeats, or None.
    same_as_row: int | None = None

    @property
    def ok(self):
        return not self.errors


def parse_date(text):
    text = (text or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _choice(choices, text):
    """Match a Dutch label or a stored value, case-insensitively."""
    wanted = _normalise(text)
    for value, label in choices:
        if wanted in (_normalise(value), _normalise(label)):
            return value
    return None


class Lookups:
    """Everything the rows refer to, loaded once per file instead of once per row."""

    def __init__(self, partnership):
        self.partnership = partnership
        self.themes = {_normalise(t.name): t for t in ReflectionTheme.objects.all()}
        self.themes.update({_normalise(t.slug): t for t in self.themes.values()})
        self.memberships = {m.user_id: m for m in Membership.objects.filter(partnership=partnership)
                            .select_related("organisation")}

    def find_user(self, text):
        """Return (user, error), looking only among the partnership's members.

        Someone who is not a member gets the same answer whether or not an account exists anywhere on the
        platform: the preview must not tell whoever imports which addresses have an account.
        """
        User = get_user_model()
        text = text.strip()
        users = list(User.objects.filter(Q(**{f"{User.USERNAME_FIELD}__iexact": text}) | Q(email__iexact=text),
                                         is_active=True, pk__in=list(self.memberships))[:3])
        by_username = [u for u in users if u.get_username().lower() == text.lower()]
        if by_username:
            return by_username[0], None
        if len(users) == 1:
            return users[0], None
        if not users:
            return None, _("Owner “%(owner)s” is not a member of %(partnership)s. Use the email address or "
                           "username of a member, or add the person as a member first.") % {
                "owner": text, "partnership": self.partnership}
        return None, _("The email address “%(owner)s” belongs to several members; use the username.") % {
            "owner": text}


def validate_row(number, data, lookups, today=None):
    """Check one row and build the Action fields; every problem becomes a Dutch message."""
    today = today or timezone.localdate()
    result = RowResult(number=number, data=data)
    errors = result.errors
    partnership = lookups.partnership

    title = data.get("title", "").strip()
    if not title:
        errors.append(_("Title is missing."))
    elif len(title) > Action._meta.get_field("title").max_length:
        errors.append(_("Title is too long (200 characters at most)."))

    named = data.get("partnership", "").strip()
    if named and _normalise(named) != _normalise(partnership.name):
        errors.append(_("This row belongs to partnership “%(named)s”, not to “%(chosen)s”.") % {
            "named": named, "chosen": partnership.name})

    theme = None
    theme_text = data.get("theme", "").strip()
    if not theme_text:
        errors.append(_("Theme is missing."))
    else:
        theme = lookups.themes.get(_normalise(theme_text))
        if theme is None:
            errors.append(_("Theme “%(theme)s” does not exist. Choose from: %(choices)s.") % {
                "theme": theme_text,
                "choices": ", ".join(sorted({t.name for t in lookups.themes.values()}))})

    board = ""
    if data.get("board", "").strip():
        board = _choice(BoardDomain.choices, data["board"])
        if board is None:
            errors.append(_("Board “%(board)s” does not exist. Choose from: inhoud, samenwerking, verankering.") % {
                "board": data["board"]})
            board = ""

    owner = None
    owner_text = data.get("owner", "").strip()
    if not owner_text:
        errors.append(_("Owner is missing."))
    else:
        owner, error = lookups.find_user(owner_text)
        if error:
            errors.append(error)

    organisation = None
    org_text = data.get("owner_organisation", "").strip()
    if owner is not None:
        organisation = lookups.memberships[owner.pk].organisation
        if org_text and _normalise(org_text) != _normalise(organisation.name):
            errors.append(_("Organisation “%(org)s” does not match the owner, who is a member on behalf of %(member_org)s.") % {
                "org": org_text, "member_org": organisation.name})

    mandate_level = None
    level_text = data.get("mandate_level", "").strip()
    if not level_text:
        errors.append(_("Mandate level is missing."))
    else:
        mandate_level = _choice(MandateLevel.choices, level_text)
        if mandate_level is None:
            errors.append(_("Mandate level “%(level)s” does not exist. Choose from: %(choices)s.") % {
                "level": level_text, "choices": ", ".join(str(label) for _v, label in MandateLevel.choices)})

    status = ActionStatus.OPEN
    status_text = data.get("status", "").strip()
    if status_text:
        status = _choice(ActionStatus.choices, status_text)
        if status is None:
            errors.append(_("Status “%(status)s” does not exist. Choose from: %(choices)s.") % {
                "status": status_text, "choices": ", ".join(str(label) for _v, label in ActionStatus.choices)})
            status = ActionStatus.OPEN

    deadline = None
    deadline_text = data.get("deadline", "").strip()
    if not deadline_text:
        errors.append(_("Deadline is missing."))
    else:
        deadline = parse_date(deadline_text)
        if deadline is None:
            errors.append(_("Deadline “%(date)s” is not a valid date; write, for example, 31-12-%(year)s.") % {
                "date": deadline_text, "year": today.year})
        elif is_overdue(status, deadline, today):  # a new action may not start overdue
            errors.append(_("Deadline %(date)s is in the past. Choose today or a later date.") % {
                "date": deadline.strftime("%d-%m-%Y")})

    if not errors:
        result.fields = {
            "title": title, "description": data.get("description", "").strip(), "partnership": partnership,
            "theme": theme, "board": board, "owner": owner, "owner_organisation": organisation,
            "mandate_level": mandate_level, "deadline": deadline, "status": status,
        }
        # The model's own rules too (the same Dutch messages as the form), without saving.
        try:
            Action(**result.fields).full_clean(exclude=["created_by"])
        except ValidationError as exc:
            errors.extend(message for messages in exc.message_dict.values() for message in messages)
    return result


def validate_rows(rows, partnership, today=None):
    """Check every row; returns the list of RowResult (header counts as row 1)."""
    lookups = Lookups(partnership)
    return [validate_row(index, data, lookups, today) for index, data in enumerate(rows, start=2)]


def rows_digest(rows):
    """A fingerprint of a file's rows (what was read, not the bytes): the same file a second time has the same."""
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _same_action_key(title, owner_id, deadline):
    return (" ".join(title.split()).casefold(), owner_id, deadline)


def mark_duplicates(results, partnership):
    """Mark each valid row that repeats an action already in the plan (same title, owner and deadline: what an
    import of the same file a second time would make again) or an earlier row of the same file. One query."""
    valid = [r for r in results if r.ok]
    if not valid:
        return results
    existing = {}
    candidates = (Action.objects.filter(partnership=partnership,
                                        title__in={r.fields["title"] for r in valid},
                                        deadline__in={r.fields["deadline"] for r in valid})
                  .select_related("created_by").order_by("created_at", "pk"))
    for action in candidates:
        existing.setdefault(_same_action_key(action.title, action.owner_id, action.deadline), action)
    seen = {}
    for result in valid:
        key = _same_action_key(result.fields["title"], result.fields["owner"].pk, result.fields["deadline"])
        result.duplicate_of = existing.get(key)
        result.same_as_row = seen.get(key)
        seen.setdefault(key, result.number)
    return results


def import_rows(rows, partnership, user, skip_duplicates=False):
    """Validate again and create every action in one transaction; nothing is saved unless all rows are valid.

    With ``skip_duplicates`` the rows that repeat an action already in the plan (or an earlier row) are left out.
    Returns (created actions, results). Saves through services.create_action, which writes the audit log.
    """
    results = validate_rows(rows, partnership)
    if not results or any(not r.ok for r in results):
        return [], results
    if skip_duplicates:
        mark_duplicates(results, partnership)
    created = []
    with transaction.atomic():
        for result in results:
            if skip_duplicates and (result.duplicate_of is not None or result.same_as_row is not None):
                continue
            created.append(create_action(user, created_by=user, **result.fields))
    return created, results
