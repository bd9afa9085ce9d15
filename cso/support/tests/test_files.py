"""Place photos are private files (``cso.core.attachments``): served only through the place they belong to, to who
may see the place — another district's photo is a 404 whichever place is named — and swept when no row refers to
them (``manage.py sweep_files``), like the activity records' photos."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cso.core import attachments, privatefiles
from cso.core.tests.test_filetypes import PNG
from cso.supervision.models import ActivityPhoto
from cso.support import services
from cso.support.models import PlacePhoto

from .helpers import STREET, make_place

pytestmark = pytest.mark.django_db


def _photo(user, place, name="门口.png"):
    return services.add_photo(place, user, SimpleUploadedFile(name, PNG, content_type="image/png"), "门口")


def test_a_photo_of_another_districts_place_is_404(cast, login):
    mine = make_place(cast["superuser"], STREET, kind="centre", name="民生街道社会组织服务中心")
    foreign = make_place(cast["superuser"], "450103001000", kind="centre", name="新竹街道社会组织服务中心")
    own_photo, foreign_photo = _photo(cast["superuser"], mine), _photo(cast["superuser"], foreign)
    with own_photo.open() as handle:
        assert (own_photo.size, own_photo.uploaded_by) == (len(handle.read()), cast["superuser"])
    street = login(cast["street"])
    response = street.get(reverse("support:photo", args=[mine.pk, own_photo.pk]))
    assert response.status_code == 200 and response["Content-Security-Policy"].startswith("default-src 'none'")
    assert street.get(reverse("support:photo", args=[foreign.pk, foreign_photo.pk])).status_code == 404
    assert street.get(reverse("support:photo", args=[mine.pk, foreign_photo.pk])).status_code == 404
    assert street.post(reverse("support:photo_remove", args=[mine.pk, foreign_photo.pk])).status_code == 404
    assert login(cast["outsider_county"]).get(reverse("support:photo", args=[mine.pk, own_photo.pk])).status_code == 404
    assert PlacePhoto.objects.count() == 2


def test_removing_a_photo_removes_its_file_and_sweep_files_covers_place_and_activity_photos(
        cast, login, django_capture_on_commit_callbacks):
    assert {PlacePhoto, ActivityPhoto} <= set(attachments.file_models())
    place = make_place(cast["superuser"], STREET, kind="centre", name="民生街道社会组织服务中心")
    kept = _photo(cast["superuser"], place)
    removed = _photo(cast["superuser"], place, "旧照片.png")
    path = privatefiles.path_for(PlacePhoto.AREA, removed.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast["street"]).post(reverse("support:photo_remove", args=[place.pk, removed.pk]))
    assert not path.exists() and not PlacePhoto.objects.filter(pk=removed.pk).exists()

    orphans = [privatefiles.write(PlacePhoto.AREA, ".png", PNG), privatefiles.write(ActivityPhoto.AREA, ".png", PNG)]
    old = time.time() - 7200
    for area, name in zip((PlacePhoto.AREA, ActivityPhoto.AREA), orphans, strict=True):
        os.utime(privatefiles.path_for(area, name), (old, old))
    os.utime(privatefiles.path_for(PlacePhoto.AREA, kept.stored_name), (old, old))
    call_command("sweep_files")
    for area, name in zip((PlacePhoto.AREA, ActivityPhoto.AREA), orphans, strict=True):
        assert not privatefiles.path_for(area, name).exists()
    assert privatefiles.path_for(PlacePhoto.AREA, kept.stored_name).exists()
