"""Media in the production shape: Debian's nginx, configured from deploy/nginx/default.conf.template exactly as the
compose service is, in front of the application on loopback. An image uploaded through it is served by it, with its
renditions; and a full or read-only media volume (a real small tmpfs) gives a Dutch message and leaves no partial
file, while a public page whose image is not resized yet still answers."""

import io
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from PIL import Image as PILImage
from wagtail.images.models import Image

from good_practices.models import GoodPracticePage
from tests.factories import make_user
from tests.forms import form_fields
from tests.services import Nginx

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Volume:
    """A real, small tmpfs as the media volume: it fills up, and it can be made read-only."""

    def __init__(self, size_kb):
        self.path = Path(tempfile.mkdtemp(prefix="lob-media-"))
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(self.path)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            shutil.rmtree(self.path, ignore_errors=True)
            pytest.skip(f"a tmpfs cannot be mounted here ({result.stderr.strip()}): needs root with CAP_SYS_ADMIN")

    def read_only(self):
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def files(self):
        return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*") if p.is_file())

    def cleanup(self):
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)
        shutil.rmtree(self.path, ignore_errors=True)


def png(width, height, noise=False):
    """A PNG; with ``noise`` it does not compress (about 3 bytes a pixel)."""
    rng = random.Random(7)
    image = PILImage.new("RGB", (width, height), (200, 80, 40))
    if noise:
        image.frombytes(bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def static_root():
    folder = Path(tempfile.mkdtemp(prefix="lob-static-"))
    (folder / "css").mkdir()
    shutil.copy(ROOT / "lobplatform/static/css/lob.css", folder / "css/lob.css")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def front(live_server, static_root, settings):
    """nginx in front of the application; yields a function starting it for a media folder."""
    started = []

    def start(media_root):
        settings.MEDIA_ROOT = str(media_root)
        nginx = Nginx(live_server.url.split("://", 1)[1], media_root, static_root).start()
        started.append(nginx)
        return nginx

    yield start
    for nginx in started:
        nginx.stop()


def admin_session(client, base):
    """A browser session of an editor with admin rights, talking to ``base``."""
    admin = make_user("beeldredacteur", is_staff=True, is_superuser=True)
    client.force_login(admin)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


def upload_image(session, base, title, data, ajax=False):
    """The admin's image upload, through ``base``, as the browser sends it."""
    if ajax:
        page = session.get(f"{base}/admin/images/multiple/add/")
        token = session.cookies.get("csrftoken")
        return session.post(f"{base}/admin/images/multiple/add/", files={"files[]": (f"{title}.png", data, "image/png")},
                            data={"csrfmiddlewaretoken": token}, headers={"X-Requested-With": "XMLHttpRequest",
                                                                          "Referer": page.url})
    page = session.get(f"{base}/admin/images/add/")
    assert page.status_code == 200, page.status_code
    fields = form_fields(page.text, having="title")
    fields.update(title=title)
    return session.post(f"{base}/admin/images/add/", data=fields, files={"file": (f"{title}.png", data, "image/png")},
                        headers={"Referer": page.url}, allow_redirects=False)


def test_an_image_uploaded_through_nginx_is_served_by_it_with_its_renditions(client, front, tmp_path):
    media = Path(tempfile.mkdtemp(prefix="lob-media-"))
    try:
        nginx = front(media)
        session = admin_session(client, nginx.url)
        data = png(640, 400)
        response = upload_image(session, nginx.url, "Gastles in de zorg", data)
        assert response.status_code == 302, response.text[:500]
        image = Image.objects.get(title="Gastles in de zorg")

        served = requests.get(nginx.url + image.file.url)
        assert served.status_code == 200 and served.content == data
        assert served.headers["Content-Type"] == "image/png"
        assert "nginx" in served.headers["Server"], "from disk, not from the application"
        rendition = image.get_rendition("fill-160x100")
        small = requests.get(nginx.url + rendition.url)
        assert small.status_code == 200 and PILImage.open(io.BytesIO(small.content)).size == (160, 100)

        css = requests.get(nginx.url + "/static/css/lob.css")
        assert css.status_code == 200 and css.content == (ROOT / "lobplatform/static/css/lob.css").read_bytes()
        assert "max-age=2592000" in css.headers["Cache-Control"]
        page = requests.get(nginx.url + "/")
        assert page.status_code == 200 and len(page.headers["X-Request-ID"]) == 32, "proxied, with nginx's id"

        (media / "documents").mkdir()
        (media / "documents/verslag.pdf").write_bytes(b"%PDF-1.4 besloten")
        assert requests.get(nginx.url + "/media/documents/verslag.pdf").status_code == 404, "only via /documenten/"
        (media / "original_images/.upload-abc.part").write_bytes(b"half")
        assert requests.get(nginx.url + "/media/original_images/.upload-abc.part").status_code == 404
    finally:
        shutil.rmtree(media, ignore_errors=True)


def test_a_full_media_volume_gives_a_dutch_message_and_keeps_no_partial_file(client, front):
    volume = Volume(size_kb=512)
    try:
        nginx = front(volume.path)
        session = admin_session(client, nginx.url)
        kept = png(64, 64)
        assert upload_image(session, nginx.url, "Klein logo", kept).status_code == 302
        before = volume.files()

        big = png(300, 300, noise=True)  # about 270 kB: it fits once, not twice
        assert upload_image(session, nginx.url, "Eerste grote foto", big).status_code == 302
        response = upload_image(session, nginx.url, "Tweede grote foto", big)
        assert response.status_code == 507
        assert "De opslag voor bestanden is vol. Het bestand is niet bewaard" in response.text
        assert "terugknop" in response.text
        assert not Image.objects.filter(title="Tweede grote foto").exists()
        files = volume.files()
        assert not any(".part" in name for name in files), files
        assert len(files) == len(before) + 1, "only the first big photo was added"
        small = Image.objects.get(title="Klein logo")
        assert requests.get(nginx.url + small.file.url).content == kept, "what was saved before is intact"

        ajax = upload_image(session, nginx.url, "Derde grote foto", big, ajax=True)
        assert ajax.status_code == 200 and ajax.json()["success"] is False
        assert ajax.json()["error_message"].startswith("De opslag voor bestanden is vol.")
        assert not any(".part" in name for name in volume.files())
    finally:
        volume.cleanup()


def test_a_read_only_media_volume_refuses_uploads_in_dutch_and_public_pages_still_answer(client, front, library):
    volume = Volume(size_kb=2048)
    try:
        nginx = front(volume.path)
        session = admin_session(client, nginx.url)
        assert upload_image(session, nginx.url, "Leerlingen bij de open dag", png(800, 500)).status_code == 302
        image = Image.objects.get(title="Leerlingen bij de open dag")
        practice = GoodPracticePage(title="Open dag met ouders", summary="Ouders en leerlingen samen.", image=image)
        library.add_child(instance=practice)
        practice.save_revision().publish()

        volume.read_only()
        response = upload_image(session, nginx.url, "Nog een foto", png(32, 32))
        assert response.status_code == 503
        assert "kan op dit moment alleen gelezen worden" in response.text
        page = requests.get(nginx.url + practice.url)  # its image was never resized to max-800x500
        assert page.status_code == 200 and "Open dag met ouders" in page.text
        assert not image.renditions.exists()
    finally:
        volume.cleanup()
