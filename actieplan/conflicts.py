"""Two people editing the same thing: a save never overwrites what someone else changed in between.

A form that edits a record carries, in a signed hidden field (``versie``), the values it showed and the moment it
was opened. The single write path (``actions/services.py``, ``meetings/minutes.py``) locks the row, compares those
values with the row as it is now (:func:`check`) and refuses the save when a field changed in between
(:class:`EditConflict`). The view then shows the form again: what this person typed stays, the fields they did
not touch show the new values, and a Dutch message says what changed (from what to what) and who did it (from
Wagtail's audit log). Saving that form again applies both changes.

Only real changes count: a field that someone changed and changed back, or a note added to the timeline, is no
conflict. A form posted without the field (a page from before this check) is saved as before.
"""

import datetime
import decimal
from dataclasses import dataclass, field as dataclass_field

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from actieplan.formats import moment_label, day_label, person_name

FIELD = "versie"
SALT = "actieplan.conflicts"
#: How long a form may stay open before its version is no longer read (then it saves as an unchecked form).
MAX_AGE = 60 * 60 * 24 * 14
#: How much of a long text the message quotes.
QUOTE_CHARS = 300


# --- the state a form showed -------------------------------------------------------------------------

def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def value_of(instance, name):
    """The value of ``name`` on ``instance`` as plain JSON: ids for relations (a sorted list for many-to-many),
    ISO text for dates."""
    field = _model_field(type(instance), name)
    if field is None:
        value = getattr(instance, name, None)
    elif field.many_to_many:
        if instance.pk is None:
            return []
        return sorted(obj.pk for obj in field.value_from_object(instance))
    elif field.is_relation:
        value = getattr(instance, field.attname)
    else:
        value = field.value_from_object(instance)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def state(instance, names):
    """``{name: value}`` of ``instance`` (see :func:`value_of`)."""
    return {name: value_of(instance, name) for name in names}


def sign(instance, names):
    """The token a form carries: the state it shows and when it was opened."""
    return signing.dumps({"s": state(instance, names), "t": timezone.now().isoformat()}, salt=SALT, compress=True)


def sign_state(value):
    """A token for any JSON ``value`` a page showed (e.g. the minutes as a whole), with the moment."""
    return signing.dumps({"s": value, "t": timezone.now().isoformat()}, salt=SALT, compress=True)


def read(token):
    """``(state, opened_at)`` from a token, or None (missing, tampered with, or older than :data:`MAX_AGE`)."""
    if not token:
        return None
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return payload["s"], datetime.datetime.fromisoformat(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def python_value(model, name, value):
    """A state value as a form's ``initial`` takes it (a date object for a date field, ids for relations)."""
    field = _model_field(model, name)
    if field is None or field.is_relation or value is None:
        return value
    try:
        return field.to_python(value)
    except ValidationError:
        return value


# --- what changed, and who did it ---------------------------------------------------------------------

@dataclass
class Change:
    """One field that changed since the form was opened."""

    name: str
    label: str
    before: str
    after: str
    by: str
    at: datetime.datetime | None
    #: What this person typed in that field, when it differs from what the form showed (else None).
    typed: str | None = None

    @property
    def moment(self):
        return moment_label(self.at) if self.at else ""


@dataclass
class Conflict:
    """What changed in a record since a form was opened; ``message`` says it in one Dutch sentence."""

    subject: str
    changes: list = dataclass_field(default_factory=list)

    def __bool__(self):
        return bool(self.changes)

    @property
    def people(self):
        return sorted({change.by for change in self.changes})

    @property
    def message(self):
        return _("%(subject)s has been changed by %(people)s since you opened this form. Nothing has been "
                 "overwritten: check the new values and save again.") % {
            "subject": self.subject, "people": _(" and ").join(self.people)}

    @property
    def lines(self):
        """One Dutch line per change: the field, from what to what, by whom and when."""
        lines = []
        for change in self.changes:
            line = _("%(field)s: %(before)s → %(after)s (%(by)s, %(moment)s)") % {
                "field": change.label, "before": change.before, "after": change.after, "by": change.by,
                "moment": change.moment or _("just now")}
            if change.typed is not None:
                line += " " + _("You had entered: %(typed)s; that is still in the form.") % {"typed": change.typed}
            lines.append(line)
        return lines

    def __str__(self):
        return " ".join([self.message, *self.lines])


class EditConflict(ValidationError):
    """Raised by a write path when the record changed since the form was opened; nothing was saved."""

    def __init__(self, conflict):
        self.conflict = conflict
        super().__init__(str(conflict), code="conflict")


def display(model, name, value):
    """``value`` of field ``name`` as a person reads it: names, labels, dates, a quoted text."""
    field = _model_field(model, name)
    if value in (None, "", []):
        return _("(empty)")
    if field is not None and field.is_relation:
        related = field.related_model
        ids = value if field.many_to_many else [value]
        objects = {obj.pk: obj for obj in related._default_manager.filter(pk__in=ids)}
        shown = [person_name(objects[pk]) if related is get_user_model() and pk in objects
                 else str(objects.get(pk, _("(deleted)"))) for pk in ids]
        return ", ".join(shown)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(python_value(model, name, value), value))
    python = python_value(model, name, value)
    if isinstance(python, datetime.datetime):
        return moment_label(python)
    if isinstance(python, datetime.date):
        return day_label(python)
    if isinstance(python, bool):
        return _("yes") if python else _("no")
    return "‘%s’" % Truncator(" ".join(str(python).split())).chars(QUOTE_CHARS)


def label_of(model, name, labels=None):
    if labels and name in labels:
        return str(labels[name])
    field = _model_field(model, name)
    return str(field.verbose_name).capitalize() if field is not None else name


def log_entries(instance, since=None, item=None):
    """Wagtail's audit log of ``instance`` (newest first), from ``since``; ``item`` narrows the entries of a
    meeting to those about one agenda item."""
    entries = ModelLogEntry.objects.for_instance(instance).order_by("-timestamp", "-pk")
    if since is not None:
        entries = entries.filter(timestamp__gte=since - datetime.timedelta(seconds=1))
    if item is not None:
        entries = entries.filter(data__item=item)
    return list(entries[:50])


def fields_of_entry(entry):
    """The fields a log entry says it changed, or None when it does not say."""
    data = entry.data or {}
    if data.get("changed_fields") is not None:
        return set(data["changed_fields"])
    if data.get("new_status"):
        return {"status"}
    return None


def _who(entry, current_user):
    if current_user is not None and entry.user_id == getattr(current_user, "pk", None):
        return _("yourself (in another window)")
    user = get_user_model().objects.filter(pk=entry.user_id).first() if entry.user_id else None
    if user is None:
        return _("someone else") if not entry.user_id else person_name(None)
    return person_name(user)


def latest(entries, current_user=None):
    """``(who, when)`` of the newest of ``entries`` (newest first), for a change the log names as a whole."""
    entry = next(iter(entries), None)
    return (_who(entry, current_user), entry.timestamp) if entry else (_("someone else"), None)


def attribute(changed, entries, current_user=None):
    """``{field: (who, when)}``: per changed field the latest log entry that changed it (else the latest entry)."""
    who = {}
    for name in changed:
        chosen = next((e for e in entries if (fields_of_entry(e) or set()) and name in fields_of_entry(e)), None)
        chosen = chosen or next((e for e in entries if fields_of_entry(e) is None), None)
        who[name] = (_who(chosen, current_user), chosen.timestamp) if chosen else (_("someone else"), None)
    return who


def check(instance, names, seen, *, subject, entries=(), current_user=None, typed=None, labels=None):
    """The :class:`Conflict` between ``seen`` (the state a form showed) and ``instance`` now (empty when nothing
    changed). ``typed`` holds what this person entered, per field they changed."""
    model = type(instance)
    now = state(instance, names)
    changed = [name for name in names if name in seen and seen[name] != now[name]]
    conflict = Conflict(subject=subject)
    if not changed:
        return conflict
    who = attribute(changed, list(entries), current_user)
    for name in changed:
        conflict.changes.append(Change(
            name=name, label=label_of(model, name, labels), before=display(model, name, seen[name]),
            after=display(model, name, now[name]), by=who[name][0], at=who[name][1],
            typed=(typed or {}).get(name)))
    return conflict


# --- the form side ------------------------------------------------------------------------------------

class ConflictCheckedForm:
    """A form mixin: carries the version of ``self.instance`` it was opened with (the hidden ``versie`` field).

    ``conflict_fields`` names the compared fields; by default every form field that is a field of the model.
    The view calls :meth:`conflict` before validating (so a changed deadline does not turn into a misleading
    "give a reason" error) and the write path checks again with the row locked.
    """

    conflict_fields = None
    conflict_labels = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound and self.instance.pk is not None and FIELD not in self.initial:
            # Signed when the form is rendered, after the subclass chose its fields.
            self.initial[FIELD] = lambda: sign(self.instance, self.conflict_names())

    def conflict_names(self):
        if self.conflict_fields is not None:
            return list(self.conflict_fields)
        model = type(self.instance)
        return [name for name in self.fields if name != FIELD and _model_field(model, name) is not None
                and not self.fields[name].disabled]

    def seen(self):
        """``(state, opened_at)`` this form was opened with, or None."""
        return read(self.data.get(self.add_prefix(FIELD)) if self.is_bound else None)

    def raw_value(self, name):
        field = self.fields[name]
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

    def typed_changes(self, seen_state):
        """The fields whose posted value differs from what the form showed: ``{name: raw posted value}``."""
        model = type(self.instance)
        typed = {}
        for name in self.conflict_names():
            if name not in self.fields or name not in seen_state:
                continue
            initial = python_value(model, name, seen_state[name])
            if self.fields[name].has_changed(initial, self.raw_value(name)):
                typed[name] = self.raw_value(name)
        return typed

    def conflict(self, instance=None, entries=None, current_user=None, subject=None):
        """The :class:`Conflict` between this posted form and ``instance`` as stored now (default: a fresh read)."""
        seen = self.seen()
        if seen is None:
            return Conflict(subject="")
        seen_state, opened_at = seen
        model = type(self.instance)
        if instance is None:
            instance = model._default_manager.get(pk=self.instance.pk)
        typed = self.typed_changes(seen_state)
        shown = {name: self._typed_display(name, value) for name, value in typed.items()}
        return check(instance, self.conflict_names(), seen_state, subject=subject or self.conflict_subject(instance),
                     entries=log_entries(instance, opened_at) if entries is None else entries(opened_at),
                     current_user=current_user, typed=shown, labels=self.conflict_labels)

    def conflict_subject(self, instance):
        return _("%(model)s ‘%(name)s’") % {"model": str(instance._meta.verbose_name).capitalize(),
                                             "name": Truncator(str(instance)).chars(80)}

    def _typed_display(self, name, raw):
        model = type(self.instance)
        if name not in self.fields:
            return "‘%s’" % Truncator(str(raw)).chars(QUOTE_CHARS)
        try:
            cleaned = self.fields[name].clean(raw)
        except ValidationError:
            return "‘%s’" % Truncator(str(raw)).chars(QUOTE_CHARS)
        if hasattr(cleaned, "pk"):
            cleaned = cleaned.pk
        elif hasattr(cleaned, "values_list"):
            cleaned = sorted(cleaned.values_list("pk", flat=True))
        elif isinstance(cleaned, (datetime.date, datetime.datetime)):
            cleaned = cleaned.isoformat()
        return display(model, name, cleaned)

    def merged_initial(self, current):
        """What the form shows after a conflict: this person's typed values where they changed a field, the
        stored values elsewhere, and a new version (so saving again applies both)."""
        seen = self.seen()
        names = self.conflict_names()
        typed = self.typed_changes(seen[0]) if seen else {}
        stored = state(current, names)
        initial = {name: self.raw_value(name) for name in self.fields if name != FIELD and name not in names}
        initial.update({name: python_value(type(current), name, stored[name]) for name in names if name in self.fields})
        initial.update(typed)
        for name in typed:
            field = _model_field(type(current), name)
            if field is not None and field.many_to_many:
                # A list of links merges: what this person added or removed, on top of what is stored now.
                seen_ids, typed_ids = {str(pk) for pk in seen[0][name]}, {str(pk) for pk in typed[name]}
                now = {str(pk) for pk in stored[name]}
                merged = (now | (typed_ids - seen_ids)) - (seen_ids - typed_ids)
                initial[name] = sorted(merged, key=lambda v: (len(v), v))
        initial[FIELD] = sign(current, names)
        return initial


conflict_title = gettext_lazy("Someone else got there first")
