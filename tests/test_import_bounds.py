"""An import file can never exhaust a worker: bounds are checked while it streams, each with a Dutch
message, and a confirmed preview imports once."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actieplan.models import Action
from tests.test_exchange import HEADER, csv_file, row, upload, xlsx_file

pytestmark = pytest.mark.django_db


def rewrite_sheet(file, change):
    """The same XLSX with xl/worksheets/sheet1.xml passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(file.read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info, data)
    return SimpleUploadedFile("acties.xlsx", out.getvalue())


def error_of(response):
    assert response.status_code in (200, 400)
    return response.content.decode()


def test_declared_dimension_of_a_whole_sheet_is_refused_before_reading(client, people):
    client.force_login(people.procesbewaker)
    base = xlsx_file([row(people, "Eén actie")])

    def claim_everything(xml):
        xml = xml.replace(b'<dimension ref="A1:J2"/>', b'<dimension ref="A1:XFD1048576"/>')
        # …and one real row at the very bottom of the sheet.
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
                                            b"</row></sheetData>")

    file = rewrite_sheet(base, claim_everything)
    assert len(file.read()) < 20_000
    file.seek(0)
    started = time.monotonic()
    html = error_of(upload(client, people, file))
    assert time.monotonic() - started < 10
    assert "meer dan 2000 regels" in html
    assert not Action.objects.filter(title="Eén actie").exists()


def test_a_real_row_far_down_is_refused_even_without_a_dimension(client, people):
    client.force_login(people.procesbewaker)

    def far_row(xml):
        xml = xml.replace(b'<dimension ref="A1:J2"/>', b"")
        return xml.replace(b"</sheetData>", b'<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c>'
                                            b"</row></sheetData>")

    html = error_of(upload(client, people, rewrite_sheet(xlsx_file([row(people, "Eén actie")]), far_row)))
    assert "meer dan 2000 regels" in html


def test_too_many_columns_is_refused(client, people):
    client.force_login(people.procesbewaker)
    html = error_of(upload(client, people, xlsx_file([row(people, "Breed") + ["x"] * 60],
                                                     header=HEADER + [f"extra {n}" for n in range(60)])))
    assert "meer dan 50 kolommen" in html


def test_a_cut_off_sheet_is_a_dutch_message(client, people):
    client.force_login(people.procesbewaker)
    file = rewrite_sheet(xlsx_file([row(people, f"Actie {n}") for n in range(20)]), lambda xml: xml[: len(xml) // 2])
    html = error_of(upload(client, people, file))
    assert "beschadigd of onvolledig" in html


def test_not_a_zip_at_all_is_a_dutch_message(client, people):
    client.force_login(people.procesbewaker)
    html = error_of(upload(client, people, SimpleUploadedFile("acties.xlsx", b"PK\x03\x04 kapot")))
    assert "kon niet worden gelezen" in html


def test_many_rows_stop_early_with_a_dutch_message(client, people):
    client.force_login(people.procesbewaker)
    content = ("\ufeff" + ";".join(HEADER) + "\r\n" + "a;b\r\n" * 400_000).encode()
    assert len(content) > 2_000_000
    started = time.monotonic()
    html = error_of(upload(client, people, SimpleUploadedFile("acties.csv", content)))
    assert "meer dan 2000 regels" in html
    assert time.monotonic() - started < 15


def test_a_huge_csv_cell_is_a_dutch_message(client, people):
    client.force_login(people.procesbewaker)
    html = error_of(upload(client, people, csv_file([row(people, "x" * 140_000)])))
    assert "meer dan 10000 tekens" in html or "kon niet worden gelezen" in html


def test_a_csv_cell_over_the_csv_module_limit_is_a_dutch_message(client, people):
    client.force_login(people.procesbewaker)
    content = (";".join(HEADER) + '\r\n"' + "y" * 140_000 + "\r\n").encode()  # unclosed quote: one giant field
    html = error_of(upload(client, people, SimpleUploadedFile("acties.csv", content)))
    assert "kon niet worden gelezen" in html or "meer dan 10000 tekens" in html


def test_the_same_preview_confirmed_twice_imports_once(client, people):
    client.force_login(people.procesbewaker)
    html = upload(client, people, csv_file([row(people, "Kick-off"), row(people, "Banenmarkt")])).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    first = client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"}, follow=True)
    assert "2 acties geïmporteerd" in first.content.decode()
    second = client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"}, follow=True)
    assert "al verwerkt" in second.content.decode()
    assert Action.objects.filter(title="Kick-off").count() == 1
    # A fresh upload of the same file is a new, deliberate import.
    html = upload(client, people, csv_file([row(people, "Kick-off")])).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"})
    assert Action.objects.filter(title="Kick-off").count() == 2


def test_a_failed_confirm_does_not_burn_the_preview(client, people):
    client.force_login(people.procesbewaker)
    html = upload(client, people, csv_file([row(people, "Kick-off")])).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    people.owner.lob_memberships.all().delete()  # the owner left between preview and confirm
    response = client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"})
    assert "niets opgeslagen" in response.content.decode()
    from actieplan.models import ImportReceipt
    assert not ImportReceipt.objects.exists()


def _bomb(part, megabytes=150):
    """A real XLSX from our export with ``part`` replaced by ``megabytes`` MiB of zeros (a few hundred KB zipped)."""
    from actieplan.actions.exchange import export_xlsx

    source = zipfile.ZipFile(io.BytesIO(export_xlsx(Action.objects.none())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == part:
                with target.open(info.filename, "w") as stream:
                    chunk = b" " * (1024 * 1024)
                    for _ in range(megabytes):
                        stream.write(chunk)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/theme/theme1.xml", "docProps/app.xml"])
def test_a_zip_bomb_in_any_part_is_refused_within_a_second_without_memory_growth(client, people, part):
    import tracemalloc

    bomb = _bomb(part)
    assert len(bomb) < 400_000
    client.force_login(people.procesbewaker)
    tracemalloc.start()
    started = time.monotonic()
    html = error_of(upload(client, people, SimpleUploadedFile("acties.xlsx", bomb)))
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "uitgepakt te groot" in html
    assert elapsed < 1.0, elapsed
    assert peak < 30 * 1024 * 1024, peak  # the upload itself, never the unpacked 150 MiB


def test_an_archive_of_thousands_of_parts_is_refused(client, people):
    from actieplan.actions.exchange import export_xlsx

    source = zipfile.ZipFile(io.BytesIO(export_xlsx(Action.objects.none())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        for n in range(2000):
            target.writestr(f"xl/media/leeg{n}.bin", b"")
    client.force_login(people.procesbewaker)
    html = error_of(upload(client, people, SimpleUploadedFile("acties.xlsx", out.getvalue())))
    assert "te veel onderdelen" in html
