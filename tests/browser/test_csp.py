"""The Content-Security-Policy lets the site, the Wagtail admin and its live preview work: a real browser
loads them and reports no blocked script, style, image, font or frame."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def content(live_server):
    from good_practices.demo import load_sample

    load_sample()
    return get_user_model().objects.create_superuser("csp_beheerder", "csp@example.nl", PASSWORD)


def watch(page):
    """Collect the browser's CSP violations (console messages and securitypolicyviolation events)."""
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)
    page.on("pageerror", lambda error: violations.append(f"pageerror: {error}"))
    return violations


def test_site_and_admin_work_under_the_csp(page, live_server, content):
    violations = watch(page)
    practice = Page.objects.live().filter(depth__gt=3).exclude(url_path__contains="proeftuin").first()
    for path in ["/", "/het-delen-waard/", practice.url, "/inloggen/"]:
        response = page.goto(live_server.url + path)
        assert response.ok and "default-src 'self'" in response.headers["content-security-policy"]

    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("csp_beheerder")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    for path in ["/admin/", "/admin/actieplan/acties/", "/admin/actieplan/acties/add/", "/admin/reports/site-history/",
                 f"/admin/pages/{practice.pk}/"]:
        response = page.goto(live_server.url + path)
        assert response.ok, path
        page.wait_for_load_state("networkidle")

    # The page editor with its live preview (a same-origin iframe under /admin/).
    page.goto(f"{live_server.url}/admin/pages/{practice.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.locator('[data-side-panel-toggle="preview"]').first.click()
    frame = page.frame_locator("iframe#w-preview-iframe")
    frame.get_by_role("heading", level=1).first.wait_for(timeout=20_000)
    assert practice.title in frame.get_by_role("heading", level=1).first.inner_text()
    assert violations == [], "\n".join(violations)
