"""Mails that other capabilities send through the reminder log.

The reminder log and its delivery know the action plan's own kinds (deadlines, events, digests). A capability
above them (the meetings: check-ins before, minutes after) registers its kinds here from ``AppConfig.ready``:
how to plan them in the hourly scan, how to write the message, and when a logged row is no longer worth
sending. The log then sends them exactly like every reminder, and nothing here imports that capability. A
capability may also add a section to the weekly digest (the changes in what one follows).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MailKind:
    """One registered kind: ``message(reminder, now)`` -> (subject, template name without extension, context);
    ``why_not(reminder, now)`` -> a reason not to send any more, or ''; ``plan(now)`` -> the ``Planned`` rows
    due at ``now`` (None: decided elsewhere, e.g. when minutes are closed)."""

    kind: str
    message: object
    why_not: object
    plan: object = None


_registered = {}


def register(kind, *, message, why_not, plan=None):
    _registered[str(kind)] = MailKind(str(kind), message, why_not, plan)


def registered(kind):
    """The :class:`MailKind` for ``kind``, or None for the log's own kinds."""
    return _registered.get(str(kind))


def planners():
    return [entry.plan for entry in _registered.values() if entry.plan is not None]


@dataclass(frozen=True)
class DigestSection:
    """A section another capability adds to the weekly digest: ``recipients(now)`` -> ``{user id: email}`` of
    people who get a digest for it (digest switched on is still required); ``content(user, now)`` -> the context
    of the section (with ``template``: its name without extension, rendered as .html and .txt), or None."""

    name: str
    recipients: object
    content: object


_digest_sections = {}


def register_digest_section(name, *, recipients, content):
    _digest_sections[name] = DigestSection(name, recipients, content)


def digest_sections():
    return list(_digest_sections.values())
