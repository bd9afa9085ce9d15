"""The place list's export: small lists are answered at once (CSV or .xlsx), a list above ``CSO_EXPORT_SYNC_ROWS``
goes to the background worker (``cso.core.jobs``) whose page offers the file to the account that asked; both hold
only the account's places and no cell runs as a formula."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cso.core.models import Job, JobStatus

from .helpers import COUNTY, STREET, make_base, make_place

pytestmark = pytest.mark.django_db


def _xlsx_text(data: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.fixture
def places(cast):
    make_base(cast["superuser"], COUNTY, level=3, name="兴宁区孵化基地")
    make_place(cast["superuser"], STREET, kind="idle", name="=HYPERLINK(\"http://x\")闲置用房", free_of_charge=True,
               area="120.5")
    make_place(cast["superuser"], "450103001005", kind="facility", name="新竹社区文化活动中心")


def test_a_small_list_is_answered_at_once_in_csv_and_xlsx(cast, login, places):
    client = login(cast["county"])
    text = b"".join(client.get(reverse("support:places"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "兴宁区孵化基地" in text and "'=HYPERLINK" in text and "新竹" not in text
    response = client.get(reverse("support:places"), {"format": "xlsx", "kind": "idle"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    text = _xlsx_text(b"".join(response.streaming_content))
    assert "'=HYPERLINK" in text and "120.5" in text and "兴宁区孵化基地" not in text
    assert not Job.objects.exists()


def test_a_large_list_goes_to_the_worker(cast, login, places, settings):
    settings.CSO_EXPORT_SYNC_ROWS = 0
    client = login(cast["county"])
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("support:places"), {"format": fmt, "q": "区"})
        job = Job.objects.filter(kind="support.place_export").latest("pk")
        assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
        assert job.status == JobStatus.DONE and job.user == cast["county"] and job.params["q"] == "区"
        data = bytes(job.result)
        text = data.decode("utf-8-sig") if fmt == "csv" else _xlsx_text(data)
        assert "兴宁区孵化基地" in text and "新竹" not in text
    assert Job.objects.filter(kind="support.place_export").count() == 2
    # without filters both of the county's places (two rows: above a limit of one), formulas neutralised
    settings.CSO_EXPORT_SYNC_ROWS = 1
    client.get(reverse("support:places"), {"format": "csv"})
    text = bytes(Job.objects.filter(kind="support.place_export").latest("pk").result).decode("utf-8-sig")
    assert "兴宁区孵化基地" in text and "'=HYPERLINK" in text
    # the file is the asking account's; an organization account may not export at all
    assert login(cast["street"]).get(reverse("core:job", args=[job.pk])).status_code == 404
    assert login(cast["organization"]).get(reverse("support:places"), {"format": "xlsx"}).status_code == 403
