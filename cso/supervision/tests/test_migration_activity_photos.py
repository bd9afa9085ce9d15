"""Activity records made before their photos became private files of their own keep their photos: each stored photo
moves into an ``ActivityPhoto`` row under the same stored name (size and digest read from the stored file), records
without a photo get none, and the migration goes back."""

import hashlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cso.core import privatefiles

BEFORE = [("supervision", "0007_evaluation_pages")]
AFTER = [("supervision", "0008_activity_photos_private_files")]
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 40


def _executor():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_activity_photos_move_into_private_file_rows():
    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Division = old.get_model("regions", "Division")
    Organization = old.get_model("orgs", "Organization")
    Record = old.get_model("supervision", "ActivityRecord")
    community = Division.objects.create(code="450102001003", name="兴宁社区居委会", level=5, edition=2023,
                                        first_edition=2023)
    org = Organization.objects.create(uid="MIGPHOTO00000001", name="兴宁社区太极队", track="filed",
                                      org_type="activity_team", tier="community", division=community)
    stored = privatefiles.write("activities", ".png", PNG)
    with_photo = Record.objects.create(organization=org, date=date(2026, 5, 1), what="太极展演", photo_name="合影.png",
                                       photo_stored=stored, photo_type="image/png")
    missing = Record.objects.create(organization=org, date=date(2026, 5, 2), what="文件已丢失",
                                    photo_name="丢失.png", photo_stored="f" * 32 + ".png", photo_type="image/png")
    plain = Record.objects.create(organization=org, date=date(2026, 5, 3), what="没有照片")

    executor = _executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Photo = new.get_model("supervision", "ActivityPhoto")
    moved = Photo.objects.get(record_id=with_photo.pk)
    assert (moved.original_name, moved.stored_name, moved.content_type, moved.size, moved.sha256) == (
        "合影.png", stored, "image/png", len(PNG), hashlib.sha256(PNG).hexdigest())
    assert Photo.objects.get(record_id=missing.pk).size == 0
    assert not Photo.objects.filter(record_id=plain.pk).exists()
    assert privatefiles.path_for("activities", stored).exists()  # the file stays where it was

    executor = _executor()
    executor.migrate(BEFORE)  # reversible
    Record = executor.loader.project_state(BEFORE).apps.get_model("supervision", "ActivityRecord")
    assert Record.objects.get(pk=with_photo.pk).photo_stored == stored
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())
