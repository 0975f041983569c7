"""A deleted person's name stays where they wrote, decided, chaired or led something.

Rows that name a person (a note's author, a decision's recorder, a meeting's chair, a session's facilitator) keep
the link to the account and, next to it, a text field for the name. Just before an account is deleted its name is
written into those fields (:func:`remember_names`, connected in ``apps.py``); the link itself becomes empty as
before. Pages show the account's current name while it exists and the remembered name after (:func:`label`).
"""

from django.db.models import CharField
from django.utils.translation import gettext_lazy as _

from actieplan.formats import person_name

#: ``(model, foreign key name, name field)`` of every row that keeps a person's name.
_NAMED = []


def name_field(verbose_name=_("name at deletion")):
    """The text field that keeps a person's name once their account is deleted."""
    return CharField(verbose_name, max_length=300, blank=True, default="", editable=False)


def keeps_name(model, field, name_field_name):
    """Declare that ``model.<field>`` (a link to a person) keeps the name in ``model.<name_field_name>``."""
    _NAMED.append((model, field, name_field_name))


def remember_names(sender, instance, **kwargs):
    """``pre_delete`` of the user model: write the person's name into every row that names them."""
    name = person_name(instance)
    for model, field, name_field_name in _NAMED:
        model._base_manager.filter(**{field: instance}).update(**{name_field_name: name})


def label(user, remembered=""):
    """The name to show: the account's current name, else the remembered one, else "verwijderde gebruiker"."""
    if user is None and remembered:
        return remembered
    return person_name(user)
