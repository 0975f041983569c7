"""What the platform operator changes: a new partnership with its first procesbewaker, and archiving one.

Both are in Wagtail's audit log (the partnership's history) under the operator's name.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from wagtail.log_actions import log

from actieplan.formats import first_free
from actieplan.operations import invitations
from actieplan.partnerships.models import Membership, Organisation, Partnership, Role
from actieplan.partnerships.reference import MandateLevel
from actieplan.partnerships.safe_delete import ARCHIVE_LOG_ACTION


def _free_slug(name):
    return first_free(slugify(name)[:90] or "samenwerkingsverband",
                      lambda slug: Partnership.objects.filter(slug=slug).exists())


def create_partnership(operator, *, name, description, first_name, last_name, email, organisation,
                       organisation_type):
    """Make the partnership, its procesbewaker (a new account without a password, or the existing account with
    that address) and their organisation, and invite them once this transaction commits. Returns the partnership."""
    with transaction.atomic():
        partnership = Partnership.objects.create(name=name, slug=_free_slug(name), description=description)
        found = Organisation.objects.filter(name__iexact=organisation).first()
        if found is None:
            found = Organisation.objects.create(name=organisation, organisation_type=organisation_type)
        found.partnerships.add(partnership)
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            user = invitations.new_account(email, first_name, last_name)
        Membership.objects.create(user=user, partnership=partnership, organisation=found, role=Role.PROCESBEWAKER,
                                  mandate_level=MandateLevel.MANAGEMENT)
        log(instance=partnership, action="wagtail.create", user=operator)
        invitations.invite(partnership, user)
    return partnership


def archive_partnership(operator, partnership):
    """Archive (never delete): members lose access at once, reminders stop; everything stays in the database."""
    with transaction.atomic():
        if partnership.archived:
            return False
        partnership.archived = True
        partnership.save(update_fields=["archived"])
        log(instance=partnership, action=ARCHIVE_LOG_ACTION, user=operator)
    return True
