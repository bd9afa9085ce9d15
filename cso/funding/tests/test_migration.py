"""Funding files made before they became ``cso.core.attachments`` rows keep working: the name is kept as the
original name, the stored file stays where it is and its SHA-256 is filled in; a missing file leaves it empty."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cso.core import attachments, privatefiles

BEFORE = [("funding", "0001_funding_programmes")]
AFTER = [("funding", "0002_attachment_private_file")]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_old_funding_files_become_private_files(cast, settings, tmp_path):
    from cso.funding.models import Attachment

    from .helpers import linked_org, programme, submitted

    settings.CSO_PRIVATE_MEDIA_ROOT = str(tmp_path)
    app = submitted(programme(cast["county"]), linked_org(cast["organization"], cast["registrar"]),
                    cast["organization"], "1000")
    stored = privatefiles.write("funding", ".pdf", PDF)
    try:
        old = _migrate(BEFORE).get_model("funding", "Attachment")
        old.objects.create(application_id=app.pk, name="计划书.pdf", stored_name=stored,
                           content_type="application/pdf", size=len(PDF))
        old.objects.create(application_id=app.pk, name="丢失.pdf", stored_name="f" * 32 + ".pdf",
                           content_type="application/pdf", size=1)
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    kept, lost = Attachment.objects.order_by("pk")
    digest = hashlib.sha256(PDF).hexdigest()
    assert (kept.original_name, kept.stored_name, kept.sha256) == ("计划书.pdf", stored, digest)
    assert attachments.response(kept).status_code == 200
    assert (lost.original_name, lost.sha256) == ("丢失.pdf", "")
