"""Links in mails use the site's real address: one setting (``WAGTAILADMIN_BASE_URL``), checked at start in
production (tests/test_foundation.py), which our reminders and Wagtail's own moderation mails both follow."""

import pytest
from wagtail.admin.mail import send_notification
from wagtail.models import Site

from actieplan.reminders.emails import update_url
from lobplatform.home import site_address
from tests.factories import home_page, make_action, make_user

pytestmark = pytest.mark.django_db


def test_wagtails_moderation_mail_links_to_the_real_address_not_localhost(settings, mailoutbox, people):
    settings.WAGTAILADMIN_BASE_URL = "https://lob.example.nl"
    settings.ALLOWED_HOSTS = ["lob.example.nl"]
    # A database as the home page's migration left it: the default site at localhost:80.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    site_address.follow_base_url()  # what every migrate (each compose start) runs

    revision = home_page().save_revision()
    editor = make_user("moderatie-redacteur")
    send_notification([editor], "approved", {"revision": revision})
    body = mailoutbox[-1].body
    assert "https://lob.example.nl/" in body
    assert "localhost" not in body

    # Our own links come from the same address.
    action = make_action(people.partnership, people.owner)
    assert update_url(action, people.owner).startswith("https://lob.example.nl/actieplan/herinnering/")


def test_a_site_address_someone_chose_is_left_alone(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://lob.example.nl"
    Site.objects.filter(is_default_site=True).update(hostname="regio37.example.nl", port=443)
    site_address.follow_base_url()
    assert Site.objects.get(is_default_site=True).hostname == "regio37.example.nl"
