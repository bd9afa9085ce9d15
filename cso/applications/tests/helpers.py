"""Shared steps of the HTTP tests of applications, as an applicant goes through them: save the draft (the form
without ``then=submit``), upload every material the case must carry through the real upload URL, then submit
(the submit URL)."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from cso.applications.models import Application
from cso.demo.sample_materials import pdf


def save_draft(client, data: dict, url: str | None = None) -> Application:
    """POST the form as 保存草稿 (to 新申请, or to ``url``: a draft's edit page); the draft saved."""
    response = client.post(url or reverse("applications:new"), {**data, "then": "draft"})
    errors = re.findall(r"(?:invalid-feedback|alert)[^>]*>([^<]+)", response.content.decode())
    assert response.status_code == 302, errors
    number = resolve(response["Location"]).kwargs["number"]
    pk = int(number[1:]) if number.startswith("D") and number[1:].isdigit() else None
    return Application.objects.get(pk=pk) if pk else Application.objects.get(number=number)


def upload(client, application: Application, material: str, name: str = "材料.pdf", data: bytes | None = None):
    """Upload one file for ``material`` through the upload URL (a small valid PDF unless ``data`` is given)."""
    return client.post(reverse("applications:material_upload", args=[application.ref]), {
        "material": material, "back": "detail",
        "file": SimpleUploadedFile(name, data if data is not None else pdf(["测试材料", material]),
                                   content_type="application/pdf")})


def upload_required(client, application: Application, skip: tuple[str, ...] = ()) -> list[str]:
    """Upload a file for every required material of the case (but those in ``skip``); their codes."""
    application.refresh_from_db()
    codes = [m.code for m in application.kind_spec.required_materials(application) if m.code not in skip]
    for code in codes:
        assert upload(client, application, code, f"{code}.pdf").status_code == 302
    assert application.attachments.filter(material__in=codes).values("material").distinct().count() == len(codes)
    return codes


def submit(client, application: Application, follow: bool = False):
    """POST the submit URL of the case (the draft's, or the number of a case sent back for 补正)."""
    return client.post(reverse("applications:submit", args=[application.ref]), follow=follow)


def apply(client, data: dict, url: str | None = None, follow: bool = False):
    """Save the draft, upload its required materials, submit: (the case as it is now, the submit response)."""
    application = save_draft(client, data, url)
    upload_required(client, application)
    response = submit(client, application, follow=follow)
    application.refresh_from_db()
    return application, response
