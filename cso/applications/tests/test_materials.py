"""Materials of an application over HTTP: the applicant uploads the roster (checked by content, stored outside the
web root under a random name), the applicant and the deciding street clerk download it, nobody else; bad files
are refused with a message naming the material and nothing is stored; a required material blocks submission."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from cso.applications import materials, services
from cso.applications.models import Application, Attachment, State
from cso.applications.tests.test_filing_flow import form_data
from cso.core import attachments, privatefiles
from cso.demo.testing import make_user

from .probes import PNG

pytestmark = pytest.mark.django_db


def stored_files() -> list:
    area = privatefiles.root() / Attachment.AREA
    return sorted(p for p in area.glob("*/*")) if area.exists() else []


@pytest.fixture
def draft(cast, client):
    client.force_login(cast["organization"])
    client.post(reverse("applications:new"), form_data(then="draft"))
    return Application.objects.get()


def upload(client, case, name, data, material="roster", back="detail"):
    return client.post(reverse("applications:material_upload", args=[case.ref]), {
        "material": material, "back": back, "file": SimpleUploadedFile(name, data)})


def test_the_applicant_uploads_the_roster_and_the_deciding_street_downloads_it(cast, client, draft, settings):
    page = client.get(reverse("applications:detail", args=[draft.ref])).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*,application/pdf,.xlsx"' in page
    response = upload(client, draft, "名册.png", PNG)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.material == "roster" and attachment.original_name == "名册.png"
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert attachment.uploaded_by == cast["organization"]
    [path] = stored_files()
    assert path.name == attachment.stored_name and "名册" not in str(path)
    assert not str(path).startswith(str(settings.STATIC_ROOT)) and not str(path).startswith(str(settings.MEDIA_ROOT))
    assert path.read_bytes() == PNG

    url = reverse("applications:material", args=[draft.ref, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    client.post(reverse("applications:submit", args=[draft.ref]))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    client.force_login(cast["street"])
    url = reverse("applications:material", args=[draft.number, attachment.pk])
    page = client.get(reverse("applications:detail", args=[draft.number])).content.decode()
    assert url in page and "名册.png" in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG

    for other in ("outsider_street", "outsider_county", "outsider_community"):
        client.force_login(cast[other])
        assert client.get(url).status_code == 404, other
    client.force_login(cast["community"])  # sees the case, but materials are not for a wrong role
    assert client.get(url).status_code == 403
    client.force_login(make_user("other_org", "organization", "450102001003"))
    assert client.get(url).status_code == 404


def test_another_cases_attachment_and_path_traversal_are_404(cast, client, draft):
    upload(client, draft, "名册.png", PNG)
    mine = Attachment.objects.get()
    client.post(reverse("applications:new"), form_data(name="另一个合唱队", then="draft", token="t-2"))
    other = Application.objects.exclude(pk=draft.pk).get()
    assert client.get(reverse("applications:material", args=[other.ref, mine.pk])).status_code == 404
    assert client.get(f"/applications/{draft.ref}/materials/..%2F..%2Fsettings.py/").status_code == 404
    assert client.get(f"/applications/{draft.ref}/materials/../../etc/passwd").status_code == 404
    Attachment.objects.filter(pk=mine.pk).update(stored_name="../../../../etc/passwd")
    assert client.get(reverse("applications:material", args=[draft.ref, mine.pk])).status_code == 404


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("名册.jpg", b"MZ\x90\x00" + bytes(100), "不符"),
    ("名册.pdf", b"", "空的"),
    ("名册.png", PNG + bytes(3000), "过大"),
    ("名册.xlsx", None, "压缩炸弹"),
    ("名册.exe", b"MZ" + bytes(10), "不接受"),
])
def test_bad_uploads_are_refused_with_a_message_naming_the_material_and_nothing_stored(
        client, draft, settings, name, data, message):
    settings.CSO_UPLOAD_MAX_BYTES = 2000 if data is not None else 1024 * 1024
    response = upload(client, draft, name, bomb() if data is None else data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "上传失败：成员名册：" in page and message in page
    assert not Attachment.objects.exists() and stored_files() == []


def test_a_file_is_removed_when_recording_it_fails(cast, draft, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(Attachment.objects, "create", fail)
    with pytest.raises(IntegrityError):
        materials.add(draft, cast["organization"], "roster", SimpleUploadedFile("a.png", PNG))
    assert stored_files() == []


def test_the_applicant_removes_a_file_and_nobody_else_may(cast, client, draft, django_capture_on_commit_callbacks):
    upload(client, draft, "名册.png", PNG)
    attachment = Attachment.objects.get()
    url = reverse("applications:material_remove", args=[draft.ref, attachment.pk])
    client.force_login(make_user("other_org", "organization", "450102001003"))
    assert client.post(url).status_code == 404
    client.force_login(cast["street"])
    assert client.post(url).status_code == 404  # a draft is not the street's to see
    assert Attachment.objects.exists() and len(stored_files()) == 1
    client.force_login(cast["organization"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"back": "edit"}).status_code == 302
    assert not Attachment.objects.exists() and stored_files() == []


def test_materials_are_frozen_once_submitted(cast, client, draft):
    upload(client, draft, "名册.png", PNG)
    client.post(reverse("applications:submit", args=[draft.ref]))
    draft.refresh_from_db()
    response = upload(client, draft, "第二页.png", PNG)
    assert "不能再更改材料" in client.get(response.url).content.decode()
    assert Attachment.objects.count() == 1 and len(stored_files()) == 1


def test_a_required_roster_blocks_submission_naming_it(cast, client, draft, settings):
    settings.CSO_FILING_ROSTER_REQUIRED = ["45"]
    response = client.post(reverse("applications:submit", args=[draft.ref]))
    assert "成员名册" in client.get(response.url).content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    page = client.get(reverse("applications:detail", args=[draft.ref])).content.decode()
    assert "必须上传" in page
    upload(client, draft, "名册.png", PNG)
    services.submit(draft, cast["organization"])
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED


def test_a_roster_not_required_elsewhere(cast, draft, settings):
    settings.CSO_FILING_ROSTER_REQUIRED = ["31"]
    assert draft.kind_spec.required_materials(draft) == ()
    settings.CSO_FILING_ROSTER_REQUIRED = True
    assert [m.code for m in draft.kind_spec.required_materials(draft)] == ["roster"]


def test_the_private_root_inside_a_public_root_is_a_system_error(settings, tmp_path):
    from cso.applications.checks import private_media_outside_public_roots

    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    assert private_media_outside_public_roots() == []
    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path / "media" / "private")
    assert [e.id for e in private_media_outside_public_roots()] == ["applications.E002"]
    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path / "static")
    assert [e.id for e in private_media_outside_public_roots()] == ["applications.E002"]


def test_an_oversized_upload_is_cut_off_while_it_arrives(client, draft, settings, monkeypatch):
    settings.CSO_UPLOAD_MAX_BYTES = 100 * 1024
    checked = []
    monkeypatch.setattr(attachments.filetypes, "check_file", lambda *a, **k: checked.append(a))
    response = upload(client, draft, "名册.png", PNG + bytes(300 * 1024))
    page = client.get(response.url).content.decode()
    assert "上传失败：成员名册：文件“名册.png”过大" in page
    assert checked == [] and not Attachment.objects.exists() and stored_files() == []


def test_an_upload_without_a_csrf_token_is_refused(cast, draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["organization"])
    response = strict.post(reverse("applications:material_upload", args=[draft.ref]),
                           {"material": "roster", "file": SimpleUploadedFile("名册.png", PNG)})
    assert response.status_code == 403 and not Attachment.objects.exists()


def test_orphan_files_are_swept_and_recorded_ones_kept(client, draft):
    from django.core.management import call_command

    upload(client, draft, "名册.png", PNG)
    orphan = privatefiles.write(Attachment.AREA, ".png", PNG)
    assert len(stored_files()) == 2
    call_command("sweep_files", minutes=60, stdout=io.StringIO())
    assert len(stored_files()) == 2  # too recent
    call_command("sweep_files", minutes=0, stdout=io.StringIO())
    assert [p.name for p in stored_files()] == [Attachment.objects.get().stored_name]
    assert orphan not in [p.name for p in stored_files()]
