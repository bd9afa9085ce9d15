"""Activity-record photos become private files of their own (``cso.core.attachments.PrivateFile``): each stored photo
of a record moves, under the same stored name in the same area, into an ``ActivityPhoto`` row (its size and SHA-256
read from the stored file where it is present), then the record's own photo columns go."""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _stored(stored_name):
    from cso.core import privatefiles

    try:
        return privatefiles.path_for("activities", stored_name).read_bytes()
    except Exception:  # a missing or foreign-named file: the row still moves (size 0, no digest)
        return None


def forwards(apps, schema_editor):
    ActivityRecord = apps.get_model("supervision", "ActivityRecord")
    ActivityPhoto = apps.get_model("supervision", "ActivityPhoto")
    rows = []
    for record in ActivityRecord.objects.exclude(photo_stored="").iterator():
        data = _stored(record.photo_stored)
        rows.append(ActivityPhoto(
            record_id=record.pk, original_name=record.photo_name or record.photo_stored,
            stored_name=record.photo_stored, content_type=record.photo_type or "application/octet-stream",
            size=len(data) if data is not None else 0, sha256=hashlib.sha256(data).hexdigest() if data else "",
            uploaded_by_id=record.recorded_by_id))
    ActivityPhoto.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    ActivityRecord = apps.get_model("supervision", "ActivityRecord")
    ActivityPhoto = apps.get_model("supervision", "ActivityPhoto")
    for photo in ActivityPhoto.objects.iterator():
        ActivityRecord.objects.filter(pk=photo.record_id).update(
            photo_name=photo.original_name, photo_stored=photo.stored_name, photo_type=photo.content_type)


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0007_evaluation_pages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ActivityPhoto',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=255, verbose_name='原文件名')),
                ('stored_name', models.CharField(editable=False, max_length=64, unique=True, verbose_name='存储文件名')),
                ('content_type', models.CharField(max_length=100, verbose_name='文件类型')),
                ('size', models.PositiveBigIntegerField(verbose_name='大小（字节）')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('record', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='photo', to='supervision.activityrecord', verbose_name='活动记录')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
            ],
            options={
                'verbose_name': '活动记录照片',
                'verbose_name_plural': '活动记录照片',
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name='activityrecord',
            name='photo_name',
        ),
        migrations.RemoveField(
            model_name='activityrecord',
            name='photo_stored',
        ),
        migrations.RemoveField(
            model_name='activityrecord',
            name='photo_type',
        ),
    ]
