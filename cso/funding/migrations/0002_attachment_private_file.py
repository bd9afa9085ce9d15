"""Funding attachments become ``cso.core.attachments.PrivateFile`` rows: ``name`` is renamed ``original_name`` (the
rows and the stored files of area "funding" stay where they are), ``sha256`` is added and filled from the stored
file where it can be read (left empty where the file is missing)."""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_sha256(apps, schema_editor):
    from cso.core import privatefiles

    Attachment = apps.get_model("funding", "Attachment")
    for row in Attachment.objects.filter(sha256="").only("pk", "stored_name").iterator():
        try:
            with privatefiles.open_file("funding", row.stored_name) as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except Exception:  # a missing file or a name not ours (SuspiciousFileOperation): leave it empty
            continue
        Attachment.objects.filter(pk=row.pk).update(sha256=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0001_funding_programmes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("attachment", "name", "original_name"),
        migrations.AddField(
            model_name="attachment",
            name="sha256",
            field=models.CharField(default="", max_length=64, verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="attachment",
            name="content_type",
            field=models.CharField(max_length=100, verbose_name="文件类型"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="original_name",
            field=models.CharField(max_length=255, verbose_name="原文件名"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="size",
            field=models.PositiveBigIntegerField(verbose_name="大小（字节）"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="stored_name",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="存储文件名"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="uploaded_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="uploaded_by",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="上传人"),
        ),
        migrations.RunPython(fill_sha256, migrations.RunPython.noop),
    ]
