"""Guessing passwords and flooding password-reset mails are throttled, and say so in Dutch; every
response carries a Content-Security-Policy and a Permissions-Policy."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCKED = "Tijdelijk geblokkeerd"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("login_url", ["/inloggen/", "/admin/login/"])
def test_wrong_passwords_lock_the_login_for_a_while(client, people, login_url):
    username = people.werkgroeplid.username
    for _attempt in range(4):
        response = client.post(login_url, {"username": username, "password": "fout"})
        assert response.status_code == 200  # the form with its own error
    assert client.post(login_url, {"username": username, "password": "fout"}).status_code == 429
    # Locked now: even the right password waits.
    response = client.post(login_url, {"username": username, "password": "geheim-wachtwoord-123"})
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and "15 minuten" in html
    assert "_auth_user_id" not in client.session


def test_another_username_from_the_same_client_can_still_log_in(client, people):
    for _attempt in range(5):
        client.post("/inloggen/", {"username": people.werkgroeplid.username, "password": "fout"})
    response = client.post("/inloggen/", {"username": people.procesbewaker.username,
                                          "password": "geheim-wachtwoord-123"})
    assert response.status_code == 302


def test_a_good_login_before_the_limit_resets_the_count(client, people):
    username = people.werkgroeplid.username
    for _attempt in range(4):
        client.post("/inloggen/", {"username": username, "password": "fout"})
    assert client.post("/inloggen/", {"username": username, "password": "geheim-wachtwoord-123"}).status_code == 302
    client.logout()
    for _attempt in range(4):
        client.post("/inloggen/", {"username": username, "password": "fout"})
    assert client.post("/inloggen/", {"username": username, "password": "geheim-wachtwoord-123"}).status_code == 302


def test_password_reset_mails_are_limited_per_address(client, people):
    url = reverse("wagtailadmin_password_reset")
    for _attempt in range(3):
        response = client.post(url, {"email": people.werkgroeplid.email})
        assert response.status_code == 302
    response = client.post(url, {"email": people.werkgroeplid.email})
    assert response.status_code == 200
    assert "te veel herstelmails" in response.content.decode()
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_client_too(client, people, other_people):
    url = reverse("wagtailadmin_password_reset")
    addresses = [f"iemand{n}@example.nl" for n in range(10)]
    for address in addresses:
        assert client.post(url, {"email": address}).status_code == 302
    response = client.post(url, {"email": other_people.owner.email})
    assert "te veel herstelmails" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("url", ["/", "/inloggen/", "/admin/login/", "/bestaat-niet/"])
def test_every_response_has_a_csp_and_a_permissions_policy(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_site_allows_only_its_own_scripts_the_admin_its_inline_widgets(client, admin_user):
    site = client.get("/")["Content-Security-Policy"]
    script_src = next(part for part in site.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    client.force_login(admin_user)
    admin = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in next(part for part in admin.split(";") if part.strip().startswith("script-src"))


# --- behind a trusted proxy, and shared by every worker (issue 25) ----------------------------------------

PROXY = "10.0.0.5"


def behind_proxy(client_address):
    """What the TLS proxy in front sends: its own address, and the client's in X-Forwarded-For."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def test_behind_a_trusted_proxy_one_client_cannot_lock_out_an_account_for_everyone(client, people, settings):
    settings.LOB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    username = people.werkgroeplid.username
    for _attempt in range(5):
        client.post("/inloggen/", {"username": username, "password": "fout"}, **behind_proxy("203.0.113.7"))
    assert client.post("/inloggen/", {"username": username, "password": "geheim-wachtwoord-123"},
                       **behind_proxy("203.0.113.7")).status_code == 429
    # The owner of the account, from her own address through the same proxy, still logs in.
    response = client.post("/inloggen/", {"username": username, "password": "geheim-wachtwoord-123"},
                           **behind_proxy("198.51.100.20"))
    assert response.status_code == 302


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(rf, settings):
    from actieplan.clients import client_address

    settings.LOB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(spoofed) == "203.0.113.7"  # not from the proxy: the header is the client's own writing
    chained = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.20, 10.0.0.9")
    assert client_address(chained) == "198.51.100.20"  # from the right, past the trusted proxies
    settings.LOB_TRUSTED_PROXIES = []
    assert client_address(chained) == PROXY


def test_the_reset_limit_holds_across_workers(client, people):
    """The count lives in the database (actieplan.ratelimits), not in a cache or one process's memory: a worker
    that never saw the first three requests, or a Redis that restarted, still refuses the fourth."""
    url = reverse("wagtailadmin_password_reset")
    for _attempt in range(3):
        assert client.post(url, {"email": people.werkgroeplid.email}).status_code == 302
    cache.clear()  # another worker: nothing in its local memory
    response = client.post(url, {"email": people.werkgroeplid.email})
    assert "te veel herstelmails" in response.content.decode() and len(mail.outbox) == 3
