"""The one place where actions change, from the working group's pages, the admin and imports alike.

Each function runs in a transaction and writes Wagtail's audit log, so an action's history shows
in the admin (``wagtail.create``, ``wagtail.edit`` and our own ``actieplan.update``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as audit_log

from actieplan import conflicts
from actieplan.formats import moment_label
from actieplan.actions.models import Action, ActionStatus, ActionUpdate

UPDATE_LOG_ACTION = "actieplan.update"


class StatusConflict(ValidationError):
    """A new status chosen on a form that showed another status than the action has now (nothing was saved)."""


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    @actions.register_action(UPDATE_LOG_ACTION)
    class ProgressUpdateFormatter(LogFormatter):
        label = _("Progress updated")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            status = data.get("new_status")
            if status:
                return _("Progress added; new status: %(status)s") % {
                    "status": ActionStatus(status).label if status in ActionStatus.values else status}
            return _("Progress added")

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("note", "")


def _log(action, log_action, user, data=None):
    audit_log(instance=action, action=log_action, user=user if getattr(user, "is_authenticated", False) else None,
              data=data or {})


@transaction.atomic
def create_action(user, form=None, **fields):
    """Create an action from a valid ``ActionForm`` or from keyword fields (imports, demo, tests).

    Keyword fields are validated with ``Action.full_clean`` first, so an import gets the same Dutch
    messages as the form; a ``ValidationError`` leaves nothing saved.
    """
    if form is not None:
        action = form.save(commit=False)
        linked_pages = None
    else:
        linked_pages = fields.pop("linked_pages", None)
        action = Action(**fields)
        action.full_clean(exclude=["created_by"])
    if action.created_by_id is None and getattr(user, "is_authenticated", False):
        action.created_by = user
    action.save()
    if form is not None:
        form.save_m2m()
    elif linked_pages:
        action.linked_pages.set(linked_pages)
    _log(action, "wagtail.create", user)
    return action


def record_edit_on_timeline(user, before, action, deadline_reason="", *, in_admin=False):
    """Put an edit's new deadline (with its reason) and new status on the action's timeline.

    ``before`` is the action as stored before the edit. Used by the front-end form and the admin.
    """
    author = user if user.is_authenticated else None
    if action.deadline != before.deadline:
        ActionUpdate.objects.create(
            action=action, author=author,
            note=deadline_reason or _("Deadline changed while editing the action."),
            previous_deadline=before.deadline, new_deadline=action.deadline,
        )
    if action.status != before.status:
        where = _("in the admin") if in_admin else _("while editing the action")
        ActionUpdate.objects.create(
            action=action, author=author, new_status=action.status,
            note=_("Status changed from %(old)s to %(new)s %(where)s.") % {
                "old": ActionStatus(before.status).label, "new": action.get_status_display(), "where": where},
        )


def lock(action):
    """The action's row, locked until the transaction ends (every change to an action starts here)."""
    return Action.objects.select_for_update().get(pk=action.pk)


def check_unchanged(user, action, form):
    """Inside the saving transaction: lock the row and refuse (:class:`conflicts.EditConflict`) when a field the
    form showed changed since it was opened. Returns the action as stored before this save."""
    before = lock(action)
    conflict = form.conflict(before, current_user=user) if isinstance(form, conflicts.ConflictCheckedForm) else None
    if conflict:
        raise conflicts.EditConflict(conflict)
    return before


def changed_fields(before, action, form):
    """The names of the fields this edit changed (saved values, not the form's changed_data: an empty
    organisation that save() fills in again from the membership is no change)."""
    changed = [field.name for field in Action._meta.concrete_fields
               if field.name != "updated_at" and getattr(before, field.attname) != getattr(action, field.attname)]
    if "linked_pages" in form.changed_data:
        changed.append("linked_pages")
    return changed


@transaction.atomic
def edit_action(user, action, form, *, in_admin=False):
    """Save a valid ``ActionForm`` (or the admin's form) bound to ``action``; a status or deadline change also
    lands on the timeline. Refused when the action changed since the form was opened (``EditConflict``) or
    when the sub-action rule says no now that the rows are locked (``ValidationError``)."""
    before = check_unchanged(user, action, form)
    # Fields the form does not edit keep what is stored now, not what was read before the row was locked.
    for field in Action._meta.concrete_fields:
        if field.name not in form.fields and not field.primary_key and field.name != "updated_at":
            setattr(form.instance, field.attname, getattr(before, field.attname))
    errors = form.instance.sub_action_errors_locked()
    if errors:
        raise ValidationError(errors)
    action = form.save()
    changed = changed_fields(before, action, form)
    record_edit_on_timeline(user, before, action, form.cleaned_data.get("deadline_reason"), in_admin=in_admin)
    _log(action, "wagtail.edit", user, data={"changed_fields": changed})
    return action


def status_conflict(action, seen_status, user=None):
    """The Dutch reason why a status chosen on a form that showed ``seen_status`` is not applied: someone
    changed the status in between (who and when, from the audit log). None when nothing changed."""
    if not seen_status or seen_status == action.status or seen_status not in ActionStatus.values:
        return None
    entries = conflicts.log_entries(action)
    who = conflicts.attribute(["status"], entries, user)["status"]
    return _("The status of ‘%(title)s’ has meanwhile been changed from %(old)s to %(new)s by %(by)s "
             "(%(moment)s). Your choice has not been saved; choose again if that is still needed.") % {
        "title": action.title, "old": ActionStatus(seen_status).label, "new": action.get_status_display(),
        "by": who[0], "moment": moment_label(who[1]) if who[1] else _("just now")}


@transaction.atomic
def add_update(action, user, note, new_status=None, percent_done=None, seen_status=None):
    """Append a progress note to the timeline and apply its new status to the action.

    The action row is locked so two people updating at once both land on the timeline. A new status from a
    form that showed ``seen_status`` is refused when someone changed the status in between (the note is not
    saved either: the form keeps it). The sub-action rule holds from both sides (the main action is locked
    too). ``Action.save`` keeps ``completed_at`` in step with the status.
    """
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = _("Briefly write what happened.")
    else:
        # The same rules as the note field everywhere (the form, the mail link, the board, the check-in, the admin).
        try:
            for validate in ActionUpdate._meta.get_field("note").validators:
                validate(note)
        except ValidationError as error:
            errors["note"] = error.messages
    if new_status and new_status not in ActionStatus.values:
        errors["new_status"] = _("Choose a valid status.")
    if percent_done is not None and not 0 <= int(percent_done) <= 100:
        errors["percent_done"] = _("Enter a percentage from 0 to 100 inclusive.")
    if errors:
        raise ValidationError(errors)

    locked = lock(action)
    if new_status and new_status != locked.status:  # someone else choosing the same status is no conflict
        changed = status_conflict(locked, seen_status, user)
        if changed:
            raise StatusConflict({"new_status": changed})
    if new_status and new_status != locked.status:
        parent = Action.objects.select_for_update().filter(pk=locked.parent_id).first() if locked.parent_id else None
        refused = locked.status_refused(new_status, parent)
        if refused:
            raise ValidationError({"new_status": refused})
    update = ActionUpdate.objects.create(
        action=locked, author=user if getattr(user, "is_authenticated", False) else None, note=note,
        new_status=new_status or "", percent_done=percent_done,
    )
    if new_status and new_status != locked.status:
        locked.status = new_status
        locked.save(update_fields=["status", "completed_at", "updated_at"])
    # Keep the caller's object in step with the database.
    action.status, action.completed_at, action.updated_at = locked.status, locked.completed_at, locked.updated_at
    _log(locked, UPDATE_LOG_ACTION, user,
         data={"note": note, "new_status": new_status or "", "percent_done": percent_done, "update_id": update.pk})
    return update
