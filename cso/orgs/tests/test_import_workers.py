"""The dry run's second process gives the same report as parsing everything here: the rows are
read and parsed in a forked worker (``importing.ParsedRows``) and checked here, a refused file is
refused with the same message, and a worker that dies half-way is replaced by parsing the rest
here. Only a dry run allowed to (``parallel``: in the task worker) starts processes at all; the
web process never forks. The garbage collector, paused for a dry run or an apply, is back on
afterwards."""

from __future__ import annotations

import gc
import os

import pytest
from django.db import connection

from cso.core.models import ImportStatus
from cso.orgs import importing
from cso.orgs.models import Organization
from cso.orgs.tests.factories import COMMUNITY, COMMUNITY_2, FOREIGN_COMMUNITY, credit_code, make_filed
from cso.orgs.tests.test_import import dry_run, row, xlsx

pytestmark = pytest.mark.django_db


def mixed_rows() -> list[list]:
    """Good rows, rows with bad cells, rule errors, duplicates within the file and with the
    registry, a likely duplicate name, rows outside the user's scope: spread over several chunks."""
    return [
        row(名称="兴宁社区书画协会", 类别="文体娱乐、居民互助", 服务对象="老年人/儿童"),
        row(名称="兴宁社区太极拳队", 管理方式="备案", 成员数="三十"),
        row(名称="兴宁社区合唱团", 管理方式="备案", 备案日期="2021-13-45"),
        row(名称="兴宁社区读书会", 统一社会信用代码="12345"),
        row(名称="兴宁社区书画协会", 统一社会信用代码=credit_code("2")),  # same name, same authority
        row(名称="兴宁社区象棋协会", 管理方式="备案", 所在区划代码=FOREIGN_COMMUNITY),
        row(名称="兴宁社区老年人协会", 管理方式="备案", 类别="不存在的类别"),
        row(名称="兴宁社区调解委员会", 管理方式="备案", 所在区划代码=COMMUNITY_2, 负责人姓名="李四",
            负责人电话="13912345678"),
        row(名称="兴宁社区舞蹈队", 管理方式="备案"),
        row(名称="兴宁社区舞蹈队。", 管理方式="备案"),  # likely the same as the row above
        row(名称="", 管理方式="备案"),
        row(名称="已有的社区互助会", 管理方式="备案"),  # the registry has it already
        row(名称="兴宁社区志愿服务队", 管理方式="登记", 注册资金="-5"),
    ]


def outcome(job) -> tuple:
    return (job.status, job.message, job.total_rows, job.valid_rows, job.error_rows, job.warning_rows, job.report,
            importing._unpack(job.payload))


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 3)


@pytest.fixture
def delivered(monkeypatch):
    """Counts the chunks the worker delivered."""
    counts = {"rows": 0}
    receive = importing.ParsedRows._receive

    def counting(self, conn):
        kind, value = receive(self, conn)
        counts[kind] = counts.get(kind, 0) + 1
        return kind, value

    monkeypatch.setattr(importing.ParsedRows, "_receive", counting)
    return counts


def run_both(monkeypatch, user, rows) -> tuple[tuple, tuple]:
    monkeypatch.setattr(importing.ParsedRows, "MIN_ROWS", 10**9)
    here = outcome(importing.validate_job(importing.start_job(user, "orgs.xlsx", xlsx(rows)), parallel=True))
    monkeypatch.setattr(importing.ParsedRows, "MIN_ROWS", 0)
    return here, outcome(importing.validate_job(importing.start_job(user, "orgs.xlsx", xlsx(rows)), parallel=True))


def test_a_dry_run_not_allowed_to_start_processes_starts_none(cast, monkeypatch, small_chunks, delivered):
    def no_process(*args, **kwargs):
        raise AssertionError("a process was started")

    monkeypatch.setattr(importing.ParsedRows, "MIN_ROWS", 0)
    monkeypatch.setattr(importing.multiprocessing, "get_context", no_process)
    monkeypatch.setattr(importing.subprocess, "Popen", no_process)
    monkeypatch.setattr(importing.PinyinKeys, "BATCH", 1)
    job = dry_run(cast["superuser"], mixed_rows())  # parallel=False: how the web process would run it
    assert job.status == ImportStatus.VALIDATED and job.valid_rows >= 1
    assert delivered == {"rows": 0}


def test_the_worker_process_gives_the_report_and_rows_of_parsing_here(cast, monkeypatch, small_chunks, delivered):
    make_filed(cast["street"], name="已有的社区互助会", division_id=COMMUNITY)
    here, worker = run_both(monkeypatch, cast["superuser"], mixed_rows())
    assert delivered["rows"] == 5 and delivered["end"] == 1  # 13 rows in chunks of 3, all from the worker
    assert worker == here
    status, _, total, valid, errors, warnings, report, rows = worker
    assert (status, total) == (ImportStatus.VALIDATED, 13)
    assert errors >= 6 and valid == len(rows) and warnings >= 1 and report


def test_a_file_over_the_row_limit_is_refused_by_the_worker_as_here(cast, monkeypatch, settings, small_chunks,
                                                                     delivered):
    settings.CSO_IMPORT_MAX_ROWS = 7
    here, worker = run_both(monkeypatch, cast["registrar"], [row(名称=f"兴宁社区互助会{i}") for i in range(9)])
    assert worker == here
    assert worker[0] == ImportStatus.FAILED and "数据行超过上限 7 行" in worker[1]
    assert delivered["refused"] == 1


def test_a_worker_that_dies_half_way_is_replaced_by_parsing_the_rest_here(cast, monkeypatch, small_chunks,
                                                                           delivered):
    here_pid = os.getpid()
    parse = importing.RowChecker.parse_chunk

    def dying(self, chunk):
        if os.getpid() != here_pid and chunk[0][0] > 5:  # the worker, after its second chunk
            os._exit(3)
        return parse(self, chunk)

    monkeypatch.setattr(importing.RowChecker, "parse_chunk", dying)
    make_filed(cast["street"], name="已有的社区互助会", division_id=COMMUNITY)
    here, worker = run_both(monkeypatch, cast["superuser"], mixed_rows())
    assert delivered["rows"] == 2 and delivered["failed"] == 1
    assert worker == here


def test_no_worker_process_to_be_had_means_parsing_here(cast, monkeypatch, small_chunks, delivered):
    def refuse(self):
        raise AssertionError("daemonic processes are not allowed to have children")

    monkeypatch.setattr(importing.multiprocessing.get_context("fork").Process, "start", refuse)
    here, worker = run_both(monkeypatch, cast["superuser"], mixed_rows())
    assert delivered == {"rows": 0} and worker == here


def test_the_garbage_collector_is_back_on_after_a_dry_run_and_an_apply(cast):
    assert gc.isenabled()
    job = dry_run(cast["registrar"], [row(名称="兴宁社区书画协会")])
    assert gc.isenabled()
    importing.apply_job(job, cast["registrar"])
    assert gc.isenabled() and Organization.objects.filter(name="兴宁社区书画协会").exists()
    with pytest.raises(importing.ApplyRefused):  # a refused apply too
        importing.apply_job(job, cast["registrar"])
    assert gc.isenabled()


def test_nested_pauses_switch_the_collector_back_on_with_the_last_one():
    with importing._gc_paused():
        with importing._gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with importing._gc_paused():  # switched off by someone else: left off afterwards
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def updating_rows(mine, foreign) -> list[list]:
    """Rows that update organizations by 组织标识, with the 组织标识 checks: repeated in the file, malformed
    (with and without an unreadable cell beside it), of another county's organization."""
    return [
        row(名称="兴宁社区书画协会", 组织标识=mine.uid, 成员数=45, 管理方式="备案"),
        row(名称="兴宁社区书画协会", 组织标识=mine.uid, 管理方式="备案"),  # the same 组织标识 again
        row(名称="兴宁社区象棋协会", 组织标识=foreign.uid, 管理方式="备案"),
        row(名称="兴宁社区合唱团", 组织标识="ZZ12", 管理方式="备案"),
        row(名称="兴宁社区合唱团", 组织标识="ZZ12", 管理方式="备案", 备案日期="不是日期"),
        row(名称="兴宁社区舞蹈队", 管理方式="备案"),
        row(名称="兴宁社区舞蹈队。", 管理方式="备案"),
        row(名称="兴宁社区老年人协会"),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="the test database is in memory: no other process opens it")
def test_checking_workers_give_the_report_and_rows_of_checking_here(cast, monkeypatch, small_chunks, delivered):
    """Outside a transaction the workers check the rows themselves, each with a connection of its own,
    and this process only checks across rows: the same report and rows as checking everything here."""
    make_filed(cast["street"], name="已有的社区互助会", division_id=COMMUNITY)
    mine = make_filed(cast["street"], name="兴宁社区书画协会", division_id=COMMUNITY)
    foreign = make_filed(cast["superuser"], name="外县的协会", division_id=FOREIGN_COMMUNITY)
    for rows in (mixed_rows(), updating_rows(mine, foreign)):
        counts = dict(delivered)
        here, worker = run_both(monkeypatch, cast["superuser"], rows)
        assert worker == here
        assert delivered.get("found", 0) - counts.get("found", 0) == -(-len(rows) // 3)  # every chunk
    status, _, total, _, errors, warnings, report, _ = worker
    assert status == ImportStatus.VALIDATED and total == 8 and errors == 3 and warnings >= 1
    assert {r["column"] for r in report if r["row"] == 6 and r["level"] == "error"} == {"组织标识", "备案日期"}
    assert {r["column"] for r in report if r["level"] == "change"}  # the update's differences
    assert any("重复：与第2行的组织标识相同" in r["reason"] for r in report if r["row"] == 3)
    # the parent's connection is still its own after the workers left
    assert Organization.objects.filter(pk=mine.pk).exists()
