"""Import pages: upload, report, progress, apply, template; scoping of jobs."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cso.core.models import ImportJob, ImportStatus
from cso.orgs import importing
from cso.orgs.models import Organization
from cso.orgs.tests.test_import import row, xlsx


def upload(client, rows, name="orgs.xlsx"):
    f = io.BytesIO(xlsx(rows))
    f.name = name
    return client.post(reverse("orgs:import"), {"file": f})


def test_the_upload_page_documents_the_columns_and_links_the_template(cast, login):
    response = login(cast["registrar"]).get(reverse("orgs:import"))
    assert response.status_code == 200
    html = response.content.decode()
    for column in importing.COLUMNS:
        assert column.header in html
    assert reverse("orgs:import_template") in html


def test_the_template_has_headers_an_example_and_explanations(cast, login):
    response = login(cast["registrar"]).get(reverse("orgs:import_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["组织", "填写说明", "可选值"]
    values = list(wb["组织"].iter_rows(values_only=True))
    assert list(values[0]) == [c.header for c in importing.COLUMNS]
    assert values[1][1] == "兴宁社区老年人协会"
    assert "生活服务" in [r[4] for r in wb["可选值"].iter_rows(values_only=True)]


def test_upload_report_and_apply_through_the_pages(cast, login):
    client = login(cast["registrar"])
    response = upload(client, [row(名称="兴宁社区书画协会"), row(名称="坏协会", 登记日期="昨天")])
    job = ImportJob.objects.get()
    assert response.url == reverse("orgs:import_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "昨天" in page and "登记日期" in page and "确认导入 1 行" in page
    assert Organization.objects.count() == 0
    response = client.post(reverse("orgs:import_apply", args=[job.pk]))
    assert response.status_code == 302
    assert list(Organization.objects.values_list("name", flat=True)) == ["兴宁社区书画协会"]
    again = client.post(reverse("orgs:import_apply", args=[job.pk]), follow=True)
    assert "不能重复导入" in again.content.decode()
    assert Organization.objects.count() == 1


def test_a_refused_file_shows_its_reason(cast, login):
    client = login(cast["registrar"])
    f = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100)
    f.name = "secret.xlsx"
    page = client.post(reverse("orgs:import"), {"file": f}, follow=True).content.decode()
    assert "加密" in page and "没有写入任何数据" in page


def test_the_progress_fragment_polls_while_running_and_refreshes_when_done(cast, login):
    job = importing.start_job(cast["registrar"], "a.xlsx", xlsx([row()]))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=4000, processed_rows=1000)
    client = login(cast["registrar"])
    html = client.get(reverse("orgs:import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="25"' in html
    importing.validate_job(job)
    response = client.get(reverse("orgs:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize("name", ["import_job", "import_progress"])
def test_an_outsider_cannot_see_another_countys_job(cast, login, name):
    job = importing.validate_job(importing.start_job(cast["registrar"], "a.xlsx", xlsx([row()])))
    assert login(cast["outsider_county"]).get(reverse(f"orgs:{name}", args=[job.pk])).status_code == 404


def test_an_outsider_cannot_apply_another_countys_job(cast, login):
    job = importing.validate_job(importing.start_job(cast["registrar"], "a.xlsx", xlsx([row()])))
    response = login(cast["outsider_county"]).post(reverse("orgs:import_apply", args=[job.pk]))
    assert response.status_code == 404
    assert Organization.objects.count() == 0
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.VALIDATED


def test_an_organization_account_cannot_import(cast, login):
    assert login(cast["organization"]).get(reverse("orgs:import")).status_code == 403


def test_after_an_import_the_list_shows_exactly_the_imported_organizations(cast, login):
    from cso.orgs.tests.factories import make_filed

    earlier = make_filed(cast["street"], name="兴宁社区早先的舞蹈队")
    client = login(cast["superuser"])  # one file registering and filing
    upload(client, [row(名称="兴宁社区书画协会"), row(名称="兴宁社区读书会", 管理方式="备案"),
                    row(名称="坏协会", 登记日期="昨天")])
    job = ImportJob.objects.get()
    response = client.post(reverse("orgs:import_apply", args=[job.pk]))
    assert response.url == f"{reverse('orgs:list')}?import={job.pk}"
    created = set(Organization.objects.filter(import_job=job).values_list("name", flat=True))
    assert created == {"兴宁社区书画协会", "兴宁社区读书会"}
    assert Organization.objects.get(pk=earlier.pk).import_job is None

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert sorted(o.name for o in page.context["page"].rows) == sorted(created)
    assert "兴宁社区早先的舞蹈队" not in html
    assert "本次导入的 2 个组织（orgs.xlsx，" in html
    assert reverse("orgs:import_job", args=[job.pk]) in html
    assert f'name="import" value="{job.pk}"' in html  # kept when the list is filtered further
    narrowed = client.get(reverse("orgs:list"), {"import": job.pk, "track": "filed"})
    assert [o.name for o in narrowed.context["page"].rows] == ["兴宁社区读书会"]
    whole = client.get(reverse("orgs:list"))
    assert {o.name for o in whole.context["page"].rows} >= {"兴宁社区早先的舞蹈队", "兴宁社区书画协会"}


def test_the_list_of_an_import_is_scoped_like_the_import(cast, login):
    job = importing.validate_job(importing.start_job(cast["registrar"], "a.xlsx", xlsx([row()])))
    importing.apply_job(job, cast["registrar"])
    url = f"{reverse('orgs:list')}?import={job.pk}"
    assert login(cast["outsider_county"]).get(url).status_code == 404
    assert login(cast["city"]).get(url).status_code == 200  # the city sees its counties' imports
    assert login(cast["registrar"]).get(f"{reverse('orgs:list')}?import={job.pk + 1000}").status_code == 404
    assert login(cast["registrar"]).get(f"{reverse('orgs:list')}?import=abc").status_code == 404
    assert login(cast["registrar"]).get(f"{reverse('orgs:list')}?import={'9' * 30}").status_code == 404
    # another parameter that does not validate does not hide the import's banner
    page = login(cast["registrar"]).get(reverse("orgs:list"), {"import": job.pk, "as_of": "not a date"})
    assert page.status_code == 200 and "本次导入的 1 个组织" in page.content.decode()
