"""Importers for the administrative-division data (domain logic; no HTTP).

Four operations, each recorded as one ``ImportRun`` row (dry runs and failed runs included):

- ``import_divisions``: the yearly statistical code table (统计用区划代码), ``code,name,level,parent_code,
  urban_rural_code``. Every row is validated before anything is written; strict by default (one
  rejected row and nothing is written); applying is one transaction; a second run of the same file
  changes nothing. New rows go in through the fastest path the database offers (COPY on PostgreSQL,
  ``executemany`` elsewhere); their audit record is the ``ImportRun``. Changed rows are written with
  simple-history records.
- ``import_population``: the 2020 census figures of county-level units (6-digit codes).
- ``import_urban_rural``: 城乡分类代码 for village-level units from a ``code,urban_rural_code`` file.
- ``estimate_figures``: plausible population/households/facility area where none are known, always
  marked as an estimate.

All messages meant for people are in Chinese.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import codes
from .choices import FiguresSource
from .models import Division, ImportRun

Progress = Callable[[int, int, str], None]

DIVISION_COLUMNS = ("code", "name", "level", "parent_code", "urban_rural_code")
POPULATION_COLUMNS = ("code", "name", "population", "households")
URBAN_RURAL_COLUMNS = ("code", "urban_rural_code")
SUCCESSOR_COLUMNS = ("code", "successor_code")
CODE_CHANGE_COLUMNS = ("old_code", "new_code", "kind")

DATA_DIR = Path(settings.BASE_DIR) / "data" / "divisions"
# County codes that changed between the 2020 census and the 2023 code table (same territory).
COUNTY_CODE_CHANGES = DATA_DIR / "county_code_changes_2020_2023.csv"

# Phases reported to the progress callback.
PHASE_READ = "读取"
PHASE_LOAD = "载入库中数据"
PHASE_CHECK = "校验"
PHASE_WRITE = "写入"

REPORT_LIMIT = 200  # rejections kept in the ImportRun report text (the command can write all to CSV)
QUERY_BATCH = 900  # codes per ``IN (…)`` list; below SQLite's 999 parameters
UPDATE_BATCH = 500
INSERT_CHUNK = 20_000
ANALYZE_AFTER = 10_000  # rows added before the importer refreshes PostgreSQL's planner statistics

PHASE_PROGRESS_STEPS = 100  # how often (in parts of the total) the importers call ``progress``


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Rejection:
    """One row that was not applied. ``line`` is the 1-based line in the file (header = 1)."""

    line: int
    code: str
    column: str
    reason: str
    source: str = ""  # the file, when it is not the main file of the import (e.g. the successors file)

    def as_text(self) -> str:
        where = f"{Path(self.source).name} " if self.source else ""
        code = f" {self.code}" if self.code else ""
        column = f"［{self.column}］" if self.column else ""
        return f"{where}第 {self.line} 行{code}{column}：{self.reason}"


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a refused import, would have done)."""

    kind: str = "divisions"
    source: str = ""
    edition: int | None = None
    scope_prefix: str = ""
    rows_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    abolished: int = 0
    reinstated: int = 0  # among ``updated``: units that reappeared after being abolished
    confirmed: int = 0  # among ``unchanged``: units only stamped with a newer edition
    kept_newer: int = 0  # rows left alone because the database already has a newer edition
    successors_set: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Rejection] = field(default_factory=list)  # not applied, not an error
    applied: bool = False
    dry_run: bool = False
    strict: bool = True
    seconds: float = 0.0
    error: str = ""
    run: ImportRun | None = None

    @property
    def rejected_rows(self) -> int:
        return len({(r.source, r.line) for r in self.rejected})

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.abolished or self.successors_set or self.confirmed)

    def _title(self) -> str:
        name = Path(self.source).name if self.source else ""
        edition = f"{self.edition}年版，" if self.edition else ""
        scope = f"范围 {self.scope_prefix}，" if self.scope_prefix else ""
        return f"区划代码导入（{edition}{scope}文件 {name}）"

    def _counts(self) -> str:
        text = (
            f"读取 {self.rows_read:,} 行，新增 {self.added:,}，更新 {self.updated:,}，未变 {self.unchanged:,}，"
            f"撤销 {self.abolished:,}，拒绝 {self.rejected_rows:,}"
        )
        notes = []
        if self.reinstated:
            notes.append(f"其中恢复已撤销单位 {self.reinstated:,} 个")
        if self.confirmed:
            notes.append(f"{self.confirmed:,} 个未变单位确认为 {self.edition} 年版")
        if self.successors_set:
            notes.append(f"设置承继单位 {self.successors_set:,} 个")
        if self.kept_newer:
            notes.append(f"{self.kept_newer:,} 行库中已有更新版本的数据，未覆盖")
        if self.skipped:
            notes.append(f"跳过 {len(self.skipped):,} 行")
        return text + ("（" + "；".join(notes) + "）" if notes else "")

    def _status(self) -> str:
        if self.error:
            return f"导入失败，数据库未作任何改动：{self.error}"
        if self.dry_run:
            if self.rejected and self.strict:
                return "仅校验：有被拒绝的行，正式导入时将不会写入任何数据；本次未写入任何数据。"
            if self.rejected:
                return "仅校验，未写入任何数据；正式导入时将跳过被拒绝的行，只导入其余有效行。"
            return "仅校验，未写入任何数据；以上为正式导入时的结果。"
        if self.rejected and not self.applied:
            return (
                f"有 {self.rejected_rows:,} 行被拒绝，按严格模式未写入任何数据；"
                "请修正后重新导入，或选择“允许跳过错误行”（--allow-rejects）只导入有效行。"
            )
        if not self.changed:
            return "与数据库一致，无变化，未写入任何数据。"
        skipped = f"被拒绝的 {self.rejected_rows:,} 行未导入，" if self.rejected else ""
        return f"{skipped}已写入，用时 {self.seconds:.1f} 秒。"

    def summary(self) -> str:
        """One paragraph in Chinese: counts and what happened."""
        return f"{self._title()}：{self._counts()}。{self._status()}"

    def report_text(self, limit: int = REPORT_LIMIT) -> str:
        lines = [self.summary()]
        for title, items in (("被拒绝的行", self.rejected), ("跳过的行", self.skipped)):
            if items:
                shown = items[:limit]
                more = f"，以下为前 {len(shown)} 条" if len(items) > len(shown) else ""
                lines.append(f"{title}（共 {len(items):,} 条{more}）：")
                lines.extend("  " + r.as_text() for r in shown)
        return "\n".join(lines)


@dataclass
class PopulationResult(ImportResult):
    kind: str = "population"
    kept_entered: int = 0  # matched rows left alone because staff entered the figures
    mapped: int = 0  # rows matched through a known code change
    aggregated: int = 0  # cities and provinces whose figures were summed from their counties

    def _title(self) -> str:
        return f"县级人口户数导入（{self.edition}年人口普查，文件 {Path(self.source).name}）"

    def _counts(self) -> str:
        notes = []
        if self.mapped:
            notes.append(f"{self.mapped:,} 行按代码变更对应到新代码")
        if self.kept_entered:
            notes.append(f"{self.kept_entered:,} 个单位已有工作人员填报的数据，未覆盖")
        if self.skipped:
            notes.append(f"{len(self.skipped):,} 行未匹配到区划，已跳过")
        text = (
            f"读取 {self.rows_read:,} 行，更新县级单位 {self.updated:,} 个，未变 {self.unchanged:,} 个，"
            f"汇总到地市和省 {self.aggregated:,} 个，拒绝 {self.rejected_rows:,} 行"
        )
        return text + ("（" + "；".join(notes) + "）" if notes else "")

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.aggregated)


@dataclass
class UrbanRuralResult(ImportResult):
    kind: str = "urban_rural"

    def _title(self) -> str:
        return f"城乡分类代码导入（{self.edition}年版，文件 {Path(self.source).name}）"

    def _counts(self) -> str:
        notes = []
        if self.kept_newer:
            notes.append(f"{self.kept_newer:,} 个单位已有更新版本的代码，未覆盖")
        if self.skipped:
            notes.append(f"{len(self.skipped):,} 行在区划库中没有对应单位，已跳过")
        text = (
            f"读取 {self.rows_read:,} 行，更新 {self.updated:,} 个，未变 {self.unchanged:,} 个，"
            f"拒绝 {self.rejected_rows:,} 行"
        )
        return text + ("（" + "；".join(notes) + "）" if notes else "")

    @property
    def changed(self) -> bool:
        return bool(self.updated)


@dataclass
class EstimateResult(ImportResult):
    kind: str = "estimate"
    communities: int = 0  # communities whose population/households were (re)estimated
    streets: int = 0  # streets summed from their communities
    facility_areas: int = 0  # communities given an estimated facility area
    no_basis: int = 0  # communities whose county has no figures to start from

    def _title(self) -> str:
        where = f"范围 {self.scope_prefix}" if self.scope_prefix else "全国"
        return f"估算人口户数和设施面积（{where}）"

    def _counts(self) -> str:
        text = (
            f"估算社区（村）人口户数 {self.communities:,} 个，汇总街道（乡镇） {self.streets:,} 个，"
            f"估算设施面积 {self.facility_areas:,} 个，共更新 {self.updated:,} 个单位，未变 {self.unchanged:,} 个"
        )
        if self.no_basis:
            text += f"（{self.no_basis:,} 个社区（村）所属县级单位没有人口数据，无法估算）"
        return text + "；估算值均标记为“估算”，工作人员填报的数据不会被改动"

    @property
    def changed(self) -> bool:
        return bool(self.updated)


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------
class FileProblem(Exception):
    """The file as a whole cannot be read (missing columns, not UTF-8, broken gzip)."""

    def __init__(self, line: int, column: str, reason: str):
        super().__init__(reason)
        self.line, self.column, self.reason = line, column, reason


def read_csv(
    path: str | Path, columns: Iterable[str], progress: Progress | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, values)`` for each data row of a UTF-8 ``.csv`` or gzip-compressed CSV file.

    ``values`` are the stripped values of ``columns`` in that order (extra columns are ignored,
    missing trailing cells read as empty). Blank lines are skipped. Raises ``FileProblem``.
    """
    columns = tuple(columns)
    path = Path(path)
    size = path.stat().st_size or 1
    with open(path, "rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw) if magic == b"\x1f\x8b" else raw
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise FileProblem(1, "", "文件为空，没有表头") from None
            missing = [c for c in columns if c not in header]
            if missing:
                raise FileProblem(1, "表头", f"缺少列：{'、'.join(missing)}（应有列：{'、'.join(columns)}）")
            index = [header.index(c) for c in columns]
            width = max(index) + 1
            step = 20_000
            n = 0
            for record in reader:
                n += 1
                if n % step == 0 and progress:
                    progress(min(raw.tell(), size), size, PHASE_READ)
                if len(record) < width:
                    if not any(v.strip() for v in record):
                        continue
                    record = record + [""] * (width - len(record))
                yield reader.line_num, [record[i].strip() for i in index]
        except UnicodeDecodeError:
            raise FileProblem(reader.line_num + 1, "", "文件不是 UTF-8 编码（请另存为 UTF-8 编码的 CSV）") from None
        except (gzip.BadGzipFile, EOFError, zlib.error):
            raise FileProblem(reader.line_num + 1, "", "压缩文件已损坏或不完整") from None
        except csv.Error as exc:
            raise FileProblem(reader.line_num, "", f"CSV 格式错误：{exc}") from None
        if progress:
            progress(size, size, PHASE_READ)


def _ticker(progress: Progress | None, total: int, phase: str):
    """A cheap per-item progress call: reports about every 1 % and at the end."""
    if not progress or total <= 0:
        return lambda done: None
    step = max(1, total // PHASE_PROGRESS_STEPS)

    def tick(done: int):
        if done % step == 0 or done == total:
            progress(done, total, phase)

    return tick


def _batches(items: list, size: int = QUERY_BATCH) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _ranges_q(prefixes: Iterable[str]) -> Q:
    q = Q()
    for prefix in sorted(set(prefixes)):
        low, high = codes.subtree_bounds(prefix)
        q |= Q(code__gte=low, code__lte=high)
    return q


def _check_scope(prefix: str | None) -> str:
    prefix = (prefix or "").strip()
    if prefix and (not prefix.isdigit() or len(prefix) not in codes.PREFIX_LENGTH.values()):
        raise ValueError(f"范围应为2、4、6、9或12位数字的区划代码前缀：{prefix!r}")
    return prefix


def _start_run(result: ImportResult, user, dry_run: bool = False) -> ImportRun:
    return ImportRun.objects.create(
        kind=result.kind,
        source=str(result.source)[:500],
        edition=result.edition,
        scope_prefix=result.scope_prefix,
        dry_run=dry_run,
        user=user if getattr(user, "pk", None) else None,
    )


def _finish_run(run: ImportRun, result: ImportResult, started: float) -> None:
    result.seconds = time.monotonic() - started
    result.run = run
    run.finished_at = timezone.now()
    run.applied = result.applied
    run.rows_read = result.rows_read
    run.added = result.added
    run.updated = result.updated
    run.unchanged = result.unchanged
    run.abolished = result.abolished
    run.rejected = result.rejected_rows
    run.report = result.report_text()
    run.save()


def _history_user(user):
    return user if getattr(user, "pk", None) else None


# --------------------------------------------------------------------------------------------
# import_divisions
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Row:
    line: int
    code: str
    name: str
    level: int
    parent: str  # parent code, "" for provinces
    urban_rural: str


# Values loaded for every existing division the import may touch.
_DB_FIELDS = (
    "code", "name", "level", "parent_id", "unit_type", "urban_rural_code", "urban_rural_edition",
    "edition", "abolished_in", "successor_id",
)  # fmt: skip


@dataclass(slots=True)
class _Existing:
    code: str
    name: str
    level: int
    parent_id: str | None
    unit_type: str
    urban_rural_code: str
    urban_rural_edition: int | None
    edition: int
    abolished_in: int | None
    successor_id: str | None


def _load_existing(q: Q) -> dict[str, _Existing]:
    return {
        values[0]: _Existing(*values)
        for values in Division.objects.filter(q).order_by().values_list(*_DB_FIELDS).iterator(chunk_size=20_000)
    }


def _check_row(line: int, values: list[str], scope_prefix: str) -> tuple[_Row | None, Rejection | None]:
    """Checks that need only the row itself."""
    code, name, level_text, parent, urban_rural = values

    def reject(column, reason):
        return None, Rejection(line, code, column, reason)

    if not codes.is_valid_code(code):
        return reject("code", "区划代码应为12位数字")
    try:
        shape = codes.level_of(code)
    except codes.CodeError:
        return reject("code", "区划代码不能全为0")
    if scope_prefix and not code.startswith(scope_prefix):
        return reject("code", f"区划代码不在本次导入范围（代码前缀 {scope_prefix}）内")
    if level_text not in ("1", "2", "3", "4", "5"):
        return reject("level", "层级应为1到5的整数（1省级、2地级、3县级、4乡级、5村级）")
    level = int(level_text)
    if shape != level:
        return reject(
            "code",
            f"区划代码的形态是{codes.LEVEL_NAMES[shape]}代码，与层级列（{level}，{codes.LEVEL_NAMES[level]}）不符",
        )
    if not name:
        return reject("name", "名称为空")
    if len(name) > 100:
        return reject("name", "名称超过100个字")
    if level == codes.PROVINCE:
        if parent:
            return reject("parent_code", "省级单位不应有上级区划代码")
    else:
        if not parent:
            return reject("parent_code", "缺少上级区划代码")
        if not codes.is_valid_code(parent):
            return reject("parent_code", "上级区划代码应为12位数字")
        if parent == code:
            return reject("parent_code", "上级区划代码不能是本单位的代码")
    if urban_rural:
        if urban_rural not in codes.URBAN_RURAL_CODES:
            allowed = "、".join(codes.URBAN_RURAL_CODES)
            return reject("urban_rural_code", f"城乡分类代码无效（应为 {allowed} 之一）")
        if level != codes.COMMUNITY:
            return reject("urban_rural_code", "城乡分类代码只适用于村级单位")
    return _Row(line, code, name, level, parent, urban_rural), None


def _level_names(levels: Iterable[int]) -> str:
    return "或".join(codes.LEVEL_NAMES[lv] for lv in levels)


def import_divisions(
    path,
    edition: int = 2023,
    scope_prefix: str | None = None,
    complete: bool = False,
    successors=None,
    allow_rejects: bool = False,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a division code table (``code,name,level,parent_code,urban_rural_code``; .csv or .csv.gz).

    - ``edition``: the year of the code table; stamped as ``edition`` on every row in the file and
      as ``first_edition`` on new rows.
    - ``scope_prefix``: rows must lie under this code prefix; with ``complete`` it is the part of the
      hierarchy the file lists completely (default: the provinces present in the file).
    - ``complete``: current divisions in the scope that the file does not list are marked
      ``abolished_in=edition`` (never deleted); ``successors`` is a ``code,successor_code`` CSV.
    - ``allow_rejects``: apply the valid rows even when some rows are rejected (default: nothing).
    - ``dry_run``: validate and count, write nothing but the ``ImportRun``.
    """
    started = time.monotonic()
    scope_prefix = _check_scope(scope_prefix)
    result = ImportResult(
        source=str(path), edition=edition, scope_prefix=scope_prefix, dry_run=dry_run, strict=not allow_rejects
    )
    run = _start_run(result, user, dry_run)
    try:
        plan = _plan_divisions(path, edition, scope_prefix, complete, successors, result, progress)
        if plan is not None and not dry_run and (allow_rejects or not result.rejected):
            if result.changed:
                _apply_divisions(plan, edition, user, progress)
                if result.added >= ANALYZE_AFTER and connection.vendor == "postgresql":
                    # Fresh planner statistics after a large load, so subtree counts use the index at once.
                    with connection.cursor() as cursor:
                        cursor.execute(f"ANALYZE {connection.ops.quote_name(Division._meta.db_table)}")
                # the civil-affairs bodies of the new provinces, cities and counties
                from .authorities import ensure_authorities

                ensure_authorities(scope_prefix or None)
            result.applied = True
    except Exception as exc:
        result.applied = False
        result.error = f"{type(exc).__name__}: {exc}"
        _finish_run(run, result, started)
        raise
    _finish_run(run, result, started)
    return result


@dataclass
class _DivisionPlan:
    create: list[_Row]
    update: dict[str, dict]  # code -> {field: value}
    stamp: list[str]  # codes whose only change is the newer edition
    abolish: dict[str, str | None]  # code -> successor code
    successors: dict[str, str]  # already-abolished code -> successor code


def _plan_divisions(path, edition, scope_prefix, complete, successors_path, result, progress):
    rejections = result.rejected
    accepted: dict[str, _Row] = {}
    first_line: dict[str, int] = {}
    rejected_codes: set[str] = set()

    # 1. Row-local checks, while reading.
    try:
        for line, values in read_csv(path, DIVISION_COLUMNS, progress):
            result.rows_read += 1
            code = values[0]
            if code in first_line:
                rejections.append(
                    Rejection(line, code, "code", f"区划代码在本文件中重复（第 {first_line[code]} 行已出现）")
                )
                continue
            row, rejection = _check_row(line, values, scope_prefix)
            if codes.is_valid_code(code):
                first_line[code] = line
            if rejection:
                rejections.append(rejection)
                if codes.is_valid_code(code):
                    rejected_codes.add(code)
            else:
                accepted[code] = row
    except FileProblem as problem:
        rejections.append(Rejection(problem.line, "", problem.column, problem.reason))
        return None
    file_codes = first_line.keys()

    # 2. What the database already has: everything in the scope, plus parents outside it.
    scope_prefixes = [scope_prefix] if scope_prefix else sorted({c[:2] for c in file_codes})
    existing = _load_existing(_ranges_q(scope_prefixes)) if scope_prefixes else {}
    outside_codes = sorted(
        {r.parent for r in accepted.values() if r.parent and r.parent not in accepted and r.parent not in existing}
    )
    outside: dict[str, _Existing] = {}
    for batch in _batches(outside_codes):
        outside.update(_load_existing(Q(code__in=batch)))
    if progress:
        progress(len(existing), len(existing), PHASE_LOAD)

    # 3. Checks against the parent, parents first so that a rejected parent rejects its children.
    ordered = sorted(accepted.values(), key=lambda r: (r.level, r.line))
    tick = _ticker(progress, len(ordered), PHASE_CHECK)
    for done, row in enumerate(ordered, 1):
        tick(done)
        reason, column = _check_parent(row, accepted, rejected_codes, existing, outside, complete, file_codes)
        if reason:
            rejections.append(Rejection(row.line, row.code, column, reason))
            del accepted[row.code]
            rejected_codes.add(row.code)
    rejections.sort(key=lambda r: r.line)

    # 4. Compare with the database.
    plan = _DivisionPlan(create=[], update={}, stamp=[], abolish={}, successors={})
    for row in sorted(accepted.values(), key=lambda r: (r.level, r.code)):
        db = existing.get(row.code) or outside.get(row.code)
        if db is None:
            plan.create.append(row)
            continue
        if edition < max(db.edition, db.abolished_in or 0):
            result.kept_newer += 1  # an older table never overwrites a newer one
            continue
        changes = {}
        if row.name != db.name:
            changes["name"] = row.name
        if row.level != db.level:
            changes["level"] = row.level
        if (row.parent or None) != db.parent_id:
            changes["parent_id"] = row.parent or None
        unit_type = codes.unit_type_of(row.code, row.level)
        if unit_type != db.unit_type:
            changes["unit_type"] = unit_type
        if (
            row.urban_rural
            and (db.urban_rural_edition is None or db.urban_rural_edition <= edition)
            and (row.urban_rural != db.urban_rural_code or db.urban_rural_edition != edition)
        ):
            changes["urban_rural_code"] = row.urban_rural
            changes["urban_rural_edition"] = edition
        if db.abolished_in is not None:
            changes["abolished_in"] = None
            changes["successor_id"] = None
            result.reinstated += 1
        if changes:
            changes["edition"] = max(edition, db.edition)
            plan.update[row.code] = changes
        elif edition > db.edition:
            plan.stamp.append(row.code)
        # else: identical
    result.added = len(plan.create)
    result.updated = len(plan.update)
    result.confirmed = len(plan.stamp)
    result.unchanged = len(accepted) - result.added - result.updated - result.kept_newer

    # 5. A complete list: what is missing from it is abolished.
    if complete:
        for code, db in existing.items():
            if db.abolished_in is None and code not in file_codes and db.edition <= edition:
                plan.abolish[code] = None
        result.abolished = len(plan.abolish)

    # 6. Successors of abolished units.
    if successors_path:
        _plan_successors(successors_path, plan, accepted, existing, result)
    return plan


def _check_parent(row, accepted, rejected_codes, existing, outside, complete, file_codes):
    """Reason and column why ``row`` cannot hang under its parent, or ``(None, None)``."""
    if row.level == codes.PROVINCE:
        return None, None
    parent = row.parent
    if parent in accepted:
        parent_level = accepted[parent].level
    elif parent in rejected_codes:
        return "上级区划在本文件中被拒绝", "parent_code"
    else:
        db = existing.get(parent) or outside.get(parent)
        if db is None:
            return "上级区划代码不存在（本文件和数据库中都没有）", "parent_code"
        if db.abolished_in is not None and parent not in file_codes:
            return f"上级区划已于 {db.abolished_in} 年撤销", "parent_code"
        if complete and parent in existing and parent not in file_codes:
            return "上级区划不在本文件中（完整导入时会被标记为撤销）", "parent_code"
        parent_level = db.level
    allowed = codes.expected_parent_levels(row.level)
    if parent_level not in allowed:
        return (
            f"层级不符：{codes.LEVEL_NAMES[row.level]}单位的上级应为{_level_names(allowed)}，"
            f"而上级 {parent} 是{codes.LEVEL_NAMES[parent_level]}",
            "level",
        )
    if not row.code.startswith(codes.prefix_of(parent, parent_level)):
        return f"区划代码不在上级区划 {parent} 的代码范围内", "parent_code"
    return None, None


def _plan_successors(path, plan, accepted, existing, result):
    source = str(path)
    pairs: dict[str, tuple[int, str]] = {}
    try:
        for line, (code, successor) in read_csv(path, SUCCESSOR_COLUMNS):
            if not codes.is_valid_code(code):
                result.rejected.append(Rejection(line, code, "code", "区划代码应为12位数字", source))
            elif not codes.is_valid_code(successor):
                result.rejected.append(Rejection(line, code, "successor_code", "承继单位代码应为12位数字", source))
            elif successor == code:
                result.rejected.append(Rejection(line, code, "successor_code", "承继单位不能是本单位", source))
            elif code in pairs:
                result.rejected.append(
                    Rejection(line, code, "code", f"在承继关系文件中重复（第 {pairs[code][0]} 行已出现）", source)
                )
            else:
                pairs[code] = (line, successor)
    except FileProblem as problem:
        result.rejected.append(Rejection(problem.line, "", problem.column, problem.reason, source))
        return
    lookup = sorted({c for c in pairs if c not in existing} | {s for _, s in pairs.values() if s not in existing})
    found: dict[str, _Existing] = {}
    for batch in _batches(lookup):
        found.update(_load_existing(Q(code__in=batch)))
    for code, (line, successor) in pairs.items():
        db = existing.get(code) or found.get(code)
        target = existing.get(successor) or found.get(successor)
        if code in plan.abolish:
            pass
        elif db is not None and db.abolished_in is not None and code not in accepted:
            if db.successor_id == successor:
                continue
        elif db is None:
            result.rejected.append(Rejection(line, code, "code", "区划代码不存在", source))
            continue
        else:
            result.rejected.append(Rejection(line, code, "code", "该单位未被撤销，不能设置承继单位", source))
            continue
        if successor in accepted:
            pass
        elif target is None:
            result.rejected.append(Rejection(line, code, "successor_code", "承继单位代码不存在", source))
            continue
        elif target.abolished_in is not None or successor in plan.abolish:
            result.rejected.append(Rejection(line, code, "successor_code", "承继单位本身已被撤销", source))
            continue
        if code in plan.abolish:
            plan.abolish[code] = successor
        else:
            plan.successors[code] = successor
        result.successors_set += 1


def _insert_divisions(rows: list[_Row], edition: int, now, progress: Progress | None, done_before: int, total: int):
    """Insert new divisions in level order through the fastest path the database offers.

    PostgreSQL (psycopg 3): COPY. Others: ``executemany`` of one INSERT. Columns not given by the file
    take the model field's default, so a field added to the model later still gets a valid value.
    """
    if not rows:
        return
    meta = Division._meta
    given = ("code", "name", "level", "parent_id", "unit_type", "urban_rural_code", "urban_rural_edition",
             "edition", "first_edition", "updated_at")  # fmt: skip
    fields = list(meta.concrete_fields)
    constants = []
    positions = []
    for f in fields:
        if f.attname in given:
            positions.append(given.index(f.attname))
        else:
            positions.append(len(given) + len(constants))
            constants.append(f.get_db_prep_save(f.get_default(), connection))
    constants = tuple(constants)
    updated_at = meta.get_field("updated_at").get_db_prep_save(now, connection)
    pick = _itemgetter(positions)

    def values(row: _Row):
        return pick(
            (row.code, row.name, row.level, row.parent or None, codes.unit_type_of(row.code, row.level),
             row.urban_rural, edition if row.urban_rural else None, edition, edition, updated_at, *constants)
        )  # fmt: skip

    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            if connection.vendor == "postgresql" and hasattr(raw, "copy"):
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(values(row))
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", [values(r) for r in chunk]
                )
            if progress:
                progress(done_before + start + len(chunk), total, PHASE_WRITE)


def _itemgetter(positions):
    from operator import itemgetter

    if len(positions) == 1:
        getter = itemgetter(positions[0])
        return lambda t: (getter(t),)
    return itemgetter(*positions)


def _load_instances(codes_: Iterable[str]) -> dict[str, Division]:
    found = {}
    for batch in _batches(sorted(codes_)):
        found.update({d.code: d for d in Division.objects.filter(code__in=batch)})
    return found


def _save_with_history(objs: list[Division], fields: list[str], user, reason: str, now) -> None:
    """Write ``fields`` of ``objs`` and one simple-history row per object, in one transaction.

    Same outcome as ``simple_history.utils.bulk_update_with_history`` but with one prepared
    ``UPDATE … WHERE code = %s`` run through ``executemany``: Django's ``bulk_update`` builds a
    ``CASE WHEN`` per field and row and is ~20 times slower for tens of thousands of rows.
    """
    if not objs:
        return
    for obj in objs:
        obj.updated_at = now
    meta = Division._meta
    targets = [meta.get_field(name) for name in dict.fromkeys([*fields, "updated_at"])]
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in targets)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"
    params = [(*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in targets), obj.pk) for obj in objs]
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            for chunk in _batches(params, INSERT_CHUNK):
                cursor.executemany(sql, chunk)
        Division.history.bulk_history_create(
            objs,
            batch_size=UPDATE_BATCH,
            update=True,
            default_user=_history_user(user),
            default_change_reason=reason,
            default_date=now,
        )


def _apply_divisions(plan: _DivisionPlan, edition: int, user, progress: Progress | None) -> None:
    now = timezone.now()
    reason = f"区划代码导入（{edition}年版）"
    total = len(plan.create) + len(plan.update) + len(plan.stamp) + len(plan.abolish) + len(plan.successors)
    with transaction.atomic():
        _insert_divisions(plan.create, edition, now, progress, 0, total)
        done = len(plan.create)

        if plan.update:
            objs = _load_instances(plan.update)
            fields: set[str] = set()
            for code, changes in plan.update.items():
                obj = objs[code]
                for name, value in changes.items():
                    setattr(obj, name, value)
                fields.update(changes)
            names = sorted(f.removesuffix("_id") if f in ("parent_id", "successor_id") else f for f in fields)
            _save_with_history(list(objs.values()), names, user, reason, now)
            done += len(plan.update)
            if progress:
                progress(done, total, PHASE_WRITE)

        # Unchanged units seen in a newer table: stamp the edition (set-based; no content change).
        for batch in _batches(plan.stamp):
            Division.objects.filter(code__in=batch).update(edition=edition)
            done += len(batch)
        if plan.stamp and progress:
            progress(done, total, PHASE_WRITE)

        if plan.abolish or plan.successors:
            objs = _load_instances([*plan.abolish, *plan.successors])
            for code, successor in plan.abolish.items():
                objs[code].abolished_in = edition
                objs[code].successor_id = successor
            for code, successor in plan.successors.items():
                objs[code].successor_id = successor
            _save_with_history(list(objs.values()), ["abolished_in", "successor"], user, reason, now)
            done += len(objs)
            if progress:
                progress(done, total, PHASE_WRITE)


# --------------------------------------------------------------------------------------------
# import_population
# --------------------------------------------------------------------------------------------
def _read_code_changes(path: Path) -> dict[str, tuple[str, str]]:
    """old 6-digit code -> (new 6-digit code, kind: renamed | merged)."""
    changes = {}
    for _line, (old, new, kind) in read_csv(path, CODE_CHANGE_COLUMNS):
        changes[old] = (new, kind)
    return changes


def _parse_count(text: str) -> int | None:
    if not text.isdigit():
        return None
    return int(text)


def import_population(
    path,
    year: int = 2020,
    force: bool = False,
    user=None,
    progress: Progress | None = None,
    code_changes=COUNTY_CODE_CHANGES,
) -> PopulationResult:
    """Census population and family households of county-level units (``code,name,population,households``).

    Codes are 6-digit (padded to 12); county codes that changed after the census are mapped through
    ``code_changes`` (renamed: same territory; merged: figures added up). Sets ``figures_source=census``
    and ``figures_year=year`` on counties (and on the prefecture cities without counties that appear
    in the file), never over staff-entered figures unless ``force``; then sums them up to cities and
    provinces whose counties all have census figures. Codes that match no division are skipped and
    listed (not an error); malformed rows are rejected and then nothing is written.
    """
    started = time.monotonic()
    result = PopulationResult(source=str(path), edition=year)
    run = _start_run(result, user)
    try:
        _import_population(path, year, force, user, progress, code_changes, result)
    except Exception as exc:
        result.applied = False
        result.error = f"{type(exc).__name__}: {exc}"
        _finish_run(run, result, started)
        raise
    _finish_run(run, result, started)
    return result


def _import_population(path, year, force, user, progress, code_changes, result: PopulationResult):
    changes = _read_code_changes(Path(code_changes)) if code_changes else {}
    direct: dict[str, tuple[int, int, int]] = {}  # 12-digit code -> (population, households, line)
    mapped: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    try:
        for line, (code, name, population_text, households_text) in read_csv(path, POPULATION_COLUMNS, progress):
            result.rows_read += 1
            population, households = _parse_count(population_text), _parse_count(households_text)
            if population is None:
                result.rejected.append(Rejection(line, code, "population", "人口数应为非负整数"))
                continue
            if households is None:
                result.rejected.append(Rejection(line, code, "households", "户数应为非负整数"))
                continue
            if not code:
                result.skipped.append(Rejection(line, "", "code", f"来源未给出区划代码（{name}），无法对应"))
                continue
            if not code.isdigit() or len(code) not in codes.PREFIX_LENGTH.values():
                result.rejected.append(Rejection(line, code, "code", "区划代码应为6位或12位数字"))
                continue
            short = code[:6] if len(code) > 6 and set(code[6:]) == {"0"} else code
            if short in changes:
                new, _kind = changes[short]
                mapped[codes.pad_code(new)].append((population, households, line, short))
                continue
            full = codes.pad_code(code)
            if full in direct:
                result.rejected.append(Rejection(line, code, "code", f"区划代码重复（第 {direct[full][2]} 行已出现）"))
                continue
            direct[full] = (population, households, line)
    except FileProblem as problem:
        result.rejected.append(Rejection(problem.line, "", problem.column, problem.reason))
        return
    if result.rejected:
        return

    # 12-digit code -> (population, households, [(line, code as written in the file)], mapped?)
    figures: dict[str, tuple[int, int, list[tuple[int, str]], bool]] = {
        c: (p, h, [(ln, c[:6])], False) for c, (p, h, ln) in direct.items()
    }
    for new, parts in mapped.items():
        if new in direct:
            for _p, _h, line, old in parts:
                result.skipped.append(
                    Rejection(line, old, "code", f"新代码 {new[:6]} 已有直接对应的数据，未按代码变更合并")
                )
            continue
        population = sum(part[0] for part in parts)
        households = sum(part[1] for part in parts)
        figures[new] = (population, households, [(line, old) for _p, _h, line, old in parts], True)

    found = {}
    for batch in _batches(sorted(figures)):
        found.update(
            {
                row[0]: row
                for row in Division.objects.filter(code__in=batch, abolished_in__isnull=True).values_list(
                    "code", "level", "population", "households", "figures_source", "figures_year"
                )
            }
        )
    updates: dict[str, tuple[int, int]] = {}
    for code, (population, households, origins, via_change) in sorted(figures.items(), key=lambda kv: kv[1][2]):
        db = found.get(code)
        target = f"（按代码变更对应到 {code[:6]}）" if via_change else ""
        if db is None:
            for line, old in origins:
                result.skipped.append(Rejection(line, old, "code", f"区划库中没有这个县级区划代码{target}（或已撤销）"))
            continue
        _, level, db_population, db_households, source, db_year = db
        if level not in (codes.CITY, codes.COUNTY):
            for line, old in origins:
                result.skipped.append(Rejection(line, old, "code", f"对应的区划不是县级单位{target}"))
            continue
        if via_change:
            result.mapped += len(origins)
        if source == FiguresSource.ENTERED and not force:
            result.kept_entered += 1
            continue
        if (db_population, db_households, source, db_year) == (population, households, FiguresSource.CENSUS, year):
            result.unchanged += 1
            continue
        updates[code] = (population, households)
    result.skipped.sort(key=lambda r: r.line)
    result.updated = len(updates)

    now = timezone.now()
    reason = f"导入{year}年人口普查数据"
    with transaction.atomic():
        _set_figures(updates, FiguresSource.CENSUS, year, user, reason, now)
        result.aggregated = _aggregate_census(year, force, user, reason, now)
    result.applied = True


def _set_figures(updates: dict[str, tuple[int, int]], source: str, year: int, user, reason: str, now) -> None:
    objs = _load_instances(updates)
    for code, (population, households) in updates.items():
        obj = objs[code]
        obj.population, obj.households = population, households
        obj.figures_source, obj.figures_year = source, year
    _save_with_history(
        list(objs.values()), ["population", "households", "figures_source", "figures_year"], user, reason, now
    )


def _aggregate_census(year: int, force: bool, user, reason: str, now) -> int:
    """Sum census figures of counties to cities, and of cities to provinces, where all children have them."""
    rows = (
        Division.objects.filter(abolished_in__isnull=True, level__lte=codes.COUNTY)
        .order_by()
        .values_list("code", "level", "parent_id", "population", "households", "figures_source", "figures_year")
    )
    units = {r[0]: list(r) for r in rows}
    children: dict[str, list[str]] = defaultdict(list)
    for code, _level, parent, *_ in units.values():
        if parent:
            children[parent].append(code)
    updates: dict[str, tuple[int, int]] = {}
    for level in (codes.CITY, codes.PROVINCE):
        for code, unit in units.items():
            if unit[1] != level:
                continue
            kids = [units[c] for c in children.get(code, ()) if units[c][1] == level + 1]
            if not kids or any(k[5] != FiguresSource.CENSUS or k[6] != year or k[3] is None for k in kids):
                continue
            if unit[5] == FiguresSource.ENTERED and not force:
                continue
            population = sum(k[3] for k in kids)
            households = sum(k[4] or 0 for k in kids)
            if (unit[3], unit[4], unit[5], unit[6]) != (population, households, FiguresSource.CENSUS, year):
                updates[code] = (population, households)
            unit[3:7] = [population, households, FiguresSource.CENSUS, year]
    _set_figures(updates, FiguresSource.CENSUS, year, user, reason, now)
    return len(updates)


# --------------------------------------------------------------------------------------------
# import_urban_rural
# --------------------------------------------------------------------------------------------
def import_urban_rural(path, edition: int, user=None, progress: Progress | None = None) -> UrbanRuralResult:
    """城乡分类代码 from a ``code,urban_rural_code`` file (.csv or .csv.gz) of the given code-table year.

    Sets ``urban_rural_code`` and ``urban_rural_edition`` on matching village-level divisions; never
    replaces a code from a newer edition with an older one. Codes with no division are skipped.
    Malformed rows are rejected and then nothing is written.
    """
    started = time.monotonic()
    result = UrbanRuralResult(source=str(path), edition=edition)
    run = _start_run(result, user)
    try:
        _import_urban_rural(path, edition, user, progress, result)
    except Exception as exc:
        result.applied = False
        result.error = f"{type(exc).__name__}: {exc}"
        _finish_run(run, result, started)
        raise
    _finish_run(run, result, started)
    return result


def _import_urban_rural(path, edition, user, progress, result: UrbanRuralResult):
    wanted: dict[str, tuple[str, int]] = {}
    try:
        for line, (code, urban_rural) in read_csv(path, URBAN_RURAL_COLUMNS, progress):
            result.rows_read += 1
            if not codes.is_valid_code(code):
                result.rejected.append(Rejection(line, code, "code", "区划代码应为12位数字"))
            elif codes.level_of(code) != codes.COMMUNITY:
                result.rejected.append(
                    Rejection(line, code, "code", "城乡分类代码只适用于村级单位（代码应为村级代码）")
                )
            elif urban_rural not in codes.URBAN_RURAL_CODES:
                allowed = "、".join(codes.URBAN_RURAL_CODES)
                result.rejected.append(
                    Rejection(line, code, "urban_rural_code", f"城乡分类代码无效（应为 {allowed} 之一）")
                )
            elif code in wanted:
                result.rejected.append(Rejection(line, code, "code", f"区划代码重复（第 {wanted[code][1]} 行已出现）"))
            else:
                wanted[code] = (urban_rural, line)
    except FileProblem as problem:
        result.rejected.append(Rejection(problem.line, "", problem.column, problem.reason))
        return
    if result.rejected:
        return

    provinces = {c[:2] for c in wanted}
    existing = {
        code: (level, urban_rural, ur_edition)
        for code, level, urban_rural, ur_edition in Division.objects.filter(_ranges_q(provinces), level=codes.COMMUNITY)
        .order_by()
        .values_list("code", "level", "urban_rural_code", "urban_rural_edition")
        .iterator(chunk_size=20_000)
    }
    by_value: dict[str, list[str]] = defaultdict(list)
    for code, (urban_rural, line) in wanted.items():
        db = existing.get(code)
        if db is None:
            result.skipped.append(Rejection(line, code, "code", "区划库中没有这个村级区划代码"))
            continue
        _, db_code, db_edition = db
        if db_edition is not None and db_edition > edition:
            result.kept_newer += 1
        elif db_code == urban_rural and db_edition == edition:
            result.unchanged += 1
        else:
            by_value[urban_rural].append(code)
    result.updated = sum(len(v) for v in by_value.values())

    now = timezone.now()
    reason = f"导入城乡分类代码（{edition}年版）"
    tick = _ticker(progress, result.updated, PHASE_WRITE)
    done = 0
    with transaction.atomic():
        # Set-based: one UPDATE per code value and batch; then one history row per changed unit.
        for value, changed in by_value.items():
            for batch in _batches(changed):
                Division.objects.filter(code__in=batch).update(
                    urban_rural_code=value, urban_rural_edition=edition, updated_at=now
                )
                done += len(batch)
                tick(done)
        _history_for([c for v in by_value.values() for c in v], user, reason, now)
    result.applied = True


def _history_for(changed: list[str], user, reason: str, now) -> None:
    """One "changed" history row per unit, from its current state in the database."""
    objs: list[Division] = []
    for batch in _batches(sorted(changed)):
        objs.extend(Division.objects.filter(code__in=batch))
    for chunk in _batches(objs, 5_000):
        Division.history.bulk_history_create(
            chunk, batch_size=UPDATE_BATCH, update=True, default_user=_history_user(user),
            default_change_reason=reason, default_date=now,
        )  # fmt: skip


# --------------------------------------------------------------------------------------------
# estimate_figures
# --------------------------------------------------------------------------------------------
ESTIMATE_VARIATION = 0.25  # communities get ±25 % around an even split of their county
FACILITY_M2_PER_100_HOUSEHOLDS = (20.0, 45.0)
_ESTIMABLE = (FiguresSource.NONE, FiguresSource.ESTIMATE)
_KNOWN = (FiguresSource.CENSUS, FiguresSource.ENTERED)


def _unit_fraction(text: str) -> float:
    """A deterministic number in [0, 1] from a text (stable across processes, unlike ``hash``)."""
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 0xFFFFFFFFFFFFFFFF


def community_weight(code: str) -> float:
    return 1.0 + ESTIMATE_VARIATION * (2.0 * _unit_fraction(code) - 1.0)


def estimated_facility_area(code: str, households: int) -> Decimal:
    low, high = FACILITY_M2_PER_100_HOUSEHOLDS
    per_100 = low + (high - low) * _unit_fraction("facility:" + code)
    return Decimal(f"{households * per_100 / 100:.2f}")


def estimate_figures(prefix: str | None = None, user=None, progress: Progress | None = None) -> EstimateResult:
    """Fill missing community and street figures under ``prefix`` with marked estimates.

    A community's population is its county's census (or entered) population split over all the
    county's current communities, with a deterministic ±25 % variation from a hash of its code;
    households follow the county's persons per household. Streets are the sum of their communities.
    Communities without a facility area get 20–45 m² per 100 households, marked as estimated.
    Only units whose figures are missing or already estimates are written (figures_source
    "estimate", year 2020); census and staff-entered figures are never touched. Deterministic, so a
    second run changes nothing.
    """
    started = time.monotonic()
    prefix = _check_scope(prefix)
    result = EstimateResult(source=prefix or "全国", edition=2020, scope_prefix=prefix)
    run = _start_run(result, user)
    try:
        _estimate(prefix, user, progress, result)
    except Exception as exc:
        result.applied = False
        result.error = f"{type(exc).__name__}: {exc}"
        _finish_run(run, result, started)
        raise
    _finish_run(run, result, started)
    return result


def _estimate(prefix: str, user, progress, result: EstimateResult, year: int = 2020):
    current = Division.objects.filter(abolished_in__isnull=True).order_by()
    # All communities of every county touched, so that a county's split does not depend on the prefix.
    county_prefix = prefix[:6] if len(prefix) >= 6 else prefix
    base = current.within(county_prefix) if county_prefix else current
    communities = list(
        base.filter(level=codes.COMMUNITY).values_list(
            "code", "population", "households", "figures_source", "figures_year", "facility_area",
            "facility_area_estimated",
        )
    )  # fmt: skip
    county_codes = sorted({codes.pad_code(c[0][:6]) for c in communities})
    counties = {}
    for batch in _batches(county_codes):
        counties.update(
            {
                code: (population, households)
                for code, population, households in current.filter(
                    code__in=batch, figures_source__in=_KNOWN, population__gt=0, households__gt=0
                ).values_list("code", "population", "households")
            }
        )
    weight_sum: dict[str, float] = defaultdict(float)
    for row in communities:
        weight_sum[row[0][:6]] += community_weight(row[0])

    updates: dict[str, dict] = {}
    figures: dict[str, tuple[int | None, int | None]] = {}  # community -> population, households after the run
    tick = _ticker(progress, len(communities), PHASE_CHECK)
    for done, (code, population, households, source, fig_year, area, area_estimated) in enumerate(communities, 1):
        tick(done)
        in_scope = code.startswith(prefix)
        changes = {}
        if source in _ESTIMABLE:
            county = counties.get(codes.pad_code(code[:6]))
            if county is None:
                if in_scope and population is None:
                    result.no_basis += 1
            else:
                county_population, county_households = county
                new_population = max(1, round(county_population * community_weight(code) / weight_sum[code[:6]]))
                new_households = max(1, round(new_population * county_households / county_population))
                if (population, households, source, fig_year) != (
                    new_population, new_households, FiguresSource.ESTIMATE, year,
                ):  # fmt: skip
                    changes.update(
                        population=new_population, households=new_households,
                        figures_source=FiguresSource.ESTIMATE, figures_year=year,
                    )  # fmt: skip
                population, households = new_population, new_households
        figures[code] = (population, households)
        if (area is None or area_estimated) and households:
            new_area = estimated_facility_area(code, households)
            if area != new_area or not area_estimated:
                changes.update(facility_area=new_area, facility_area_estimated=True)
        if changes and in_scope:
            updates[code] = changes
            if "population" in changes:
                result.communities += 1
            if "facility_area" in changes:
                result.facility_areas += 1

    # Streets: the sum of their communities, when every community has figures.
    street_rows = list(
        (current.within(prefix) if prefix else current)
        .filter(level=codes.STREET, figures_source__in=_ESTIMABLE)
        .values_list("code", "population", "households", "figures_source", "figures_year")
    )
    by_street: dict[str, list[tuple]] = defaultdict(list)
    for code, value in figures.items():
        by_street[code[:9]].append(value)
    for code, population, households, source, fig_year in street_rows:
        members = by_street.get(code[:9])
        if not members or any(p is None or h is None for p, h in members):
            continue
        total_population = sum(p for p, _ in members)
        total_households = sum(h for _, h in members)
        if (population, households, source, fig_year) != (
            total_population, total_households, FiguresSource.ESTIMATE, year,
        ):  # fmt: skip
            updates[code] = {
                "population": total_population, "households": total_households,
                "figures_source": FiguresSource.ESTIMATE, "figures_year": year,
            }  # fmt: skip
            result.streets += 1

    in_scope_communities = sum(1 for c in communities if c[0].startswith(prefix))
    result.rows_read = in_scope_communities + len(street_rows)
    result.updated = len(updates)
    result.unchanged = result.rows_read - result.updated
    now = timezone.now()
    reason = "估算人口户数和设施面积（待工作人员填报）"
    with transaction.atomic():
        objs = _load_instances(updates)
        fields: set[str] = set()
        for code, changes in updates.items():
            for name, value in changes.items():
                setattr(objs[code], name, value)
            fields.update(changes)
        batch = []
        done = 0
        tick = _ticker(progress, len(objs), PHASE_WRITE)
        for obj in objs.values():
            batch.append(obj)
            if len(batch) >= 5_000:
                _save_with_history(batch, sorted(fields), user, reason, now)
                done += len(batch)
                tick(done)
                batch = []
        _save_with_history(batch, sorted(fields), user, reason, now)
        if progress and objs:
            progress(len(objs), len(objs), PHASE_WRITE)
    result.applied = True


# --------------------------------------------------------------------------------------------
# For the management commands: progress lines and the rejection CSV
# --------------------------------------------------------------------------------------------
class ProgressPrinter:
    """A ``progress`` callback that prints a line per phase about every ``step`` percent."""

    def __init__(self, stream=None, step: int = 10):
        self.stream = stream or sys.stderr
        self.step = step
        self.phase = None
        self.last = -1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, phase: str) -> None:
        if phase != self.phase:
            self.phase, self.last = phase, 0  # the first line of a phase comes at 10 % (or at the end)
        percent = 100 if not total else min(100, int(done * 100 / total))
        bucket = percent // self.step
        if bucket <= self.last:
            return
        self.last = bucket
        counts = "" if phase == PHASE_READ else f"（{done:,}/{total:,}）"
        elapsed = time.monotonic() - self.started
        self.stream.write(f"[{phase}] {percent:3d}%{counts}  已用 {elapsed:.1f} 秒\n")
        self.stream.flush()


def write_rejections_csv(result: ImportResult, path) -> int:
    """Write every rejected and skipped row as CSV (UTF-8 with BOM, for spreadsheet programs)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["文件", "行号", "区划代码", "列", "原因", "处理"])
        for items, outcome in ((result.rejected, "拒绝"), (result.skipped, "跳过")):
            for r in items:
                writer.writerow([r.source or result.source, r.line, r.code, r.column, r.reason, outcome])
    return len(result.rejected) + len(result.skipped)


def emit_report(result: ImportResult, stdout, report_path=None, limit: int = 50) -> None:
    """Print the summary and the first ``limit`` rejected/skipped rows; write them all to ``report_path``."""
    stdout.write(result.summary() + "\n")
    for title, items in (("被拒绝的行", result.rejected), ("跳过的行", result.skipped)):
        if not items:
            continue
        shown = items[:limit]
        more = f"，以下为前 {len(shown)} 条" if len(items) > len(shown) else ""
        stdout.write(f"{title}（共 {len(items):,} 条{more}）：\n")
        for r in shown:
            stdout.write("  " + r.as_text() + "\n")
    if report_path:
        n = write_rejections_csv(result, report_path)
        stdout.write(f"已将 {n:,} 条被拒绝或跳过的行写入 {report_path}\n")


def failed(result: ImportResult) -> bool:
    """True when the command should exit non-zero: rows were rejected and strict mode refuses them."""
    return bool(result.rejected) and (result.strict or not (result.applied or result.dry_run))


def find_user(username: str | None):
    """The account to record as the operator of an import; ValueError when there is no such account."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise ValueError(f"用户不存在：{username}") from None
