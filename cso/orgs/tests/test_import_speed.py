"""The fast paths of the organization import give the same results as the plain ones: the field
screen in front of ``clean_fields``, pinyin keys from the worker process, the stored payload, the
generated identifiers, and on PostgreSQL the COPY with foreign-key triggers set aside."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cso.core.models import ImportStatus
from cso.orgs import importing, validators
from cso.orgs.choices import OrgType, PartyBuilding, Status, Tier, Track
from cso.orgs.models import Category, Leader, Organization
from cso.orgs.search import pinyin_keys
from cso.orgs.tests.test_import import dry_run, row

ORG_EXCLUDE = importing.ORG_UNCHECKED

texts = st.one_of(st.just(""), st.text(max_size=20), st.text(min_size=180, max_size=320),
                  st.just("a\x00b"))
choices = st.one_of(st.sampled_from(["", "nonsense"]), st.sampled_from([*Track, *OrgType, *Tier, *PartyBuilding]))
numbers = st.one_of(st.none(), st.integers(min_value=-5, max_value=2**32))
money = st.one_of(st.none(), st.decimals(min_value=-10, max_value=Decimal("1e16"), places=2, allow_nan=False),
                  st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=0, max_value=10**6))


def org_with(**values) -> Organization:
    base = {"name": "兴宁社区书画协会", "track": Track.REGISTERED, "org_type": OrgType.SOCIAL_GROUP,
            "tier": Tier.REGISTERED, "status": Status.ACTIVE, "party_building": PartyBuilding.NONE,
            "founded_on": date(2020, 1, 1)}
    base.update(values)
    return Organization(**base)


def clean_fields_passes(obj, exclude) -> bool:
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=texts, address=texts, contact_phone=texts, track=choices, org_type=choices, tier=choices,
       party=choices, member_count=numbers, capital=money)
def test_the_field_screen_never_passes_what_clean_fields_refuses(name, address, contact_phone, track, org_type,
                                                                  tier, party, member_count, capital):
    org = org_with(name=name, address=address, contact_phone=contact_phone, track=track, org_type=org_type,
                   tier=tier, party_building=party, member_count=member_count, registered_capital=capital)
    if importing.FieldScreen(Organization, ORG_EXCLUDE).passes(org):
        assert clean_fields_passes(org, ORG_EXCLUDE)


@settings(max_examples=200, deadline=None)
@given(name=texts, id_number=texts, phone=texts)
def test_the_field_screen_of_leaders_agrees_with_clean_fields(name, id_number, phone):
    leader = Leader(name=name, id_number=id_number, phone=phone)
    if importing.FieldScreen(Leader, ["organization"]).passes(leader):
        assert clean_fields_passes(leader, ["organization"])


def test_the_field_screen_passes_an_ordinary_row_and_stops_a_field_it_does_not_know():
    org = org_with(registered_capital=Decimal("5000.00"), member_count=20)
    assert importing.FieldScreen(Organization, ORG_EXCLUDE).passes(org)
    assert not importing.FieldScreen(Organization, [f for f in ORG_EXCLUDE if f != "tags"]).passes(org)  # JSON
    assert not importing.FieldScreen(Organization, ORG_EXCLUDE).passes(org_with(name="x" * 201))


def test_pinyin_keys_from_the_worker_are_the_keys_computed_here(monkeypatch):
    monkeypatch.setattr(importing.PinyinKeys, "BATCH", 3)
    names = ["兴宁社区书画协会", "重庆银行读书会", "ABC合唱团2", "长湖社区太极拳队", "", "行知调解委员会", "乐乐舞蹈队"]
    keys = importing.PinyinKeys()
    keys._failed = False  # even on a one-core machine
    for name in names:
        keys.add(name)
    assert keys._worker is not None  # batches went to the worker
    assert keys.keys() == [pinyin_keys(n) for n in names]


def test_pinyin_keys_fall_back_to_computing_here_when_the_worker_fails(monkeypatch):
    monkeypatch.setattr(importing.PinyinKeys, "BATCH", 2)
    monkeypatch.setattr(importing.sys, "executable", "/nonexistent/python")
    keys = importing.PinyinKeys()
    keys._failed = False
    for name in ["兴宁社区书画协会", "长湖社区太极拳队", "行知调解委员会"]:
        keys.add(name)
    assert keys.keys() == [pinyin_keys(n) for n in ["兴宁社区书画协会", "长湖社区太极拳队", "行知调解委员会"]]


def test_adding_names_does_not_wait_for_a_slow_worker(monkeypatch, tmp_path):
    """The batches are written by a thread: a worker that is slow to read (starting up, busy with
    the batch before) does not hold up the dry run, and its keys are still the keys."""
    import sys
    import time

    slow = tmp_path / "slow_python"
    slow.write_text(f"#!/bin/sh\nsleep 2\nexec {sys.executable} \"$@\"\n")
    slow.chmod(0o755)
    monkeypatch.setattr(importing.sys, "executable", str(slow))
    monkeypatch.setattr(importing.PinyinKeys, "BATCH", 1)
    names = ["兴宁社区书画协会" * 3000, "长湖社区太极拳队" * 3000, "行知调解委员会"]  # > a pipe's 64 KB each
    keys = importing.PinyinKeys()
    keys._failed = False
    started = time.monotonic()
    for name in names:
        keys.add(name)
    assert time.monotonic() - started < 1.5  # the worker has not read anything yet
    assert keys._worker is not None
    assert keys.keys() == [pinyin_keys(n) for n in names]


def test_generated_identifiers_have_the_registry_format_and_do_not_repeat():
    uids = importing._uids(20000)
    assert all(validators.UID_RE.match(u) for u in uids)
    assert len(set(uids)) == len(uids)


def test_the_stored_rows_come_back_as_they_were_and_older_payloads_still_read():
    rows = [{"row": 2, "name": "甲", "leader": ["李四", "", ""], "categories": [1, 2], "capital": None},
            {"row": 3, "name": "乙", "leader": None, "categories": [], "capital": "5000.00"}]
    assert importing._unpack(importing._pack(rows)) == rows
    import json
    import zlib
    assert importing._unpack(zlib.compress(json.dumps(rows).encode())) == rows


json_values = st.recursive(  # what a stored row holds: no floats (money is text, counts are integers)
    st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({"row": st.integers(2, 10**6), "a": json_values, "b": json_values}),
                     max_size=6),
       big=st.sampled_from([2**70, -(2**70)]))
def test_the_stored_rows_are_the_bytes_the_standard_json_encoder_writes(rows, big):
    import json
    import zlib

    keys = list(rows[0]) if rows else []
    same = ({k: rows[0][k] for k in keys if importing._constant([r[k] for r in rows])} if len(rows) > 1 else {})
    varying = [k for k in keys if k not in same]
    body = {"keys": varying, "rows": [[r[k] for k in varying] for r in rows], "same": same}
    assert zlib.decompress(importing._pack(rows)) == json.dumps(body, ensure_ascii=False,
                                                                separators=(",", ":")).encode()
    assert importing._unpack(importing._pack(rows)) == rows
    # an integer beyond 64 bits is written by the standard encoder (the fast one refuses it)
    odd = [{"row": 2, "v": big}, {"row": 3, "v": 1}]
    assert importing._unpack(importing._pack(odd)) == odd


def test_the_dry_run_stores_the_pinyin_keys_the_apply_writes(cast):
    job = dry_run(cast["registrar"], [row(名称="兴宁社区书画协会")])
    assert importing._unpack(job.payload)[0]["pinyin"] == list(pinyin_keys("兴宁社区书画协会"))
    importing.apply_job(job, cast["registrar"])
    org = Organization.objects.get()
    assert (org.name_pinyin, org.name_initials) == pinyin_keys("兴宁社区书画协会")
    assert org.import_job_id == job.pk


def test_apply_refuses_when_a_referenced_term_is_gone_and_writes_nothing(cast):
    term = Category.objects.create(name="临时类别", code="temp")
    job = dry_run(cast["superuser"], [row(类别="临时类别"), row(名称="兴宁社区读书会", 管理方式="备案")])
    assert job.valid_rows == 2
    Category.objects.filter(pk=term.pk).delete()
    with pytest.raises(importing.ApplyRefused, match="类别已被删除"):
        importing.apply_job(job, cast["superuser"])
    assert Organization.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def show(setting: str) -> str:
    """The connection's current value of a PostgreSQL setting."""
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


@contextlib.contextmanager
def setting_during_the_copy(setting: str):
    """The values ``setting`` had while the apply's COPYs ran (one per apply)."""
    from unittest import mock

    seen: list[str] = []
    real = importing._copy_rows

    def spy(*args):
        seen.append(show(setting))
        return real(*args)

    with mock.patch.object(importing, "_copy_rows", spy):
        yield seen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_the_copy_path_sets_the_triggers_aside_only_for_the_copy(cast):
    with setting_during_the_copy("session_replication_role") as seen:
        importing.apply_job(dry_run(cast["registrar"], [row()]), cast["registrar"])
    after = show("session_replication_role")
    assert seen == (["replica"] if importing._may_skip_fk_triggers() else ["origin"])
    assert after == "origin"
    # every reference of the written rows exists
    org = Organization.objects.select_related("division", "registration_authority_division", "created_by").get()
    assert org.division.code and org.registration_authority_division.code and org.created_by == cast["registrar"]
    assert org.leaders.count() == 0 and org.history.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_a_clash_found_by_the_database_during_the_copy_refuses_the_apply_and_leaves_nothing(cast):
    from unittest import mock

    from cso.orgs.tests.factories import credit_code

    code = credit_code("1")
    job = dry_run(cast["superuser"], [row(统一社会信用代码=code), row(名称="兴宁社区读书会", 管理方式="备案")])
    taken = dry_run(cast["registrar"], [row(名称="抢先的协会", 统一社会信用代码=code)])
    importing.apply_job(taken, cast["registrar"])
    before = Organization.objects.count()
    # with the re-check skipped, the live credit-code unique index is what refuses the row
    with mock.patch.object(importing, "_recheck"), pytest.raises(importing.ApplyRefused, match="本次未导入任何数据"):
        importing.apply_job(job, cast["superuser"])
    assert Organization.objects.count() == before == 1
    assert show("session_replication_role") == "origin"
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_the_copy_feed_writes_every_table_in_small_chunks_and_a_failure_in_its_thread_writes_nothing(cast):
    import threading
    from unittest import mock

    from cso.orgs.models import OrgStateSpan, RegistryDecision, StatusChange

    rows = [row(名称=f"兴宁社区书画协会{i}", 管理方式="备案", 类别="文体娱乐、居民互助", 服务对象="老年人",
                负责人姓名="李四", 其他负责人="王五|秘书长||13812345678|是") for i in range(5)]
    threads = threading.active_count()
    # one message of ≥ 64 bytes waiting at most: the thread is ahead of the server by one chunk only
    with mock.patch.object(importing.CopyFeed, "CHUNK", 64), mock.patch.object(importing.CopyFeed, "DEPTH", 1):
        failing = dry_run(cast["superuser"], rows)
        with mock.patch.object(importing, "_decisions", side_effect=RuntimeError("boom")), \
                pytest.raises(RuntimeError, match="boom"):
            importing.apply_job(failing, cast["superuser"])
        assert Organization.objects.count() == 0 and Leader.objects.count() == 0
        assert threading.active_count() == threads
        importing.apply_job(failing, cast["superuser"])
    assert threading.active_count() == threads
    orgs = list(Organization.objects.prefetch_related("categories", "service_targets", "leaders"))
    assert len(orgs) == 5
    for org in orgs:
        assert [x.name for x in org.leaders.order_by("order")] == ["李四", "王五"]
        assert len(org.categories.all()) == 2 and len(org.service_targets.all()) == 1
        record = org.history.get()
        assert {c.category_id for c in record.categories.all()} == {c.pk for c in org.categories.all()}
        assert OrgStateSpan.objects.filter(organization=org, valid_to__isnull=True).count() == 1
        assert StatusChange.objects.filter(organization=org).count() == 1
        assert RegistryDecision.objects.filter(organization=org).count() == 1
        assert sorted(h.id for h in Leader.history.filter(organization_id=org.pk)) == sorted(
            x.pk for x in org.leaders.all())


def test_names_for_duplicates_keep_exactly_the_letters_and_numbers():
    import sys
    import unicodedata

    # str.isalnum (the fast path) accepts exactly the code points of the categories L* and N*
    assert all(chr(i).isalnum() == (unicodedata.category(chr(i))[0] in "LN") for i in range(sys.maxunicode + 1))
    assert importing.normalize_name("兴宁社区（老年人）协会 No.1") == "兴宁社区老年人协会no1"
    assert importing.normalize_name("ＡＢＣ书画社") == "abc书画社"
    assert importing.normalize_name("") == importing.normalize_name(None) == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_a_large_apply_leaves_the_search_entries_pending_and_the_commit_queues_their_merge(
        cast, monkeypatch, django_capture_on_commit_callbacks):
    from unittest import mock

    from cso.orgs.queries import search_q

    monkeypatch.setattr(importing, "DEFER_SEARCH_ROWS", 2)
    job = dry_run(cast["superuser"], [row(), row(名称="兴宁社区读书会", 管理方式="备案")])
    with setting_during_the_copy("gin_pending_list_limit") as seen, \
            django_capture_on_commit_callbacks() as callbacks:
        importing.apply_job(job, cast["superuser"])
    assert seen == ["8MB"]  # raised for the COPY only (8 MB at least, 4 kB a row)
    assert show("gin_pending_list_limit") == "4MB"
    # the entries are found before the merge (the pending list is part of the index) and after it
    found = list(Organization.objects.filter(search_q("读书会")).values_list("name", flat=True))
    assert found == ["兴宁社区读书会"]
    assert len(callbacks) == 1
    with mock.patch.object(importing, "merge_search_entries", wraps=importing.merge_search_entries) as merge:
        callbacks[0]()  # queues the task (run at once by the tests' backend)
    assert merge.call_count == 1
    assert importing.merge_search_entries() == 0  # nothing left pending
    assert list(Organization.objects.filter(search_q("读书会")).values_list("name", flat=True)) == found


def test_a_small_apply_leaves_the_search_indexes_as_they_are(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        importing.apply_job(dry_run(cast["superuser"], [row()]), cast["superuser"])
    assert callbacks == []  # nothing deferred, nothing queued
    assert importing.merge_search_entries() >= 0
