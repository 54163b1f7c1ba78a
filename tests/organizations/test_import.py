"""Importing institutions in the admin: preview first, all or nothing, registration's matching."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from organizations.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:organizations_organization_import")
PROCESS_URL = reverse("admin:organizations_organization_process_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
HEADER = "name_en,name_zh_hans,kind,uscc,city_en"


def _csv(*lines: str, encoding: str = "utf-8") -> io.BytesIO:
    data = io.BytesIO("\n".join([HEADER, *lines]).encode(encoding))
    data.name = "institutions.csv"
    return data


def _xlsx(rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "institutions.xlsx"
    return data


def _preview(client, upload, file_format=CSV_FORMAT):
    return client.post(IMPORT_URL, {"import_file": upload, "format": file_format, "resource": 0})


def _confirm(client, preview):
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format)" value="([^"]*)"', preview.text
        )
    )
    assert fields, "the preview offers no confirmation"
    return client.post(PROCESS_URL, {**fields, "resource": 0}, follow=True)


def test_import_previews_then_writes_on_confirmation(admin_client):
    preview = _preview(admin_client, _csv("Alpha Capital,阿尔法资本,vc_firm,,Shenzhen"))
    assert preview.status_code == 200
    assert "Alpha Capital" in preview.text
    assert not Organization.objects.exists()  # the preview writes nothing

    _confirm(admin_client, preview)
    alpha = Organization.objects.get()
    assert (alpha.name_en, alpha.name_zh_hans, alpha.kind) == (
        "Alpha Capital",
        "阿尔法资本",
        "vc_firm",
    )
    assert alpha.slug == "alpha-capital"


def test_import_reads_gbk_encoded_csv(admin_client):
    upload = _csv("Beta Fund,贝塔基金,vc_firm,,Beijing", encoding="gbk")
    _confirm(admin_client, _preview(admin_client, upload))
    assert Organization.objects.get().name_zh_hans == "贝塔基金"


def test_import_takes_a_kind_by_its_label_in_either_language(admin_client):
    with translation.override("zh-hans"):
        chinese_label = str(Organization.Kind.PE_FIRM.label)
    upload = _csv("Epsilon,,Venture capital firm,,", f"Zeta,,{chinese_label},,")
    _confirm(admin_client, _preview(admin_client, upload))
    assert dict(Organization.objects.values_list("name_en", "kind")) == {
        "Epsilon": "vc_firm",
        "Zeta": "pe_firm",
    }


def test_import_reads_xlsx(admin_client):
    upload = _xlsx([["Gamma Partners", None, "pe_firm", "91440300MA5DC12341", "Shenzhen"]])
    _confirm(admin_client, _preview(admin_client, upload, XLSX_FORMAT))
    assert Organization.objects.get().uscc == "91440300MA5DC12341"


def test_import_updates_the_matching_institution_instead_of_duplicating(admin_client):
    existing = OrganizationFactory(name_en="Delta Capital Co., Ltd.", city_en="Shenzhen")
    upload = _csv("DELTA CAPITAL LIMITED,德尔塔资本,vc_firm,,", "Ｄｅｌｔａ Capital,,vc_firm,,")
    _confirm(admin_client, _preview(admin_client, upload))
    existing.refresh_from_db()
    assert Organization.objects.count() == 1
    assert existing.name_zh_hans == "德尔塔资本"
    assert existing.city_en == "Shenzhen"  # an empty cell keeps what was there


def test_import_matches_on_uscc_first(admin_client):
    existing = OrganizationFactory(name_en="Old Name", uscc="91440300MA5DC12341")
    _confirm(admin_client, _preview(admin_client, _csv("New Name,,vc_firm,91440300MA5DC12341,")))
    existing.refresh_from_db()
    assert Organization.objects.count() == 1
    assert existing.name_en == "New Name"


def test_import_with_bad_rows_reports_each_and_writes_nothing(admin_client):
    upload = _csv(
        "Good One,,vc_firm,,",
        "Bad Code,,vc_firm,91440300MA5DC12342,",
        "Bad Kind,,spaceship,,",
        ",,vc_firm,,",
    )
    preview = _preview(admin_client, upload)
    text = preview.text
    assert "check character" in text
    assert "Unknown kind “spaceship”" in text
    assert "needs a name in English or Chinese" in text
    assert 'name="import_file_name"' not in text  # nothing to confirm
    assert not Organization.objects.exists()


def test_import_errors_are_reported_in_chinese_for_a_chinese_user(admin_client):
    with translation.override("zh-hans"):
        message = gettext("Each row needs a name in English or Chinese.")
    assert message != "Each row needs a name in English or Chinese.", "no Chinese translation"
    admin_client.cookies["django_language"] = "zh-hans"
    preview = _preview(admin_client, _csv(",,vc_firm,,"))
    assert message in preview.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"company,address\nAlpha,Street 1\n", "needs a name_en or name_zh_hans column"),
        (b"name_en,colour\nAlpha,red\n", "Unknown columns: colour"),
        (b"", "The submitted file is empty"),
        (HEADER.encode(), "No valid data to import"),
        (b"\xff\xfe\x00\x81name_en\n\x81\xff", "neither UTF-8 nor GBK"),
    ],
)
def test_import_of_an_unusable_file_says_why_and_writes_nothing(admin_client, content, message):
    upload = io.BytesIO(content)
    upload.name = "bad.csv"
    preview = _preview(admin_client, upload)
    assert preview.status_code == 200
    assert message in preview.text
    assert not Organization.objects.exists()


def test_import_of_10000_bad_rows_reports_them_readably_and_writes_nothing(admin_client):
    rows = [f"Institution {n},,spaceship,," for n in range(10_000)]
    preview = _preview(admin_client, _csv(*rows))
    assert "10000 rows have errors; the first 100 are listed below" in preview.text
    assert preview.text.count("Unknown kind") == 100
    assert not Organization.objects.exists()


def test_import_normalizes_a_uscc_with_spaces_and_lower_case(admin_client):
    _confirm(admin_client, _preview(admin_client, _csv("Spaced,,vc_firm,9144 0300ma5dc12341,")))
    assert Organization.objects.get().uscc == "91440300MA5DC12341"


def test_import_of_a_windows_1252_file_reads_accents_and_says_so(admin_client):
    preview = _preview(
        admin_client, _csv("Société Générale Capital,,vc_firm,,Zürich", encoding="cp1252")
    )
    assert "Société Générale Capital" in preview.text
    assert "Zürich" in preview.text
    assert "Windows-1252" in preview.text
    assert not Organization.objects.exists()


def test_import_of_a_gbk_file_is_still_read_as_chinese(admin_client):
    preview = _preview(
        admin_client, _csv("Qianhai Capital,前海创投有限公司,vc_firm,,深圳", encoding="gbk")
    )
    assert "前海创投有限公司" in preview.text
    assert "GBK" in preview.text


def test_import_errors_show_no_traceback_or_server_path(admin_client, settings):
    for upload in [
        _csv(",,vc_firm,,"),
        _csv("Alpha,,vc_firm,,", "Beta,,vc_firm,91440300MA5DC12342,"),
    ]:
        text = _preview(admin_client, upload).text
        assert "Traceback" not in text
        assert str(settings.BASE_DIR) not in text
        assert ".py" not in text.replace(".pyc", "")
        assert "File &quot;" not in text
    header_only = io.BytesIO(b"wrong_column\nx\n")
    header_only.name = "institutions.csv"
    text = _preview(admin_client, header_only).text
    assert "needs a name_en or name_zh_hans column" in text
    assert "Traceback" not in text
    assert "[&#x27;" not in text  # the message itself, not a Python list of it


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202eCapital", "🚀🚀", "\u3164", " \u200d "])
def test_import_refuses_names_without_visible_letters(admin_client, name):
    preview = _preview(admin_client, _csv(f"{name},,vc_firm,,"))
    assert 'name="import_file_name"' not in preview.text
    assert not Organization.objects.exists()


def test_import_of_one_new_institution_twice_creates_it_once(admin_client):
    OrganizationFactory(name_en="Epsilon Capital", slug="epsilon-capital", uscc="")
    upload = _csv(
        "Zeta Fund,,vc_firm,91440300MA5DC12341,",
        "Zeta Fund Ltd.,泽塔基金,vc_firm,,",
        "Epsilon Capital Holdings,,vc_firm,,",
    )
    _confirm(admin_client, _preview(admin_client, upload))
    zeta = Organization.objects.get(uscc="91440300MA5DC12341")
    assert (zeta.name_en, zeta.name_zh_hans) == ("Zeta Fund Ltd.", "泽塔基金")
    assert zeta.slug == "zeta-fund"
    assert Organization.objects.count() == 3
    assert Organization.objects.get(name_en="Epsilon Capital Holdings").slug.startswith(
        "epsilon-capital-holdings"
    )


@pytest.mark.parametrize("rows", [20, 40])
def test_import_looks_up_institutions_in_batches_not_per_row(admin_client, rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    OrganizationFactory(name_en="Institution 0003")
    upload = _csv(*(f"Institution {n:04d},,vc_firm,,Shenzhen" for n in range(rows)))
    with CaptureQueriesContext(connection) as queries:
        preview = _preview(admin_client, upload)
    assert "Institution 0019" in preview.text
    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"organizations_organization"' in q["sql"]
    ]
    assert len(lookups) == 2  # names in either language, slugs (no USCC in the file)
