"""The public disclosure of one programme as a file (立项公示下载): anyone may download it, as .xlsx or .csv, with
exactly the rows and columns the disclosure page shows for that programme; no cell runs as a formula; a draft
programme's awards are not downloadable; a programme above the cap is read on the page."""

import csv
import html
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from cso.core import csvfiles
from cso.funding import services
from cso.funding.exports import DISCLOSURE_HEADER
from cso.funding.models import Programme

from .helpers import linked_org, programme, submitted

pytestmark = pytest.mark.django_db


def _award(prog, cast, name, amount):
    org = linked_org(cast["organization"], cast["registrar"], name=name)
    app = submitted(prog, org, cast["organization"], amount)
    services.score(app, cast["county"], Decimal("80"))
    services.award(app, Decimal(amount), cast["county"], "评审通过")
    return org


def _programmes(cast):
    prog = programme(cast["county"], title="兴宁区2026年公益创投")
    prog.reviewers.add(cast["county"])
    orgs = [_award(prog, cast, "=1+1协会", "30000"), _award(prog, cast, "兴宁社区协会", "20000.5")]
    other = programme(cast["county"], title="兴宁区2026年为老服务", funder="民生街道办事处")
    other.reviewers.add(cast["county"])
    _award(other, cast, "朝阳社区协会", "10000")
    return prog, orgs


def _page_rows(client, prog) -> list[list[str]]:
    body = client.get(reverse("funding:disclosure"), {"programme": prog.pk}).content.decode()
    tbody = body.split('data-testid="disclosure"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]
    return [row for row in rows if row]  # not the "暂无立项" line


def _download(client, prog, fmt):
    return client.get(reverse("funding:disclosure_download", args=[prog.pk]), {"format": fmt})


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_page_links_the_download_of_one_programme(cast, client):
    prog, _ = _programmes(cast)
    body = client.get(reverse("funding:disclosure")).content.decode()
    assert f"?programme={prog.pk}" in body and "每个项目最多 5000 条" in body
    page = client.get(reverse("funding:disclosure"), {"programme": prog.pk}).content.decode()
    assert reverse("funding:disclosure_download", args=[prog.pk]) + "?format=xlsx" in page
    assert reverse("funding:disclosure_download", args=[prog.pk]) + "?format=csv" in page
    assert "为老服务" not in page.split('data-testid="disclosure"', 1)[1]


def test_the_csv_has_the_rows_the_page_shows_and_no_formula(cast, client):
    prog, orgs = _programmes(cast)
    shown = _page_rows(client, prog)
    assert len(shown) == 2 and shown[0][0] in ("=1+1协会", "兴宁社区协会")
    response = _download(client, prog, "csv")  # anonymous
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header == DISCLOSURE_HEADER == ["受资助组织", "立项金额（元）", "项目", "资金类型", "资助单位", "立项日期",
                                           "状态"]
    assert [[csvfiles.restore(c) for c in row] for row in rows] == shown
    assert "'=1+1协会" in [row[0] for row in rows]  # neutralised: a spreadsheet shows it as text
    text = "".join(",".join(row) for row in rows)
    assert all(org.credit_code not in text for org in orgs if org.credit_code)


def test_the_xlsx_has_the_rows_the_page_shows(cast, client):
    prog, _ = _programmes(cast)
    shown = _page_rows(client, prog)
    response = _download(client, prog, "xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = _xlsx_rows(response)
    assert list(header) == DISCLOSURE_HEADER
    as_shown = [[csvfiles.restore(row[0]), f"{row[1]:.2f}", *row[2:]] for row in rows]
    assert as_shown == shown


def test_a_draft_programmes_awards_are_not_downloadable(cast, client):
    prog, _ = _programmes(cast)
    Programme.objects.filter(pk=prog.pk).update(state="draft")
    assert _download(client, prog, "csv").status_code == 404
    assert _download(client, prog, "xlsx").status_code == 404
    assert _page_rows(client, prog) == []
    assert "=1+1协会" not in client.get(reverse("funding:disclosure")).content.decode()
    assert client.get(reverse("funding:disclosure_download", args=[999999])).status_code == 404
    other = Programme.objects.exclude(pk=prog.pk).get()
    assert _download(client, other, "pdf").status_code == 404


def test_a_programme_above_the_cap_is_read_on_the_page(cast, client, settings):
    prog, _ = _programmes(cast)
    settings.CSO_EXPORT_SYNC_ROWS = 1
    response = _download(client, prog, "csv")
    assert response.status_code == 302 and response["Location"].endswith(f"?programme={prog.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "超过 1 条，不提供下载" in page
    assert reverse("funding:disclosure_download", args=[prog.pk]) not in page
