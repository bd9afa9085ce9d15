"""Excel / CSV import of organizations: column mapping, dry run, duplicate detection, atomic apply.

Flow: ``start_job(user, name, data)`` checks the file (``cso.core.uploads``) and records an
``ImportJob``; ``validate_job(job)`` reads every row, checks it with the model's own rules
(``Organization.clean`` / ``Leader.clean`` and the validators) and the user's scope, flags
duplicates and stores the report plus the good rows (compressed JSON) — nothing is written to the
registry. ``apply_job(job, user)`` re-checks scope and uniqueness against the current database and
writes every good row in one transaction (organizations, first spans, initial status changes,
leaders, categories and service targets, field history, and one registry decision per organization —
登记成立 or 备案, naming the file — for the audit log of the divisions above), or nothing.

Lookups are batched per chunk of rows (divisions, existing credit codes and names): no per-row
queries. Rows with the same credit code as a live organization or an earlier row, and rows
breaking the "same name under one authority / in one community" rules, are rejected (the database
would refuse them). Rows whose name is the same as or very similar to (rapidfuzz ratio ≥ 90 on
normalised names) a live organization or an earlier row in the same division are *warnings*: they
are importable unless the user excludes them on the report page; every message names where both
records are (the division, each one's registering body).

Every rule runs on every row, whatever cells could not be read, so a row reports all its faults at
once. The header may sit below a merged title, a 填报单位 line and blank rows (``is_header_row``);
a formula cell without a stored result is an error naming the cell (``uploads.unreadable_cells``).

Re-import (the exported list, ``cso.orgs.exports``): a row whose 组织标识 — or, without one, whose
credit code of a live organization — names an organization the user may change *updates* it. The
dry run lists each differing field (only the file's columns count; the track and a closed
organization's facts are not changed by import; identical rows are counted as unchanged); the
apply writes the changes through ``services.update_organization`` / ``save_leader`` (rules, field
history, spans) in the same transaction as the new rows, and refuses everything when a matched
organization changed since the dry run. A 组织标识 this registry does not hold (a list exported
elsewhere) makes a new organization that keeps it.

Where it runs: the dry run and the apply are background tasks (``cso.orgs.tasks``) run by the
task worker, never by the web process, which never forks. Only there (``parallel=True``: a worker
process, or the benchmark) do the dry run's helper processes start; run inline (the immediate
task backend of the tests) everything stays in one process and gives the same result.

Speed (100,000 rows; figures and the breakdown in bench/README.md): the sheet is read with
python-calamine and, in the worker, two forked helper processes (``ParsedRows``) parse and check every
other chunk — each row's own rules with a database connection of their own (``RowChecker.check_rows``) —
while the worker checks across rows in row order (``RowChecker.conclude``: duplicates in the file and in
the registry; inside a transaction the helpers only parse); ``clean_fields()`` runs only for rows
the ``FieldScreen`` cannot clear (the model's ``clean()`` runs for every row); the pinyin search keys
are computed during the dry run (in the worker, by another helper process) and stored with the rows;
the garbage collector is paused during a dry run and an apply (``_gc_paused``); on PostgreSQL the apply COPYs every
table — the rows built and formatted by a thread (``CopyFeed``) while the server maintains the organizations'
indexes —, holds the rows it refers to ``FOR KEY SHARE`` and, when the role may, sets the per-row foreign-key
triggers aside for the COPY; a large apply leaves the search indexes' new entries in their pending lists,
merged after the commit (``_defer_search_entries``). Every organization created records its job
(``Organization.import_job``), so the registry list can show exactly one import's organizations
(``/orgs/?import=<job id>``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import multiprocessing
import operator
import os
import pickle
import queue
import re
import secrets
import subprocess
import sys
import threading
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import AutoField, BooleanField, JSONField
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rapidfuzz import fuzz, process
from simple_history.utils import bulk_create_with_history

from cso.accounts import responsibilities
from cso.core.models import ImportJob, ImportStatus
from cso.core.scoping import CHANGE, Scope
from cso.core.uploads import HEADER_SCAN, UploadRefused, check_upload, read_table
from cso.regions import codes
from cso.regions.models import Authority, Division

from . import models as org_models
from .choices import FINAL_STATUSES, LIVE_STATUSES, LeaderRole, OrgType, PartyBuilding, Status, Tier, Track
from .models import (
    Category,
    IncubationBase,
    Leader,
    Organization,
    OrgStateSpan,
    RegistryDecision,
    ServiceTarget,
    StatusChange,
    Venue,
)
from .search import pinyin_keys
from .services import _check_federation, _default_is_community_org, first_span
from .validators import mask_id_number, normalize_credit_code

logger = logging.getLogger(__name__)

KIND = "orgs"
CHUNK = 4000  # rows per batch of lookups (fewer round trips; a 100,000-row file reports progress 25 times)
QUERY_BATCH = 900
INSERT_BATCH = 2000
IMPORT_REASON = "批量导入"  # the reason of every row an import creates (history, status change, registry decision)
REPORT_LIMIT = 5000
SIMILARITY = 90


# --- the column set --------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    note: str = ""
    example: object = ""


COLUMNS: list[Column] = [
    Column("组织标识", "uid", note="系统生成的组织标识。新增组织请留空；填写了您辖区内已有组织的标识（如导出的名录）时，该行更新这个组织，校验报告逐项列出改动；从其他系统导出的组织标识（本系统中尚无）保留不变。"),  # noqa: E501
    Column("名称", "name", True, "组织全称，最多200字。", "兴宁社区老年人协会"),
    Column("统一社会信用代码", "credit_code", note="登记类组织必填：18位，以5开头；备案类组织不填。", example="51450102MJ0000000A"),  # noqa: E501
    Column("管理方式", "track", True, "登记 或 备案。", "登记"),
    Column("组织类型", "org_type", True,
           "登记类：社会团体、民办非企业单位（社会服务机构）、基金会；备案类：群众活动团队、社区活动小组。", "社会团体"),  # noqa: E501
    Column("管理层级", "tier", note="依法登记 / 街道（乡镇）管理 / 社区指导；不填时登记类为“依法登记”，备案类为“社区指导”。",  # noqa: E501
           example="依法登记"),
    Column("社区社会组织", "is_community_org", note="是 / 否；不填时按规则判断（县级及以下登记的社会团体、社会服务机构和全部备案组织为是，基金会为否）。",  # noqa: E501
           example=""),
    Column("枢纽型组织", "is_hub", note="是 / 否；联合会、促进会等枢纽型组织填“是”。不填为否。", example="否"),
    Column("所在区划代码", "division", True, "12位统计用区划代码；备案类组织须为社区（村）一级。", "450102001003"),
    Column("所在区划", "division_name", note="区划名称，仅用于核对；与代码不符时给出提示。", example="兴宁社区居委会"),
    Column("登记管理机关", "registration_authority",
           note="登记类组织的登记管理机关全称，须为名录中的机关（所在县（区）负责登记的机关，或其上级民政部门、民政部）；"
                "不填时为所在县（区）负责登记的机关。备案类组织不填（备案机关为所在街道（乡镇））。",
           example="南宁市兴宁区民政局"),
    Column("业务主管单位", "supervising_unit", note="登记证书上的业务主管单位；直接登记的组织和备案类组织不填。", example=""),  # noqa: E501
    Column("业务范围", "business_scope", note="登记证书上的业务范围。", example="组织老年人开展文体娱乐和互助活动。"),
    Column("登记日期", "registered_on", note="登记类必填。日期可写 2024-05-01、2024/5/1 或 2024年5月1日。", example="2020-05-01"),  # noqa: E501
    Column("备案日期", "filed_on", note="备案类必填。", example=""),
    Column("成立日期", "founded_on", note="不得晚于登记（备案）日期。", example="2020-04-20"),
    Column("类别", "categories", note="可填多个，用 、 , ; 或 / 分隔；须为系统中已有的类别。", example="生活服务、居民互助"),  # noqa: E501
    Column("服务对象", "service_targets", note="可填多个，分隔方式同上；须为系统中已有的服务对象。", example="老年人、残疾人"),  # noqa: E501
    Column("成员数", "member_count", note="非负整数。", example=35),
    Column("注册资金（元）", "registered_capital", note="登记类社会团体、社会服务机构必填；下限按所在省份的登记规则（如广西不低于2000元，文件001），基金会除外。", example=5000),  # noqa: E501
    Column("财务托管（代管）", "financial_custody", note="是 / 否；不填为否。", example="否"),
    Column("住所", "address", note="住所或活动地址。", example="南宁市兴宁区民生路1号"),
    Column("活动场所", "venue", note="系统中已登记的活动场所名称（同名时取组织所在区划的）；不填为无。", example=""),
    Column("孵化基地", "incubated_by", note="系统中已有的孵化基地名称；不填为无。", example=""),
    Column("联系人", "contact_name", example="张三"),
    Column("联系电话", "contact_phone", note="手机11位，或固定电话“区号-号码”。", example="13812345678"),
    Column("党建情况", "party_building", note="独立党组织 / 联合党组织 / 党建指导员 / 联络员 / 无；不填为“无”。", example="党建指导员"),  # noqa: E501
    Column("标签", "tags", note="可填多个，用 、 , ; 或 / 分隔。", example=""),
    Column("负责人姓名", "leader_name", example="李四"),
    Column("负责人职务", "leader_role", note="法定代表人 / 负责人 / 理事长（会长）/ 副理事长（副会长）/ 秘书长 / 其他；不填为“负责人”。",  # noqa: E501
           example="负责人"),
    Column("负责人身份证号", "leader_id_number", note="18位，请把该列设为文本格式以免末位被改。", example=""),
    Column("负责人电话", "leader_phone", example="13912345678"),
    Column("负责人是否中共党员", "leader_party", note="是 / 否；不填为否。", example="否"),
    Column("其他负责人", "other_leaders",
           note="每人一段“姓名|职务|身份证号|电话|是否党员”，多人之间用；分隔，如：王五|秘书长||13812345678|是。",
           example=""),
    Column("状态", "status", note="导入只新增存续的组织：填“正常”或不填；其他状态请在导入后办理状态变更。", example="正常"),  # noqa: E501
]
YES_NO = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False, "true": True, "false": False,
          "1": True, "0": False, "√": True, "×": False}
LEADER_ROLES = {**{_role.label: _role.value for _role in LeaderRole}, "理事长": LeaderRole.CHAIR,
                "会长": LeaderRole.CHAIR, "副理事长": LeaderRole.VICE_CHAIR, "副会长": LeaderRole.VICE_CHAIR}
LEADER_SPLIT = re.compile(r"[;；\n]+")
LEADER_FIELD_SPLIT = re.compile(r"[|｜]")
MAX_LEADERS = 30
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_KEYS = [c.key for c in COLUMNS if c.required]
# Model field → column header, for messages from Organization.clean / Leader.clean.
FIELD_COLUMN = {
    "name": "名称", "credit_code": "统一社会信用代码", "track": "管理方式", "org_type": "组织类型", "tier": "管理层级",
    "division": "所在区划代码", "registration_authority": "登记管理机关",
    "registration_authority_division": "登记管理机关", "registered_on": "登记日期", "filed_on": "备案日期",
    "founded_on": "成立日期", "member_count": "成员数", "registered_capital": "注册资金（元）", "address": "住所",
    "contact_name": "联系人", "contact_phone": "联系电话", "party_building": "党建情况",
    "is_community_org": "社区社会组织", "is_hub": "枢纽型组织", "tags": "标签", "__all__": "名称",
    "supervising_unit": "业务主管单位", "business_scope": "业务范围", "financial_custody": "财务托管（代管）",
    "venue": "活动场所", "incubated_by": "孵化基地",
}
LEADER_FIELD_COLUMN = {"name": "负责人姓名", "id_number": "负责人身份证号", "phone": "负责人电话", "role": "负责人职务",
                       "__all__": "负责人姓名"}

TRACK_VALUES = {"登记": Track.REGISTERED, "备案": Track.FILED, "登记（法人类）": Track.REGISTERED,
                "备案（非法人类）": Track.FILED, "法人": Track.REGISTERED, "非法人": Track.FILED}
ORG_TYPE_VALUES = {
    **{str(t.label): t.value for t in OrgType},
    "民办非企业单位": OrgType.SOCIAL_SERVICE, "社会服务机构": OrgType.SOCIAL_SERVICE, "民非": OrgType.SOCIAL_SERVICE,
    "社团": OrgType.SOCIAL_GROUP,
}
TIER_VALUES = {
    **{str(t.label): t.value for t in Tier},
    "依法登记": Tier.REGISTERED, "登记": Tier.REGISTERED,
    "街道管理": Tier.STREET, "乡镇管理": Tier.STREET, "街道（乡镇）管理": Tier.STREET, "街道": Tier.STREET,
    "社区指导": Tier.COMMUNITY, "居（村）委会指导": Tier.COMMUNITY, "社区": Tier.COMMUNITY,
}
PARTY_VALUES = {**{str(p.label): p.value for p in PartyBuilding}, "无党组织": PartyBuilding.NONE, "": PartyBuilding.NONE}  # noqa: E501


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Full-width to ASCII, ASCII brackets to Chinese ones, no spaces. (Cached: the cells it is
    used on — choices, codes, dates, terms, division names — repeat from row to row.)"""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def normalize_header(text) -> str:
    return _fold(str(text or "")).replace("*", "").strip()


HEADER_KEYS = {normalize_header(c.header): c.key for c in COLUMNS}
HEADER_KEYS.update({"统一社会信用代码（登记类必填）": "credit_code", "注册资金": "registered_capital",
                    "注册资金（万元）": None, "区划代码": "division", "登记机关": "registration_authority",
                    "登记（备案）机关": "registration_authority", "备案机关": "registration_authority"})


def choice_map(values: dict) -> dict:
    return {_fold(k): v for k, v in values.items()}


TRACKS, ORG_TYPES, TIERS, PARTIES = (choice_map(m) for m in (TRACK_VALUES, ORG_TYPE_VALUES, TIER_VALUES, PARTY_VALUES))
ROLES = choice_map(LEADER_ROLES)
LIVE_STATUS_TEXTS = {"", _fold(str(Status.ACTIVE.label))}


# --- cell parsers (pure; raise ValueError with a Chinese message) -----------------------------
EXCEL_EPOCH = date(1899, 12, 30)
DATE_RES = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
DATE_HINT = "请写成 2024-05-01、2024/5/1 或 2024年5月1日，或使用 Excel 日期格式"
MULTI_SPLIT = re.compile(r"[、,，;；/／\n|｜]+")


def parse_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not (1 <= value < 2958466):
            raise ValueError(f"日期“{value}”无法识别，{DATE_HINT}。")
        return EXCEL_EPOCH + timedelta(days=int(value))
    return _date_from_text(str(value))


@lru_cache(maxsize=65536)
def _date_from_text(value: str) -> date:
    text = _fold(value).split("T")[0]
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)
    for pattern in DATE_RES:
        match = pattern.match(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                return date(y, m, d)
            except ValueError as exc:
                raise ValueError(f"日期“{value}”不存在（{y}年{m}月{d}日）。") from exc
    raise ValueError(f"日期“{value}”无法识别，{DATE_HINT}。")


def split_multi(value) -> list[str]:
    """Values separated by 、 , ; / (full- or half-width) or line breaks; trimmed, no repeats."""
    text = parse_text(value)
    out: list[str] = []
    for part in MULTI_SPLIT.split(text):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


def parse_bool(value) -> bool | None:
    """是 / 否 (and a few spellings of yes/no); None when empty."""
    text = _fold(parse_text(value)).lower()
    if not text:
        return None
    if text not in YES_NO:
        raise ValueError(f"“{parse_text(value)}”应为“是”或“否”。")
    return YES_NO[text]


def parse_role(value) -> str:
    text = _fold(parse_text(value))
    if not text:
        return LeaderRole.HEAD
    role = ROLES.get(text)
    if role is None:
        allowed = "、".join(str(r.label) for r in LeaderRole)
        raise ValueError(f"职务“{parse_text(value)}”不是允许的值，应为：{allowed}。")
    return role


def parse_leaders(value) -> list[list]:
    """“姓名|职务|身份证号|电话|是否党员” per leader, leaders separated by ；: [[name, role, id, phone,
    party], …]."""
    out = []
    for part in LEADER_SPLIT.split(parse_text(value)):
        if not part.strip():
            continue
        fields = [f.strip() for f in LEADER_FIELD_SPLIT.split(part)]
        if len(fields) > 5 or not fields[0]:
            raise ValueError(f"“{part.strip()}”应写成“姓名|职务|身份证号|电话|是否党员”。")
        fields += [""] * (5 - len(fields))
        name, role, id_number, phone, party = fields
        out.append([name, parse_role(role), parse_id_text(id_number), phone, bool(parse_bool(party))])
    if len(out) > MAX_LEADERS:
        raise ValueError(f"负责人最多{MAX_LEADERS}人。")
    return out


def parse_int(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("应填写整数。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"“{value}”不是整数。")
        number = int(value)
    else:
        text = _fold(str(value)).replace(",", "").removesuffix("人").removesuffix("个")
        if re.fullmatch(r"-?\d+(\.0+)?", text) is None:
            raise ValueError(f"“{value}”不是整数。")
        number = int(text.split(".")[0])
    if number < 0:
        raise ValueError(f"不能为负数（“{value}”）。")
    if number > 2_147_483_647:
        raise ValueError(f"数值“{value}”过大。")
    return number


def parse_money(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("应填写金额（元）。")
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        text = _fold(str(value)).replace(",", "").replace("￥", "").replace("¥", "").removesuffix("元")
        factor = Decimal(1)
        if text.endswith("万"):
            text, factor = text[:-1], Decimal(10000)
        try:
            amount = Decimal(text) * factor
        except InvalidOperation as exc:
            raise ValueError(f"“{value}”不是金额，请填写数字（单位：元）。") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"金额“{value}”不正确。")
    if amount >= Decimal("1e14"):
        raise ValueError(f"金额“{value}”过大。")
    return amount.quantize(Decimal("0.01"))


def parse_code(value) -> str:
    """A 12-digit division code from text or a number cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"区划代码“{value}”不正确，应为12位数字。")
        value = int(value)
    text = _fold(str(value))
    if not re.fullmatch(r"[0-9]{12}", text):
        raise ValueError(f"区划代码“{value}”不正确，应为12位数字。")
    return text


def parse_id_text(value) -> str:
    """An ID-like text cell; a number cell longer than 15 digits has lost its last digits."""
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise ValueError("该列被 Excel 当作数字保存，末几位已丢失；请把该列设为文本格式后重新填写。")
    return parse_text(value)


def normalize_name(name: str) -> str:
    """For duplicate detection: NFKC, lower case, only letters and numbers (Unicode categories L* and
    N*, which are exactly the characters ``str.isalnum`` accepts — a test checks every code point)."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    return text if text.isalnum() else "".join(filter(str.isalnum, text))


# --- results ---------------------------------------------------------------------------------
@dataclass
class Issue:
    row: int
    column: str
    reason: str
    value: str = ""
    level: str = "error"
    name: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason, "value": self.value[:60],
                "level": self.level, "name": self.name[:60]}


@dataclass
class Validation:
    total: int = 0
    rows: list[dict] = field(default_factory=list)  # good rows, JSON-ready
    issues: list[Issue] = field(default_factory=list)
    error_rows: set = field(default_factory=set)
    warning_rows: set = field(default_factory=set)
    update_rows: set = field(default_factory=set)  # rows that change a matched organization
    unchanged_rows: set = field(default_factory=set)  # rows that match an organization as it is


class ImportConflict(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- the validator ---------------------------------------------------------------------------
def _terms(model) -> dict[str, object]:
    out: dict[str, object] = {}
    for term in model.objects.filter(is_active=True):
        out[_fold(term.name)] = term
        out[_fold(term.code)] = term
        out.setdefault(_fold(term.name.split("（")[0]), term)
    return out


def _among(qs, field_name: str, values: list) -> Iterator:
    """``qs.filter(<field>__in=values)`` for many values, as querysets to run in turn: on PostgreSQL one
    query with the values as one array parameter (``= ANY(%s)``; binding 100,000 placeholders one by
    one costs seconds), elsewhere batches of QUERY_BATCH."""
    if not values:
        return
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        column = f"{qn(qs.model._meta.db_table)}.{qn(qs.model._meta.get_field(field_name).column)}"
        yield qs.filter(RawSQL(f"{column} = ANY(%s)", [list(values)], output_field=BooleanField()))
        return
    for i in range(0, len(values), QUERY_BATCH):
        yield qs.filter(**{f"{field_name}__in": values[i:i + QUERY_BATCH]})


def _ancestor_code(code: str, level: int) -> str:
    return code[: codes.PREFIX_LENGTH[level]].ljust(12, "0")


def _defaults(instance) -> dict:
    """The attributes of a freshly built, unsaved model instance, without its state."""
    return {k: v for k, v in instance.__dict__.items() if k != "_state"}


def _instance(model, defaults: dict, **values):
    """``model(**values)`` for an unsaved instance whose other fields take ``defaults``: the same
    object as the constructor builds, without running it field by field."""
    obj = model.__new__(model)
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    obj._state = ModelState()
    return obj


ORG_UNCHECKED = ["division", "registration_authority", "registration_authority_division", "venue", "incubated_by",
                 "created_by", "uid",
                 "tags", "status"]


class FieldScreen:
    """A quick screen in front of ``Model.clean_fields()``: true when no field of the instance can
    fail it — no empty value in a required field, no text over its length or with a NUL character,
    no value outside its choices, no number outside its field's bounds. Only instances that do not
    pass go through ``clean_fields()`` itself, so the messages are Django's own; a field of a kind
    the screen does not know (or with validators of its own) always sends the row there."""

    def __init__(self, model, exclude: list[str]):
        from django.core import validators as dj
        from django.db import models as m

        self.plan: list[tuple] = []
        self.unknown = False
        for f in model._meta.concrete_fields:
            if f.name in exclude:
                continue
            extra = [v for v in f.validators if not isinstance(
                v, dj.MaxLengthValidator | dj.ProhibitNullCharactersValidator | dj.MinValueValidator
                | dj.MaxValueValidator | dj.DecimalValidator)]
            choices = {str(k) for k, _ in f.flatchoices} if f.choices else None
            bounds = [v for v in f.validators if isinstance(v, dj.MinValueValidator | dj.MaxValueValidator)]
            if extra or (bounds and not isinstance(f, m.IntegerField | m.DecimalField)):
                self.unknown = True
            if isinstance(f, m.ForeignKey):
                kind = "empty"  # passes only unset (a set key goes to clean_fields, which looks it up)
            elif isinstance(f, m.CharField | m.TextField):
                kind = "text"
            elif isinstance(f, m.DecimalField):
                kind = "decimal"
            elif isinstance(f, m.IntegerField | m.AutoField):
                kind = "int"
            elif isinstance(f, m.DateTimeField):
                kind = "datetime"
            elif isinstance(f, m.DateField):
                kind = "date"
            elif isinstance(f, m.BooleanField):
                kind = "bool"
            else:
                self.unknown = True
                continue
            low = max((v.limit_value for v in bounds if isinstance(v, dj.MinValueValidator)), default=None)
            high = min((v.limit_value for v in bounds if isinstance(v, dj.MaxValueValidator)), default=None)
            digits = (f.max_digits, f.decimal_places) if kind == "decimal" else None
            self.plan.append((f.attname, kind, f.blank, f.max_length, choices, low, high, digits, f.empty_values))
        # A per-file memo: the fields other than free text repeat a few combinations row after row (the
        # track, type and tier, the dates, the defaults of fields the file does not fill). Their values
        # (with their types: 1 == True must not pass for one another) are looked up together; a known
        # combination leaves only the free-text fields to screen.
        self._free = [p for p in self.plan if p[1] == "text" and p[4] is None]
        self._keyed = [p for p in self.plan if not (p[1] == "text" and p[4] is None)]
        keyed = [p[0] for p in self._keyed]
        self._values = operator.itemgetter(*keyed) if len(keyed) > 1 else None
        self._passed: set = set()

    MEMO = 4096  # combinations remembered

    def passes(self, obj) -> bool:
        if self.unknown:
            return False
        values = obj.__dict__
        if self._values is not None:
            try:
                combination = self._values(values)
                key = (combination, tuple(map(type, combination)))
                known = key in self._passed
            except (KeyError, TypeError):  # a field not loaded, or an unhashable value
                key, known = None, False
            if known:
                return self._screen(values, self._free)
            if not self._screen(values, self.plan):
                return False
            if key is not None and len(self._passed) < self.MEMO:
                self._passed.add(key)
            return True
        return self._screen(values, self.plan)

    @staticmethod
    def _screen(values: dict, plan: list) -> bool:
        for attname, kind, blank, max_length, choices, low, high, digits, empty in plan:
            value = values.get(attname)
            if value in empty:
                if blank:
                    continue
                return False
            if kind == "empty":
                return False
            if kind == "text":
                if not isinstance(value, str) or (max_length and len(value) > max_length) or "\x00" in value:
                    return False
            elif kind == "int":
                if type(value) is not int:
                    return False
            elif kind == "decimal":
                if not isinstance(value, Decimal) or not value.is_finite():
                    return False
                if not _decimal_fits(value, *digits):
                    return False
            elif kind == "datetime":
                if not isinstance(value, datetime):
                    return False
            elif kind == "date":
                if type(value) is not date:
                    return False
            elif kind == "bool" and type(value) is not bool:
                return False
            if choices is not None and str(value) not in choices:
                return False
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        return True


def _decimal_fits(value: Decimal, max_digits: int, places: int) -> bool:
    """What Django's DecimalValidator accepts."""
    numerals, exponent = value.as_tuple()[1:]
    if exponent >= 0:
        digits, decimals = (len(numerals) + exponent if numerals != (0,) else 1), 0
    elif abs(exponent) > len(numerals):
        digits = decimals = abs(exponent)
    else:
        digits, decimals = len(numerals), abs(exponent)
    return digits <= max_digits and decimals <= places and digits - decimals <= max_digits - places


class PinyinKeys:
    """The pinyin search keys of the good rows' names, computed during the dry run and stored with
    the rows, so the apply does not spend its time on them. For a large file the names go, batch by
    batch, to a worker process (``cso.orgs.import_pinyin``, no Django, no database): the dry run is
    single-threaded Python, so the second core computes the keys beside it. Small files, and any
    failure of the worker, fall back to computing the keys here. The batches are written to the
    worker by a thread of their own: a write waits until the worker reads the batch (while it is
    still starting, or computing the batch before), and the dry run does not wait with it."""

    BATCH = 5000

    def __init__(self, parallel: bool = False):
        self.names: list[str] = []
        self._sent = 0
        self._worker: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._results: list[list] = []
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()  # lines for the writer thread; None ends
        self._writer: threading.Thread | None = None
        self._write_failed = False
        # no helper process unless allowed (in the task worker: never in the web process)
        self._failed = not parallel or (os.cpu_count() or 1) < 2

    def add(self, name: str) -> None:
        self.names.append(name)
        if len(self.names) - self._sent >= self.BATCH:
            self._send()

    def _start(self) -> None:
        self._worker = subprocess.Popen(
            [sys.executable, "-m", "cso.orgs.import_pinyin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=str(Path(__file__).resolve().parents[2]), text=True, encoding="utf-8",
        )
        self._reader = threading.Thread(target=self._read, args=(self._worker.stdout,), daemon=True)
        self._reader.start()
        self._writer = threading.Thread(target=self._write, args=(self._worker.stdin,), daemon=True)
        self._writer.start()

    def _write(self, stream) -> None:
        try:
            while (line := self._outbox.get()) is not None:
                stream.write(line)
                stream.flush()
        except (OSError, ValueError):  # the worker is gone: keys() computes what it did not
            self._write_failed = True
        finally:
            with contextlib.suppress(OSError, ValueError):
                stream.close()

    def _read(self, stream) -> None:
        # results are read as they come, so that neither pipe fills up while the other waits
        for line in stream:
            self._results.append(json.loads(line))

    def _send(self) -> None:
        if self._failed:
            return
        try:
            if self._worker is None:
                self._start()
        except (OSError, ValueError):
            self._failed = True
            return
        self._outbox.put(json.dumps(self.names[self._sent:], ensure_ascii=False) + "\n")
        self._sent = len(self.names)

    def close(self) -> None:
        """Stop the worker, if one is still running (the dry run failed half-way)."""
        if self._worker is not None:
            self._outbox.put(None)  # the writer closes the worker's input (a blocked write fails with the kill)
            if self._worker.poll() is None:
                self._worker.kill()
            self._worker.wait()
            self._worker = None

    def keys(self) -> list[tuple[str, str]]:
        """The keys of every name added, in order."""
        done: list = []
        if self._worker is not None:
            try:
                self._outbox.put(None)  # the writer sends what is queued, then closes the worker's input
                self._writer.join(timeout=120)
                self._reader.join(timeout=120)
                self._worker.wait(timeout=5)
                if self._worker.returncode == 0 and not self._write_failed:
                    done = [tuple(pair) for batch in self._results for pair in batch][:self._sent]
            except (OSError, ValueError, subprocess.TimeoutExpired, json.JSONDecodeError):
                done = []
            finally:
                if self._worker.poll() is None:
                    self._worker.kill()
                    self._worker.wait()
                self._worker = None
        return done + [pinyin_keys(name) for name in self.names[len(done):]]


class RowChecker:
    """Checks rows chunk by chunk for one user; remembers what earlier rows of the file claimed."""

    def __init__(self, user):
        self.user = user
        self.scope = Scope.for_user(user)
        if self.scope.nothing or not responsibilities.can(user, "orgs.import"):
            raise PermissionDenied("您没有批量导入社会组织的权限。")
        self.categories = _terms(Category)
        self.targets = _terms(ServiceTarget)
        # the span masks: one bit per term (categories and targets each have their own mask)
        self.term_bits = {"categories": {t.pk: t.bit for t in self.categories.values()},
                          "service_targets": {t.pk: t.bit for t in self.targets.values()}}
        self._filing_levels: dict[str, int] = {}  # province prefix -> the level of its filing body
        # the registering bodies: by folded name, and the ones that register in each county
        self.authorities: dict[str, list[Authority]] = defaultdict(list)
        self.county_registrar: dict[str, Authority] = {}
        for body in Authority.objects.active().select_related("division").order_by("division_id", "order", "pk"):
            self.authorities[_fold(body.name)].append(body)
            if body.registers and body.division_id and body.division.level == codes.COUNTY:
                self.county_registrar.setdefault(body.division_id, body)
        self.seen_codes: dict[str, int] = {}
        self.seen_uids: dict[str, int] = {}
        self.seen_authority_names: dict[tuple[str, str], int] = {}
        self.seen_filed_names: dict[tuple[str, str], int] = {}
        self.community_names: dict[str, list[tuple[str, str]]] = defaultdict(list)  # code → [(norm, label)]
        self._visible: dict[str, Division] = {}
        self._any_divisions: dict[str, Division] = {}
        self._asked_divisions: set[str] = set()
        self._asked_ancestors: set[str] = set()
        self._community: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self._asked_communities: set[str] = set()
        # Field defaults of the instances built per row (Model.__init__ per row costs ~100 µs).
        self._org_defaults = _defaults(Organization(status=Status.ACTIVE, created_by=user))
        self._leader_defaults = _defaults(Leader(role=LeaderRole.HEAD))
        self._org_fields = FieldScreen(Organization, ORG_UNCHECKED)
        self._leader_fields = FieldScreen(Leader, ["organization"])
        self._community_norms: dict[str, list[tuple[str, str]]] = {}
        self._named_cache: dict = {}
        self.pinyin = PinyinKeys()
        self.unreadable: dict[int, dict[str, str]] = {}  # row → key → message (see uploads.unreadable_cells)
        self.present: set[str] = set(COLUMN_BY_KEY)  # the columns the file has (a re-import changes only those)

    # -- batch lookups --
    def _divisions(self, wanted: set[str]) -> tuple[dict[str, Division], dict[str, Division]]:
        """Visible live divisions by code, and any division by code for the ancestors; cached for the
        whole file (the same communities come back chunk after chunk)."""
        visible, any_, asked = self._visible, self._any_divisions, self._asked_divisions
        wanted_list = sorted(wanted - asked)
        asked.update(wanted_list)
        ancestors = {_ancestor_code(c, lvl) for c in wanted_list for lvl in (codes.COUNTY, codes.STREET)}
        for qs in _among(Division.objects.visible_to(self.user).filter(abolished_in__isnull=True), "code", wanted_list):
            for d in qs:
                visible[d.code] = d
        anc = sorted(ancestors - self._asked_ancestors)
        self._asked_ancestors.update(anc)
        for qs in _among(Division.objects.all(), "code", anc):
            for d in qs:
                any_[d.code] = d
        return visible, any_

    def _existing(self, findings: list[dict]) -> dict:
        credit = sorted({f["data_code"] for f in findings if f["data_code"]})
        communities = sorted({f["data_division"] for f in findings if f["data_division"]})
        names = sorted({f["name"] for f in findings if f["name"]})
        live = Organization.objects.filter(status__in=LIVE_STATUSES)
        # live organizations per community: cached for the whole file, like the divisions
        out = {"credit": {}, "community": self._community, "authority_names": {}}
        communities = [c for c in communities if c not in self._asked_communities]
        self._asked_communities.update(communities)
        authority = _authority_lookup()
        for qs in _among(live, "credit_code", credit):
            for code, name, uid, division_id, where in qs.values_list("credit_code", "name", "uid", "division_id",
                                                                      "division__name"):
                out["credit"][code] = (name, uid, self.scope.contains(division_id), where)
        for qs in _among(live, "division", communities):
            for division_id, name, uid, track, by in qs.values_list("division_id", "name", "uid", "track", authority):
                out["community"][division_id].append((name, uid, track, by or ""))
        registered = live.filter(track=Track.REGISTERED, registration_authority_division__isnull=False)
        for qs in _among(registered, "name", names):
            for authority_division, name, uid, where in qs.values_list("registration_authority_division_id", "name",
                                                                       "uid", "division__name"):
                out["authority_names"][(authority_division, name)] = (uid, where)
        return out

    # -- one chunk --
    def check_chunk(self, chunk: list[tuple[int, dict]], result: Validation) -> None:
        self.check_parsed(self.parse_chunk(chunk), result)

    def parse_chunk(self, chunk: list[tuple[int, dict]]) -> list[tuple[int, dict, dict]]:
        """Each row's cells read into values, with the errors of the cells themselves. Needs
        nothing but the terms loaded by ``__init__`` (no database): ``ParsedRows`` runs it in a
        worker process."""
        return [(number, *self._parse(number, cells)) for number, cells in chunk]

    def check_parsed(self, parsed: list[tuple[int, dict, dict]], result: Validation) -> None:
        """The rules, scope, lookups and duplicates of parsed rows, in order: each row's own rules
        (``check_rows``), then what the rows say across the file and the registry (``conclude``)."""
        self.conclude(self.check_rows(parsed), result)

    def check_rows(self, parsed: list[tuple[int, dict, dict]]) -> list[dict]:
        """Each row's own rules — cells, scope, the model's rules, the organization it updates —
        as ``RowFindings``: nothing here depends on other rows of the file, so a worker process
        with a database connection of its own may do it (``CheckedRows``)."""
        wanted = {d["division"] for _, d, _ in parsed if d.get("division")}
        visible, ancestors = self._divisions(wanted)
        matches = self._matches([d for _, d, _ in parsed])
        with org_models.remembered_rules():  # the province's capital floor etc.: one query per chunk
            return [self._check_own(number, data, errors, visible, ancestors, matches)
                    for number, data, errors in parsed]

    def conclude(self, findings: list[dict], result: Validation) -> None:
        """The checks across rows — duplicates within the file and against the registry — and the
        rows' outcome, in row order (in this process: it remembers what earlier rows claimed)."""
        existing = self._existing(findings)
        for found in findings:
            self._conclude_row(found, existing, result)

    def _matches(self, parsed: list[dict]) -> dict[str, dict[str, Organization]]:
        """The organizations the rows update: by 组织标识 (any status), else by the credit code of a
        live organization — among those the user may change. Loaded with their terms and leaders."""
        uids = sorted({d["uid"] for d in parsed if d.get("uid")})
        wanted = sorted({d["credit_code"] for d in parsed if not d.get("uid") and d.get("credit_code")})
        codes = []  # the codes held by a live organization in the user's scope (most rows: none)
        live = Organization.objects.filter(status__in=LIVE_STATUSES)
        for qs in _among(live, "credit_code", wanted):
            codes.extend(code for code, division_id in qs.values_list("credit_code", "division_id")
                         if self.scope.contains(division_id))
        out: dict = {"uid": {}, "credit": {}, "taken": set()}
        if not uids and not codes:
            return out
        for qs in _among(Organization.objects.all(), "uid", uids):  # known at all, whatever the scope
            out["taken"].update(qs.values_list("uid", flat=True))
        changeable = (Organization.objects.visible_to(self.user, CHANGE).select_related("division")
                      .prefetch_related("categories", "service_targets", "leaders"))
        for qs in _among(changeable, "uid", uids):
            out["uid"].update((o.uid, o) for o in qs)
        for qs in _among(changeable.filter(status__in=LIVE_STATUSES), "credit_code", codes):
            out["credit"].update((o.credit_code, o) for o in qs)
        return out

    def _parse(self, number: int, cells: dict) -> tuple[dict, dict]:
        data: dict = {"row": number}
        errors: dict[str, tuple[str, str]] = {}

        def bad(key, message, value=""):
            errors.setdefault(COLUMN_BY_KEY[key].header, (message, parse_text(value)))

        if self.unreadable and number in self.unreadable:
            for key, message in self.unreadable[number].items():  # a formula without its value, #REF!, …
                bad(key, message)
        for key in ("uid", "name", "address", "contact_name", "registration_authority", "division_name",
                    "leader_name", "contact_phone", "leader_phone", "supervising_unit", "business_scope", "venue",
                    "incubated_by"):
            data[key] = parse_text(cells.get(key))
        data["tags"] = split_multi(cells.get("tags"))
        for key in ("is_community_org", "is_hub", "financial_custody", "leader_party"):
            try:
                data[key] = parse_bool(cells.get(key))
            except ValueError as exc:
                bad(key, str(exc), cells.get(key))
                data[key] = None
        for key, parse in (("leader_role", parse_role), ("other_leaders", parse_leaders)):
            try:
                data[key] = parse(cells.get(key))
            except ValueError as exc:
                bad(key, str(exc), cells.get(key))
                data[key] = parse("")
        data["status_text"] = parse_text(cells.get("status"))  # checked with the row's match (_check_own)
        data["uid"] = normalize_credit_code(data["uid"])  # the same folding: full width, spaces, case
        for key in ("credit_code", "leader_id_number"):
            try:
                data[key] = parse_id_text(cells.get(key))
            except ValueError as exc:
                bad(key, str(exc), cells.get(key))
                data[key] = ""
        data["credit_code"] = normalize_credit_code(data["credit_code"]) or None
        for key, options, label in (("track", TRACKS, "登记 或 备案"),
                                    ("org_type", ORG_TYPES, "社会团体、民办非企业单位（社会服务机构）、基金会、群众活动团队、社区活动小组"),  # noqa: E501
                                    ("tier", TIERS, "依法登记、街道（乡镇）管理、社区指导"),
                                    ("party_building", PARTIES, "独立党组织、联合党组织、党建指导员、联络员、无")):
            raw = parse_text(cells.get(key))
            if not raw:
                data[key] = ""
                continue
            value = options.get(_fold(raw))
            if value is None:
                bad(key, f"“{raw}”不是允许的值，应为：{label}。", raw)
            data[key] = value or ""
        try:
            data["division"] = parse_code(cells.get("division")) if cells.get("division") not in (None, "") else ""
        except ValueError as exc:
            bad("division", str(exc), cells.get("division"))
            data["division"] = ""
        for key in ("registered_on", "filed_on", "founded_on"):
            try:
                data[key] = parse_date(cells.get(key))
            except ValueError as exc:
                bad(key, str(exc), cells.get(key))
                data[key] = None
        try:
            data["member_count"] = parse_int(cells.get("member_count"))
        except ValueError as exc:
            bad("member_count", f"成员数{exc}", cells.get("member_count"))
            data["member_count"] = None
        try:
            data["registered_capital"] = parse_money(cells.get("registered_capital"))
        except ValueError as exc:
            bad("registered_capital", str(exc), cells.get("registered_capital"))
            data["registered_capital"] = None
        for key, terms, label in (("categories", self.categories, "类别"),
                                  ("service_targets", self.targets, "服务对象")):
            names = split_multi(cells.get(key))
            found, missing = [], []
            for name in names:
                term = terms.get(_fold(name))
                if term is None:
                    missing.append(name)
                elif term.pk not in found:
                    found.append(term.pk)
            if missing:
                bad(key, f"未知的{label}：{'、'.join(missing)}。可选：{'、'.join(sorted({t.name for t in terms.values()}))}。",  # noqa: E501
                    cells.get(key))
            data[key] = found
            bits = self.term_bits[key]
            data[f"{key}_mask"] = sum(1 << bits[pk] for pk in found)
        for key in REQUIRED_KEYS:
            if key not in ("division",) and not data.get(key) and COLUMN_BY_KEY[key].header not in errors:
                bad(key, f"“{COLUMN_BY_KEY[key].header}”不能为空。")
        if not data["division"] and "所在区划代码" not in errors:
            bad("division", "“所在区划代码”不能为空。")
        return data, errors

    def _check_own(self, number, data, errors, visible, ancestors, matches) -> dict:
        """One row's own rules, as a dict of findings (picklable, see ``RowFindings``): the errors
        in the order they were found — the cells' (``first`` of them), then whether the 组织标识
        is usable (``uid_set``: one entry), then the rules'; ``late`` the differences with the
        organization the row updates (recorded after the checks across rows, as always)."""
        def bad(column, message, value=""):
            errors.setdefault(column, (message, parse_text(value)))

        first = len(errors)
        warnings: list[tuple[str, str, str]] = []
        name = data["name"]
        # the organization this row updates: by 组织标识, else by the credit code of a live organization
        target = None
        uid_set = False
        if data["uid"]:
            target = matches["uid"].get(data["uid"])
            # (a 组织标识 an earlier row of the file has is the checks across rows' to say: ``_conclude_row``)
            if target is None and data["uid"] in matches["taken"]:
                uid_set = "组织标识" not in errors
                bad("组织标识", f"组织标识“{data['uid']}”对应的组织不在您可以修改的范围内。", data["uid"])
            elif target is None and not org_models.validators.UID_RE.match(data["uid"]):
                uid_set = "组织标识" not in errors
                bad("组织标识", f"组织标识“{data['uid']}”格式不正确（应为 ZZ、4位年份和10个字母数字）；"
                            "新增组织请留空此列。", data["uid"])
            # otherwise an identifier this registry does not hold (a list exported elsewhere): a new
            # organization that keeps it
        elif data["credit_code"]:
            target = matches["credit"].get(data["credit_code"])
        mine = target.uid if target is not None else None
        status_text = data.get("status_text", "")
        if target is None and _fold(status_text) not in LIVE_STATUS_TEXTS:
            bad("状态", f"导入只新增状态为“正常”的组织；“{status_text}”请在导入后办理状态变更。", status_text)
        elif target is not None and status_text and _fold(status_text) != _fold(target.get_status_display()):
            bad("状态", f"导入不改变组织的状态（系统中为“{target.get_status_display()}”）；状态变更请在组织页面办理。",
                status_text)
        division = visible.get(data["division"]) if data["division"] else None
        if data["division"] and division is None and "所在区划代码" not in errors:
            where = self.user.division.name if getattr(self.user, "division", None) else "全国"
            bad("所在区划代码", f"区划代码{data['division']}不存在、已撤销，或不在您的管辖范围（{where}）内。", data["division"])  # noqa: E501
        if division is not None and data["division_name"] and _fold(data["division_name"]) != _fold(division.name):
            warnings.append(("所在区划", f"区划名称“{data['division_name']}”与代码{division.code}对应的“{division.name}”不一致，"  # noqa: E501
                                       f"将以代码为准。", data["division_name"]))
        if (data["leader_id_number"] or data["leader_phone"]) and not data["leader_name"]:
            bad("负责人姓名", "填写了负责人身份证号或电话，但没有填写负责人姓名。")

        # Every rule runs, whatever the cells could not be read: a clerk learns all that is wrong
        # with a row in one round (a cell's own error stays the one shown for its column).
        org = self._build(data, division, ancestors, errors)
        # the responsibilities table: this account registers / files the new organization (asked
        # when the columns that decide who is responsible were read without fault)
        decided_by_ok = not RESPONSIBILITY_COLUMNS & errors.keys()
        if org is not None and division is not None and org.track and target is None and decided_by_ok:
            self._may_create(org, errors)
        if org is not None:
            # without a division the default authority is unknown: its absence is the division's error
            self._clean(org, errors, skip=() if division is not None else ("registration_authority",),
                        federation=target is None or not target.is_federation)
            if org.registration_authority_id and not {"统一社会信用代码", "登记管理机关"} & errors.keys():
                mismatch = org.credit_code_warning()
                if mismatch:
                    warnings.append(("统一社会信用代码", mismatch, org.credit_code))
        # the leaders: the one of the 负责人 columns, then the 其他负责人 (each as the form holds them)
        self._unmask_ids(data, target, errors)
        head_given = data["leader_name"] or data["leader_id_number"] or data["leader_phone"]
        given = ([[data["leader_name"], data["leader_role"], data["leader_id_number"], data["leader_phone"],
                   bool(data["leader_party"])]] if head_given else []) + data["other_leaders"]
        data["leaders"] = []
        for i, (l_name, role, id_number, phone, party) in enumerate(given):
            leader = _instance(Leader, self._leader_defaults, name=l_name, role=role, id_number=id_number,
                               phone=phone, is_party_member=party)
            for check in (None if self._leader_fields.passes(leader) else
                          lambda leader=leader: leader.clean_fields(exclude=["organization"]), leader.clean):
                try:
                    if check is not None:
                        check()
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        column = LEADER_FIELD_COLUMN.get(key, "负责人姓名") if i == 0 and head_given \
                            else "其他负责人"
                        bad(column, f"{l_name}：{messages[0]}" if column == "其他负责人" else messages[0],
                            getattr(leader, key, ""))
            if leader.name:
                data["leaders"].append([leader.name, leader.role, leader.id_number, leader.phone,
                                        leader.is_party_member])
        found = {
            "number": number, "name": name, "uid": data["uid"], "mine": mine,
            "data_code": data["credit_code"], "data_division": data["division"],
            "first": first, "uid_set": uid_set, "errors": list(errors.items()), "warnings": warnings,
            "code": org.credit_code if org is not None else data["credit_code"],
            "division": (division.code, division.name) if division is not None else None,
            "norm": normalize_name(name) if division is not None and name else None,
            "org": None, "row": None, "late": [], "changes": [], "target": None,
        }
        if org is not None:
            by = _authority_text(org)
            found["org"] = {"name": org.name, "track": org.track, "division": org.division_id,
                            "authority": org.registration_authority_division_id, "credit_code": org.credit_code,
                            "authority_text": by, "by": _by(org.track, by),
                            "norm": found["norm"] if org.name == name and found["norm"] else normalize_name(org.name)}
            found["row"] = self._row_json(number, org, data, False)
        if target is not None and org is not None:
            late: dict = {}
            changes = self._differences(target, org, data, late)
            # an unchanged row needs no right to change; a changed one asks the table
            if changes and not responsibilities.can(self.user, "orgs.change", target):
                late.setdefault("组织标识", (f"您的账号无权变更“{target.name}”的登记（备案）事项，"
                                         "应由其登记（备案）机关办理。", target.uid))
            found.update(late=list(late.items()), changes=changes, target=target.pk)
        return found

    def _conclude_row(self, found: dict, existing: dict, result: Validation) -> None:
        number, name, mine, org = found["number"], found["name"], found["mine"], found["org"]
        # the row's own errors, with the 组织标识 of an earlier row of the file checked where the row's
        # own check of it stood (after the cells' errors, before the rules')
        items, first = found["errors"], found["first"]
        errors: dict[str, tuple[str, str]] = dict(items[:first])
        if found["uid"] and found["uid"] in self.seen_uids:
            errors.setdefault("组织标识", (f"重复：与第{self.seen_uids[found['uid']]}行的组织标识相同。",
                                       parse_text(found["uid"])))
            items = items[first + 1:] if found["uid_set"] else items[first:]
        else:
            items = items[first:]
        for column, value in items:
            errors.setdefault(column, value)

        def bad(column, message, value=""):
            errors.setdefault(column, (message, parse_text(value)))

        warnings = list(found["warnings"])
        # uniqueness and duplicates (against live organizations and earlier rows of the file)
        code = found["code"]
        if code and "统一社会信用代码" not in errors:
            if code in existing["credit"] and existing["credit"][code][1] != mine:
                other, uid, visible_to_me, where = existing["credit"][code]
                who = f"“{other}”（{uid}，所在区划：{where}）" if visible_to_me else "另一存续组织"
                bad("统一社会信用代码", f"重复：统一社会信用代码{code}已被{who}使用。", code)
            elif code in self.seen_codes:
                bad("统一社会信用代码", f"重复：与第{self.seen_codes[code]}行的统一社会信用代码相同。", code)
        if org is not None and org["track"] == Track.REGISTERED and org["authority"]:
            key = (org["authority"], org["name"])
            if key in existing["authority_names"] and existing["authority_names"][key][0] != mine:
                uid, where = existing["authority_names"][key]
                bad("名称", f"同一登记管理机关（{org['authority_text']}）已登记同名的存续组织"
                          f"（{uid}，所在区划：{where}）。", name)
            elif key in self.seen_authority_names:
                bad("名称", f"与第{self.seen_authority_names[key]}行同名，且登记管理机关同为{org['authority_text']}。",
                    name)
        division = found["division"]
        if org is not None and org["track"] == Track.FILED:
            key = (org["division"], org["name"])
            clash = next((u for n, u, t, _ in existing["community"].get(org["division"], []) if n == org["name"]
                          and t == Track.FILED and u != mine), None)
            if clash:
                bad("名称", f"{division[1]}已有同名的存续备案组织（{clash}）。", name)
            elif key in self.seen_filed_names:
                bad("名称", f"与第{self.seen_filed_names[key]}行同名，且同在{division[1]}备案。", name)
        if division is not None and name and "名称" not in errors:
            code_, place = division
            candidates = self._community_norms.get(code_)
            if candidates is None:
                candidates = self._community_norms[code_] = [
                    (normalize_name(n), f"已有组织“{n}”（{u}，{_by(t, by)}）", u)
                    for n, u, t, by in existing["community"].get(code_, [])]
            candidates = candidates + self.community_names.get(code_, [])
            if mine is not None:
                candidates = [c for c in candidates if c[2] != mine]
            norm = found["norm"]
            if norm and candidates:
                match = process.extractOne(norm, [c[0] for c in candidates], scorer=fuzz.ratio,
                                           score_cutoff=SIMILARITY)
                if match is not None:
                    _, score, index = match
                    same = "同名" if score >= 100 else f"名称高度相似（相似度{score:.0f}%）"
                    own = f"本行{org['by']}" if org is not None else ""
                    warnings.append(("名称", f"疑似重复：与同在{place}的{candidates[index][1]}{same}"
                                             f"{'；' + own if own else ''}。", name))
        for column, value in found["late"]:
            errors.setdefault(column, value)
        changes = found["changes"]
        if errors:
            result.error_rows.add(number)
            for column, (message, value) in errors.items():
                result.issues.append(Issue(number, column, message, value, "error", name))
            return
        if found["target"] is not None and not changes:
            result.unchanged_rows.add(number)  # nothing to write
            return
        # remember what this good row claims
        if found["uid"]:
            self.seen_uids[found["uid"]] = number
        if org["credit_code"]:
            self.seen_codes[org["credit_code"]] = number
        if org["track"] == Track.REGISTERED and org["authority"]:
            self.seen_authority_names[(org["authority"], org["name"])] = number
        if org["track"] == Track.FILED:
            self.seen_filed_names[(org["division"], org["name"])] = number
        self.community_names[org["division"]].append(
            (org["norm"], f"第{number}行“{org['name']}”（{org['by']}）", mine))
        self.pinyin.add(org["name"])
        if warnings:
            result.warning_rows.add(number)
            for column, message, value in warnings:
                result.issues.append(Issue(number, column, message, value, "warning", name))
        row = found["row"]
        row["warned"] = bool(warnings)
        if found["target"] is not None:
            result.update_rows.add(number)
            row["update"] = found["target"]
            row["changes"] = {key: new for key, _, _, new, _, _ in changes}
            row["before"] = {key: old for key, _, old, _, _, _ in changes}
            for _, column, _, _, old_text, new_text in changes:
                result.issues.append(Issue(number, column, f"由“{old_text}”改为“{new_text}”", new_text, "change",
                                           f"{name}（{mine}）"))
        result.rows.append(row)

    def _build(self, data: dict, division: Division | None, ancestors: dict, errors: dict) -> Organization | None:
        track = data["track"]
        org = _instance(Organization, self._org_defaults,
            name=data["name"], track=track, org_type=data["org_type"], credit_code=data["credit_code"],
            tier=data["tier"] or (Tier.REGISTERED if track == Track.REGISTERED else Tier.COMMUNITY),
            address=data["address"], founded_on=data["founded_on"], registered_on=data["registered_on"],
            filed_on=data["filed_on"],
            member_count=data["member_count"], registered_capital=data["registered_capital"],
            contact_name=data["contact_name"], contact_phone=data["contact_phone"],
            party_building=data["party_building"] or PartyBuilding.NONE,
            supervising_unit=data["supervising_unit"], business_scope=data["business_scope"],
            financial_custody=bool(data["financial_custody"]), is_hub=bool(data["is_hub"]), tags=data["tags"],
        )
        # Foreign keys straight into the new instance's attributes and its cache: what assigning them
        # does on an instance with nothing cached yet, without the descriptor (five per row).
        attrs, cache = org.__dict__, org._state.fields_cache
        attrs["division_id"] = division.code if division is not None else None
        cache["division"] = division
        if division is None:  # unknown or unreadable: the other rules still run
            attrs["registration_authority_id"] = None
            cache["registration_authority"] = None
            attrs["registration_authority_division_id"] = None
            cache["registration_authority_division"] = None
            attrs["is_community_org"] = (_default_is_community_org(org) if data["is_community_org"] is None
                                         else data["is_community_org"])
            return org
        attrs["venue_id"] = self._named(Venue, data["venue"], division, "活动场所", errors)
        attrs["incubated_by_id"] = self._named(IncubationBase, data["incubated_by"], division, "孵化基地", errors)
        body = None
        if track == Track.REGISTERED:
            # a missing or unknown body is the 登记管理机关 column's error; the other rules still run
            body = self._registering_body(data["registration_authority"], division, errors)
            authority = body.division if body is not None else None
        else:  # a filed group: filed by its street (a setting), no registering body
            level = self.filing_level(division.code)
            authority = ancestors.get(_ancestor_code(division.code, level)) if division.level >= level else None
        attrs["registration_authority_id"] = body.pk if body is not None else None
        cache["registration_authority"] = body
        attrs["registration_authority_division_id"] = authority.code if authority is not None else None
        cache["registration_authority_division"] = authority
        attrs["is_community_org"] = (_default_is_community_org(org) if data["is_community_org"] is None
                                     else data["is_community_org"])
        return org

    def filing_level(self, code: str) -> int:
        """The level of the body that files groups in this division's province (the province's setting)."""
        province = code[:2]
        if province not in self._filing_levels:
            self._filing_levels[province] = org_models.filing_authority_level(code)
        return self._filing_levels[province]

    def _may_create(self, org: Organization, errors: dict) -> None:
        """The responsibilities table: this account registers or files this row's organization."""
        action = "orgs.register" if org.track == Track.REGISTERED else "orgs.file"
        if not responsibilities.can(self.user, action, org):
            label = responsibilities.ACTIONS[action].label
            errors.setdefault("管理方式", (f"您的账号无权{label}该组织（{org.get_tier_display()}），"
                                       f"应由其登记（备案）机关办理。", org.get_track_display()))

    def _named(self, model, name: str, division: Division, column: str, errors: dict) -> int | None:
        """The venue / incubation base of that name the user may see: the one nearest the
        organization (in its division, else above it, else anywhere visible when only one)."""
        if not name:
            return None
        cache = self._named_cache.setdefault(model, {})
        if name not in cache:
            cache[name] = list(model.objects.visible_to(self.user).filter(name=name).values_list("pk", "division_id"))
        found = cache[name]
        for test in (lambda d: d == division.code,
                     lambda d: division.code.startswith(codes.prefix_of(d, codes.level_of(d))),
                     lambda d: len(found) == 1):
            match = [pk for pk, d in found if test(d)]
            if match:
                return match[0]
        errors.setdefault(column, (f"{column}“{name}”不存在、不在您的管辖范围内，或有多个同名的；请先在系统中登记。",
                                   name))
        return None

    def _registering_body(self, text: str, division: Division, errors: dict) -> Authority | None:
        """The body named in the cell (the county's registering body when empty), or None with the
        error set. Whether that body may register here is the model's rule (clean)."""
        if not text:
            county = _ancestor_code(division.code, codes.COUNTY) if division.level >= codes.COUNTY else None
            body = self.county_registrar.get(county) if county else None
            if body is None:
                errors.setdefault("登记管理机关", (f"区划{division.code}所在的县（区）没有负责登记的机关，请填写登记管理机关。", ""))  # noqa: E501
            return body
        bodies = self.authorities.get(_fold(text), [])
        if not bodies:
            errors.setdefault("登记管理机关", (f"登记管理机关“{text}”不在登记管理机关名录中，请填写名录中的全称。", text))  # noqa: E501
            return None
        # the same name in two places: the one above the organization
        return next((b for b in bodies if b.division_id is None or division.code.startswith(b.division.prefix)),
                    bodies[0])

    def _clean(self, org: Organization, errors: dict, skip: tuple[str, ...] = (), federation: bool = True) -> None:
        """The model's own rules, without their per-row uniqueness queries (batched above). Every
        message lands on its column, unless that column already has one (the cell's own error)."""
        def record(exc: ValidationError) -> None:
            for key, messages in exc.message_dict.items():
                if key not in skip:
                    errors.setdefault(FIELD_COLUMN.get(key, "名称"), (messages[0], parse_text(getattr(org, key, ""))))

        try:
            if not self._org_fields.passes(org):
                org.clean_fields(exclude=ORG_UNCHECKED)
        except ValidationError as exc:
            record(exc)
        # Organization.clean() queries the database for live name / credit-code clashes when the
        # status is live; those checks are done in batch here, so clean() runs on a non-live copy.
        org.status = Status.CLEARED
        try:
            org.clean()
        except ValidationError as exc:
            record(exc)
        finally:
            org.status = Status.ACTIVE
        if federation and "名称" not in errors:  # (a matched federation keeps its recorded members)
            try:
                _check_federation(org)
            except ValidationError as exc:
                errors.setdefault("名称", (exc.messages[0], org.name))

    @staticmethod
    def _unmask_ids(data: dict, target: Organization | None, errors: dict) -> None:
        """An exported list shows leaders' id numbers masked to those who may not see them in full
        (``4501**********002X``). In a row that updates an organization such a number stands for the
        recorded one of the leader of that name, unchanged; a new organization needs the full number."""
        recorded = {x.name: x.id_number for x in target.leaders.all()} if target is not None else {}

        def unmask(name: str, id_number: str, column: str) -> str:
            if "*" not in (id_number or ""):
                return id_number
            known = recorded.get(name, "")
            if known and mask_id_number(known) == id_number:
                return known
            reason = ("已打码（导出名录按权限隐藏）：新增组织或更换负责人时须填写完整的身份证号。"
                      if target is None or not known else "已打码，且与系统中记录的不一致；请填写完整的身份证号。")
            errors.setdefault(column, (f"{name}的身份证号{reason}", id_number))
            return ""

        data["leader_id_number"] = unmask(data["leader_name"], data["leader_id_number"], "负责人身份证号")
        for leader in data["other_leaders"]:
            leader[2] = unmask(leader[0], leader[2], "其他负责人")

    def _differences(self, match: Organization, org: Organization, data: dict, errors: dict) -> list[tuple]:
        """What the row changes in ``match``, field by field, for the columns the file has:
        (field, column, old value, new value — JSON-ready —, old text, new text). Records in
        ``errors`` what an import may not change (the track; anything of a closed organization)."""
        present = self.present
        if "track" in present and org.track and org.track != match.track:
            errors.setdefault("管理方式", (f"不能通过导入改变管理方式（系统中为“{match.get_track_display()}”）；"
                                       "备案类组织取得登记后请办理“登记转换”。", data["track"]))
        out = []
        for key, name, kind in UPDATE_FIELDS:
            if key not in present:
                continue
            attname = _stored(name)
            if attname != name and kind != "division":  # a foreign key: compared by key, shown by name
                kind = "related"
            old, new = getattr(match, attname), getattr(org, attname)
            if kind == "money":
                same = (old is None and new is None) or (old is not None and new is not None and Decimal(old) == new)
            else:
                same = (old or None) == (new or None) if kind == "text" else old == new
            if not same:
                out.append((key, COLUMN_BY_KEY[key].header, _json_value(old), _json_value(new),
                            self._text(kind, name, old, match), self._text(kind, name, new, org)))
        for key, label in (("categories", "categories"), ("service_targets", "service_targets")):
            if key not in present:
                continue
            old_ids = sorted(t.pk for t in getattr(match, label).all())
            new_ids = sorted(data[key])
            if old_ids != new_ids:
                terms = self.categories if key == "categories" else self.targets
                names = {t.pk: t.name for t in terms.values()} | {t.pk: t.name for t in getattr(match, label).all()}
                out.append((key, COLUMN_BY_KEY[key].header, old_ids, new_ids, "、".join(names[i] for i in old_ids)
                            or "（空）", "、".join(names[i] for i in new_ids) or "（空）"))
        if present & {"leader_name", "leader_id_number", "leader_phone", "leader_party", "leader_role"}:
            head = _first_leader(match)  # the export writes the first leader into the 负责人 columns
            old = _leader_list(head)
            party = (bool(data["leader_party"]) if "leader_party" in present
                     else bool(head is not None and head.is_party_member))
            role = (data["leader_role"] if "leader_role" in present and data["leader_role"]
                    else head.role if head is not None else LeaderRole.HEAD)
            new = ([data["leader_name"], data["leader_id_number"], data["leader_phone"], party, role]
                   if data["leader_name"] else None)
            if new is not None and old != new:  # an empty leader column does not remove the recorded leader
                out.append(("leader", "负责人姓名", old, new, _leader_text(old), _leader_text(new)))
        if out and match.status in FINAL_STATUSES:
            errors.setdefault("组织标识", (f"该组织已{match.get_status_display()}，其信息不能再修改；"
                                       f"本行与系统中的记录不同（{'、'.join(c[1] for c in out)}）。", match.uid))
        return out

    @staticmethod
    def _text(kind: str, attname: str, value, org: Organization) -> str:
        if value is None or value == "" or value == []:
            return "（空）"
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if kind == "choice":
            return str(dict(org._meta.get_field(attname).flatchoices).get(value, value))
        if kind == "related":
            return str(getattr(org, attname, None) or value)
        if kind == "division":
            division = org._state.fields_cache.get("division")
            return f"{division.name}（{value}）" if division is not None and division.code == value else str(value)
        if kind == "money":
            text = f"{Decimal(value):f}"
            return text.rstrip("0").rstrip(".") if "." in text else text
        if kind == "date":
            return value.isoformat()
        return str(value)

    @staticmethod
    def _row_json(number: int, org: Organization, data: dict, warned: bool) -> dict:
        def d(value):
            return value.isoformat() if value else None

        return {
            "row": number, "warned": warned, "name": org.name, "track": org.track, "org_type": org.org_type,
            "tier": org.tier, "credit_code": org.credit_code, "registration_authority": org.registration_authority_id,
            "authority": org.registration_authority_division_id, "division": org.division_id,
            "address": org.address, "founded_on": d(org.founded_on), "registered_on": d(org.registered_on),
            "filed_on": d(org.filed_on), "member_count": org.member_count,
            "registered_capital": str(org.registered_capital) if org.registered_capital is not None else None,
            "contact_name": org.contact_name, "contact_phone": org.contact_phone,
            "party_building": org.party_building, "is_community_org": org.is_community_org,
            "categories": data["categories"], "service_targets": data["service_targets"],
            "categories_mask": data["categories_mask"], "service_targets_mask": data["service_targets_mask"],
            "leaders": data.get("leaders", []),
            "supervising_unit": org.supervising_unit, "business_scope": org.business_scope,
            "financial_custody": org.financial_custody, "is_hub": org.is_hub, "tags": org.tags,
            "venue": org.venue_id, "incubated_by": org.incubated_by_id,
            "update": None, "changes": None, "before": None,  # set for a row that updates an organization
            "uid": data["uid"] or None,  # a new organization keeps an identifier given in the file
        }


# Columns whose values decide who is responsible for a row's organization (responsibilities table).
RESPONSIBILITY_COLUMNS = {"管理方式", "组织类型", "管理层级", "所在区划代码", "登记管理机关"}


def is_header_row(texts: list[str]) -> bool:
    """Whether a row of the sheet is the header: it names every required column. (Rows above it —
    a merged title, a 填报单位 line — are skipped by ``read_table``.)"""
    keys = {HEADER_KEYS.get(normalize_header(t)) for t in texts if t}
    return all(k in keys for k in REQUIRED_KEYS)


# What a re-imported row may change in the organization it matches (key = column key = the
# service's field name; kind: how to compare and show). The track, status, uid and location
# history are changed by their own procedures.
UPDATE_FIELDS: list[tuple[str, str, str]] = [
    ("name", "name", "text"), ("credit_code", "credit_code", "text"), ("org_type", "org_type", "choice"),
    ("tier", "tier", "choice"), ("division", "division", "division"),
    ("registration_authority", "registration_authority", "related"),
    ("registered_on", "registered_on", "date"), ("filed_on", "filed_on", "date"), ("founded_on", "founded_on", "date"),
    ("member_count", "member_count", "value"), ("registered_capital", "registered_capital", "money"),
    ("address", "address", "text"), ("contact_name", "contact_name", "text"),
    ("contact_phone", "contact_phone", "text"), ("party_building", "party_building", "choice"),
    ("supervising_unit", "supervising_unit", "text"), ("business_scope", "business_scope", "text"),
    ("financial_custody", "financial_custody", "value"), ("is_hub", "is_hub", "value"),
    ("is_community_org", "is_community_org", "value"), ("tags", "tags", "value"),
    ("venue", "venue", "related"), ("incubated_by", "incubated_by", "related"),
]


def _authority_lookup() -> str:
    """The values() path of an organization's registering (filing) body's name."""
    field = Organization._meta.get_field("registration_authority")
    return "registration_authority__name" if field.is_relation else "registration_authority"


def _authority_text(org: Organization) -> str:
    value = org.registration_authority
    return str(getattr(value, "name", value) or "")


def _by(track: str, authority: str) -> str:
    """“南宁市兴宁区民政局登记” / “民生街道备案”, or the track alone when the body is not known."""
    verb = "登记" if track == Track.REGISTERED else "备案"
    return f"{authority}{verb}" if authority else f"{verb}机关不详"


@cache
def _stored(name: str) -> str:
    """The attribute that holds a field's stored value: ``<name>_id`` for a foreign key."""
    return Organization._meta.get_field(name).attname


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _first_leader(org: Organization) -> Leader | None:
    """The leader the export writes into the 负责人 columns: the first in the recorded order."""
    return min(org.leaders.all(), key=lambda x: (x.order, x.pk), default=None)


def _leader_list(leader: Leader | None) -> list | None:
    return [leader.name, leader.id_number, leader.phone, leader.is_party_member, leader.role] if leader else None


def _leader_text(leader: list | None) -> str:
    if not leader:
        return "（空）"
    name, id_number, phone, *rest = leader
    masked = f"{id_number[:6]}********{id_number[-4:]}" if len(id_number) > 10 else id_number
    party = "中共党员" if rest and rest[0] else ""
    role = str(LeaderRole(rest[1]).label) if len(rest) > 1 and rest[1] in LeaderRole.values else ""
    return "，".join(x for x in (name, role, masked, phone, party) if x)


def map_header(header: list[str], header_row: int = 1, found: bool = True) -> tuple[dict[int, str], list[str]]:
    """Column index → key; raises UploadRefused when required columns are missing."""
    mapping: dict[int, str] = {}
    for i, text in enumerate(header):
        key = HEADER_KEYS.get(normalize_header(text))
        if key and key not in mapping.values():
            mapping[i] = key
    missing = [COLUMN_BY_KEY[k].header for k in REQUIRED_KEYS if k not in mapping.values()]
    if missing:
        required = "、".join(COLUMN_BY_KEY[k].header for k in REQUIRED_KEYS)
        where = (f"第{header_row}行（列标题行）" if found else
                 f"在文件的前{HEADER_SCAN}个非空行中没有找到列标题行（须包含{required}等列）；第一个非空行（第{header_row}行）")
        raise UploadRefused(
            f"{where}缺少必需的列：{'、'.join(missing)}。请使用页面上提供的导入模板，列标题须与模板一致。"
        )
    unknown = [t for i, t in enumerate(header) if t and i not in mapping]
    return mapping, unknown


def validate_rows(user, upload, progress: Callable[[int, int], None] | None = None, *,
                  parallel: bool = False) -> Validation:
    """The dry run of one checked upload: nothing is written. ``parallel``: helper processes may
    parse the rows and compute the pinyin keys (only in the task worker or a benchmark; never in
    the web process)."""
    checker = RowChecker(user)
    checker.pinyin = PinyinKeys(parallel=parallel)
    table = read_table(upload, is_header=is_header_row)
    mapping, unknown = map_header(table.header, table.header_row, table.header_found)
    checker.present = set(mapping.values())
    checker.unreadable = {number: {mapping[i]: message for i, message in cells.items() if i in mapping}
                          for number, cells in table.unreadable.items()}
    result = Validation()
    if unknown:
        result.issues.append(Issue(table.header_row, "、".join(unknown), "这些列不在导入模板中，已忽略。", level="notice"))  # noqa: E501
    parsed_rows = ParsedRows(checker, table, list(mapping.items()), parallel=parallel)
    try:
        for kind, chunk in parsed_rows:
            result.total += len(chunk)
            if kind == "found":  # checked by a worker: the checks across rows are left
                checker.conclude(chunk, result)
            else:
                checker.check_parsed(chunk, result)
            if progress and len(chunk) == CHUNK:
                progress(result.total, max(table.estimated_rows, result.total))
        if result.total == 0:
            raise UploadRefused("文件中只有标题行，没有要导入的组织。")
        for row, keys in zip(result.rows, checker.pinyin.keys(), strict=True):
            row["pinyin"] = keys
    finally:
        parsed_rows.close()
        checker.pinyin.close()
    return result


class ParsedRows:
    """The rows of a table chunk by chunk, as ``("rows", parsed)`` (``RowChecker.parse_chunk``: the
    rows still to check here) or ``("found", findings)`` (``RowChecker.check_rows`` done: only the
    checks across rows are left, ``RowChecker.conclude``).

    For a large file the work runs in forked worker processes (only with ``parallel``: in the task
    worker, never in the web process), ahead of this one: the dry run is single-threaded Python.
    Where the workers may use the database (``_may_check_elsewhere``: outside a transaction, on a
    database another process can open) ``WORKERS`` of them each read, parse and check every
    ``WORKERS``-th chunk with a connection of their own, and this process only does the checks
    across rows, in row order; otherwise one worker reads and parses and this process checks. A
    worker reads the memory it was forked with (the upload is held in memory by every reader),
    leaves the parent's connections alone, sends back pickled chunks and leaves with
    ``os._exit``. A refused file (too many rows, a broken sheet) is refused as here; small files,
    one-core machines and any failure of a worker fall back to doing the rest here, from the
    first chunk not delivered."""

    MIN_ROWS = 20_000
    WORKERS = 2  # checking workers (each with a database connection of its own)
    WAIT = 120  # seconds without a chunk from a worker before it is given up

    def __init__(self, checker: RowChecker, table, items: list[tuple[int, str]], parallel: bool = False):
        self.checker, self.table, self.items = checker, table, items
        self.delivered = 0
        self.checks = False  # whether the workers check the rows too
        self._conns: list = []
        self._processes: list = []
        if (parallel and table.estimated_rows >= self.MIN_ROWS and (os.cpu_count() or 1) >= 2
                and "fork" in multiprocessing.get_all_start_methods()):
            self.checks = _may_check_elsewhere()
            count = self.WORKERS if self.checks else 1
            try:
                ctx = multiprocessing.get_context("fork")
                for k in range(count):
                    conn, child = ctx.Pipe(duplex=False)
                    self._conns.append(conn)
                    worker = ctx.Process(target=self._work, args=(child, k, count), daemon=True)
                    worker.start()
                    self._processes.append(worker)
                    child.close()
            except Exception:  # no process to be had (resources, a daemonic parent): work here
                self.close()
                self.checks = False

    def _chunks(self, rows, k: int = 0, count: int = 1) -> Iterator[list[tuple[int, dict, dict]]]:
        """The parsed chunks number k, k + count, k + 2·count, … of ``rows`` (all of them by default)."""
        items, parse = self.items, self.checker.parse_chunk
        chunk: list[tuple[int, dict]] = []
        index = seen = 0
        for number, row in rows:
            if index % count == k:
                chunk.append((number, {key: row[i] if i < len(row) else None for i, key in items}))
            seen += 1
            if seen == CHUNK:
                if chunk:
                    yield parse(chunk)
                chunk, index, seen = [], index + 1, 0
        if chunk:
            yield parse(chunk)

    def _work(self, conn, k: int, count: int) -> None:  # in a worker process
        try:
            if self.checks:
                _own_connections()
            for parsed in self._chunks(self.table.rows, k, count):
                conn.send(("found", self.checker.check_rows(parsed)) if self.checks else ("rows", parsed))
            conn.send(("end", None))
        except UploadRefused as exc:
            conn.send(("refused", exc.message))
        finally:
            conn.close()
            if self.checks:
                from django.db import connections

                connections.close_all()  # this process's own (the parent's were set aside)

    def __iter__(self) -> Iterator[tuple[str, list]]:
        index = 0
        while self._conns:
            kind, value = self._receive(self._conns[index % len(self._conns)])
            if kind == "failed":
                break  # the rest is done here
            if kind == "refused":
                raise UploadRefused(value)
            if kind == "end":  # the chunks go round the workers: the one whose turn it is has none left
                self.close()
                return
            self.delivered += len(value)
            index += 1
            yield kind, value
        self.close()
        for parsed in self._chunks(islice(self.table.rows, self.delivered, None)):
            yield "rows", parsed

    def _receive(self, conn) -> tuple[str, object]:
        """A worker's next message; ("failed", None) when it is stuck or gone."""
        try:
            if not conn.poll(self.WAIT):
                return "failed", None
            return conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            return "failed", None

    def close(self) -> None:
        for conn in self._conns:
            conn.close()
        self._conns = []
        for worker in self._processes:
            if worker.is_alive():
                worker.kill()
            worker.join()
        self._processes = []


_INHERITED_CONNECTIONS: list = []


def _may_check_elsewhere() -> bool:
    """Whether a worker process may check rows with a database connection of its own: not inside a
    transaction (it would not see that transaction's rows), not on a database only this process
    can open (SQLite in memory)."""
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def _own_connections() -> None:
    """In a forked worker: the parent's database connections share the parent's sockets, so they are
    set aside — kept referenced (closing or collecting one would end the parent's session) and never
    used; the next query opens a connection of this process's own."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _INHERITED_CONNECTIONS.append(conn.connection)
            conn.connection = None


# --- jobs ------------------------------------------------------------------------------------
_gc_lock = threading.Lock()
_gc_pauses = 0


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector for a dry run or an apply. Both build hundreds of
    thousands of long-lived objects (the rows, their values, the decoded payload), and each of them
    counts towards the next collection, which then walks them all again: with the collector on,
    decoding a 100,000-row payload takes three times as long. Nothing of the import relies on it
    (reference counting frees what it drops); the collector is back on when the last import running
    in this process ends."""
    global _gc_pauses
    with _gc_lock:
        mine = _gc_pauses > 0 or gc.isenabled()  # switched off by someone else: leave it to them
        if mine:
            _gc_pauses += 1
            gc.disable()
    try:
        yield
    finally:
        if mine:
            with _gc_lock:
                _gc_pauses -= 1
                if _gc_pauses == 0:
                    gc.enable()


def _pack(rows: list[dict]) -> bytes:
    """The good rows, compressed: the keys once, then each row's values in that order (JSON of lists
    reads about twice as fast as the same rows as objects). A column with the same value in every
    row — the columns a file does not have, the defaults, ``update``/``changes``/``before`` of a file
    of new organizations — is stored once, under ``same``."""
    keys = list(rows[0]) if rows else []
    same: dict = {}
    if len(rows) > 1:
        for key in keys:
            column = list(map(itemgetter(key), rows))
            if _constant(column):
                same[key] = column[0]
    varying = [k for k in keys if k not in same]
    body = {"keys": varying, "rows": [[r[k] for k in varying] for r in rows], "same": same}
    try:
        text = orjson.dumps(body)  # the same bytes as json.dumps(…, ensure_ascii=False, compact), ≈6× faster
    except TypeError:  # what only the standard encoder writes (integers beyond 64 bits, …)
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return zlib.compress(text, 3)


def _constant(column: list) -> bool:
    """Whether every value of the column is the first one, as JSON would write it (1, 1.0 and True
    are equal in Python, not in JSON)."""
    first = column[0]
    if column.count(first) != len(column):
        return False
    if isinstance(first, list | dict | tuple):
        text = repr(first)
        return all(repr(v) == text for v in column)
    return len(set(map(type, column))) == 1


def _unpack(data) -> list[dict]:
    """The rows ``_pack`` stored. Rows share the values of a ``same`` column (the apply only reads them)."""
    if not data:
        return []
    text = zlib.decompress(bytes(data))
    try:
        body = orjson.loads(text)
    except orjson.JSONDecodeError:  # what only the standard decoder reads (NaN, …)
        body = json.loads(text)
    if isinstance(body, list):  # a job validated before the rows were stored as lists
        return body
    keys, same = body["keys"], body.get("same")
    width = len(keys)
    if any(len(r) != width for r in body["rows"]):
        raise ValueError("stored rows do not match their keys")
    if not same:
        return [dict(zip(keys, r, strict=False)) for r in body["rows"]]  # lengths checked above
    out = []
    for r in body["rows"]:
        row = dict(zip(keys, r, strict=False))
        row.update(same)
        out.append(row)
    return out


def start_job(user, name: str, data: bytes) -> ImportJob:
    """Record an uploaded file. A refused file becomes a failed job with the reason (nothing else)."""
    if Scope.for_user(user).nothing or not responsibilities.can(user, "orgs.import"):
        raise PermissionDenied("您没有批量导入社会组织的权限。")
    job = ImportJob(kind=KIND, user=user, division_id=getattr(user, "division_id", None), file_name=name[:255],
                    file_size=len(data), content=b"")
    try:
        check_upload(name, data)
    except UploadRefused as exc:
        job.status = ImportStatus.FAILED
        job.message = exc.message
    else:
        job.content = data
    job.save()
    return job


def validate_job(job: ImportJob, *, parallel: bool = False) -> ImportJob:
    """Run the dry run of a job and store its report; never raises for a bad file. Called by the
    background task ``cso.orgs.tasks.validate_import`` (``parallel``: see ``validate_rows``)."""
    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    if job.status != ImportStatus.VALIDATING:
        return job
    try:
        upload = check_upload(job.file_name, bytes(job.content))
        with _gc_paused():
            result = validate_rows(job.user, upload, progress, parallel=parallel)
    except UploadRefused as exc:
        job.status, job.message = ImportStatus.FAILED, exc.message
        job.save(update_fields=["status", "message"])
        return job
    except PermissionDenied as exc:
        job.status, job.message = ImportStatus.FAILED, str(exc)
        job.save(update_fields=["status", "message"])
        return job
    result.issues.sort(key=lambda i: (i.row, i.level != "error"))
    job.report = [i.as_dict() for i in result.issues[:REPORT_LIMIT]]
    job.total_rows = job.processed_rows = result.total
    job.valid_rows = len(result.rows)
    job.error_rows = len(result.error_rows)
    job.warning_rows = len(result.warning_rows)
    job.updated_rows = len(result.update_rows)
    job.unchanged_rows = len(result.unchanged_rows)
    with _gc_paused():
        job.payload = _pack(result.rows)
    job.status = ImportStatus.VALIDATED
    job.validated_at = timezone.now()
    if len(result.issues) > REPORT_LIMIT:
        job.message = f"问题较多，报告只列出前{REPORT_LIMIT}条；请先修正这些问题后重新上传。"
    # the uploaded file is not written again (it is as large as the payload and unchanged)
    job.save(update_fields=["report", "total_rows", "processed_rows", "valid_rows", "error_rows", "warning_rows",
                            "updated_rows", "unchanged_rows", "payload", "status", "validated_at", "message"])
    return job


def warned_rows(job: ImportJob) -> list[int]:
    return sorted({r["row"] for r in job.warnings})


class ApplyRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def apply_job(job: ImportJob, user, exclude: Iterable[int] = ()) -> ImportJob:
    """Write every good row of a validated job in one transaction — or nothing.

    ``exclude``: row numbers (of rows flagged as likely duplicates) the user chose not to import.
    A second apply of the same job is refused. The page hands the job to the background task
    ``cso.orgs.tasks.apply_import`` as "applying"; a direct call may apply a "validated" job.
    """
    exclude = set(exclude)
    try:
        with _gc_paused(), transaction.atomic():
            locked = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)  # the file: not needed
            if locked.status == ImportStatus.APPLIED:
                raise ApplyRefused("该文件已经导入过，不能重复导入。")
            if locked.status not in (ImportStatus.VALIDATED, ImportStatus.APPLYING):
                raise ApplyRefused(f"该导入任务当前状态为“{locked.get_status_display()}”，不能导入。")
            rows = [r for r in _unpack(locked.payload) if r["row"] not in exclude]
            if not rows:
                raise ApplyRefused("没有可导入的行。")
            updates = [r for r in rows if r.get("update")]
            new = [r for r in rows if not r.get("update")] if updates else rows
            created = _write(new, user, locked) if new else 0
            locked.updated_rows = _apply_updates(updates, user, locked) if updates else 0
            locked.status = ImportStatus.APPLIED
            locked.created_rows = created
            locked.excluded_rows = len(exclude)
            locked.applied_at = timezone.now()
            locked.applied_by = user
            locked.processed_rows = locked.total_rows
            locked.save(update_fields=["updated_rows", "status", "created_rows", "excluded_rows", "applied_at",
                                       "applied_by", "processed_rows"])
    except IntegrityError as exc:
        # another import or a clerk took a credit code or name between the re-check and the write
        raise ApplyRefused("写入时发现数据已有变化（统一社会信用代码或名称与刚登记的组织冲突），本次未导入任何数据。"
                           "请重新上传文件校验。") from exc
    return locked


def _recheck(rows: list[dict], user) -> None:
    """Scope and uniqueness may have changed since the dry run: check again, in batch."""
    scope = Scope.for_user(user)
    if scope.nothing or not responsibilities.can(user, "orgs.import"):
        raise PermissionDenied("您没有批量导入社会组织的权限。")
    problems: list[str] = []
    defaults = _defaults(Organization())  # the probes are built without Model.__init__ (≈50 µs a row)
    for r in rows:
        probe = _instance(Organization, defaults, track=r["track"], tier=r["tier"], division_id=r["division"],
                          registration_authority_division_id=r["authority"])
        if not responsibilities.can(user, "orgs.register" if r["track"] == Track.REGISTERED else "orgs.file", probe):
            problems.append(f"第{r['row']}行：您的账号无权登记（备案）该组织")
    wanted = sorted({r["division"] for r in rows})
    visible = set()
    for qs in _among(Division.objects.visible_to(user, CHANGE), "code", wanted):
        visible.update(qs.values_list("code", flat=True))
    for r in rows:
        if r["division"] not in visible:
            problems.append(f"第{r['row']}行：区划{r['division']}不在您的管辖范围内")
    live = Organization.objects.filter(status__in=LIVE_STATUSES)
    credit = sorted({r["credit_code"] for r in rows if r["credit_code"]})
    taken = set()
    for qs in _among(live, "credit_code", credit):
        taken.update(qs.values_list("credit_code", flat=True))
    names = sorted({r["name"] for r in rows})
    pairs = set()
    for qs in _among(live, "name", names):
        pairs.update(qs.values_list("track", "registration_authority_division_id", "division_id", "name"))
    reg_names = {(a, n) for t, a, _, n in pairs if t == Track.REGISTERED}
    filed_names = {(d, n) for t, _, d, n in pairs if t == Track.FILED}
    given = sorted({r["uid"] for r in rows if r.get("uid")})
    held = set()
    for qs in _among(Organization.objects.all(), "uid", given):
        held.update(qs.values_list("uid", flat=True))
    for r in rows:
        if r.get("uid") in held:
            problems.append(f"第{r['row']}行：组织标识{r['uid']}已被使用")
        if r["credit_code"] in taken:
            problems.append(f"第{r['row']}行：统一社会信用代码{r['credit_code']}已被使用")
        if r["track"] == Track.REGISTERED and (r["authority"], r["name"]) in reg_names:
            problems.append(f"第{r['row']}行：同一登记管理机关下已有同名组织")
        if r["track"] == Track.FILED and (r["division"], r["name"]) in filed_names:
            problems.append(f"第{r['row']}行：本社区已有同名备案组织")
    if problems:
        shown = "；".join(problems[:10]) + ("等" if len(problems) > 10 else "")
        raise ApplyRefused(f"校验之后数据已有变化，本次未导入任何数据：{shown}。请重新上传文件校验。")


def _write(rows: list[dict], user, job: ImportJob) -> int:
    _recheck(rows, user)
    _lock_references(rows, user)
    if connection.vendor == "postgresql":
        return _write_copy(rows, user, job)
    return _write_orm(rows, user, job)


def _apply_updates(rows: list[dict], user, job: ImportJob) -> int:
    """Write the changes of the rows that update existing organizations, each through the
    registry's services (``update_organization``, ``save_leader``): the rules, the user's right
    to change, the field history and the spans as for a change made on the organization's page.
    An organization changed since the dry run — any field of the difference no longer as it was —
    refuses the whole import (the caller's transaction writes nothing)."""
    from . import services

    reason = f"批量导入更新（文件“{job.file_name}”）"[:200]
    orgs = {o.pk: o for qs in _among(Organization.objects.select_related("division").prefetch_related(
        "categories", "service_targets", "leaders"), "id", sorted({r["update"] for r in rows})) for o in qs}
    for r in rows:
        org = orgs.get(r["update"])
        if org is None:
            raise ApplyRefused(f"第{r['row']}行对应的组织已不存在，本次未导入任何数据。请重新上传文件校验。")
        if _current(org, r["before"]) != r["before"]:
            raise ApplyRefused(f"第{r['row']}行对应的组织“{org.name}”在校验之后已被修改，本次未导入任何数据。"
                               "请重新导出或重新上传文件校验。")
        changes = dict(r["changes"])
        leader = changes.pop("leader", None)
        for key in ("registered_on", "filed_on", "founded_on"):
            if key in changes:
                changes[key] = date.fromisoformat(changes[key]) if changes[key] else None
        if "registered_capital" in changes and changes["registered_capital"] is not None:
            changes["registered_capital"] = Decimal(changes["registered_capital"])
        try:
            if changes:
                org = services.update_organization(org, changes, user, reason=reason)
            if leader is not None:
                head = _first_leader(org)
                services.save_leader(org, {"name": leader[0], "id_number": leader[1], "phone": leader[2],
                                           **({"is_party_member": leader[3]} if len(leader) > 3 else {}),
                                           "role": leader[4] if len(leader) > 4 else LeaderRole.HEAD},
                                     user, leader=head)
        except ValidationError as exc:
            raise ApplyRefused(f"第{r['row']}行（{org.name}）未能更新：{'；'.join(exc.messages)}。"
                               "本次未导入任何数据。") from exc
    return len(rows)


def _current(org: Organization, before: dict) -> dict:
    """The fields of ``before`` as they are now in ``org``, in the dry run's JSON form."""
    out = {}
    attnames = {key: attname for key, attname, _ in UPDATE_FIELDS}
    for key in before:
        if key in ("categories", "service_targets"):
            out[key] = sorted(t.pk for t in getattr(org, key).all())
        elif key == "leader":
            out[key] = _leader_list(_first_leader(org))
        else:
            out[key] = _json_value(getattr(org, _stored(attnames[key])))
    return out


def _keys(r: dict) -> tuple[str, str]:
    """The pinyin keys stored with the row by the dry run (computed again for an older payload)."""
    keys = r.get("pinyin")
    return (keys[0], keys[1]) if keys else pinyin_keys(r["name"])


_ORG_TYPES = dict(OrgType.choices)
_TIERS = dict(Tier.choices)


def _decisions(orgs: Iterable[tuple[int, dict, date]], user, job: ImportJob) -> Iterator[dict]:
    """The registry decision of each created organization — ``(id, row, start)`` — as {attname: value}: the
    registration or filing ``services.create_organization`` records, its summary naming the import file, for
    the audit log of every division above (``cso.orgs.audit``)."""
    register, file = RegistryDecision.Kind.REGISTER, RegistryDecision.Kind.FILE
    source = f"（批量导入文件“{job.file_name}”）"
    for pk, r, start in orgs:
        if r["track"] == Track.REGISTERED:
            kind, summary = register, f"登记成立“{r['name']}”（{_ORG_TYPES.get(r['org_type'], r['org_type'])}）"
        else:
            kind, summary = file, f"备案“{r['name']}”（{_TIERS.get(r['tier'], r['tier'])}）"
        yield {"organization_id": pk, "kind": kind, "summary": (summary + source)[:300], "reason": IMPORT_REASON,
               "effective_date": start, "division_id": r["division"], "authority_division_id": r["authority"],
               "recorded_by_id": user.pk}


def _write_orm(rows: list[dict], user, job: ImportJob) -> int:
    now_reason = IMPORT_REASON
    orgs: list[Organization] = []
    spans: list[OrgStateSpan] = []
    for r in rows:
        org = Organization(
            name=r["name"], track=r["track"], org_type=r["org_type"], tier=r["tier"], credit_code=r["credit_code"],
            registration_authority_id=r["registration_authority"], registration_authority_division_id=r["authority"],
            division_id=r["division"], address=r["address"],
            founded_on=date.fromisoformat(r["founded_on"]) if r["founded_on"] else None,
            registered_on=date.fromisoformat(r["registered_on"]) if r["registered_on"] else None,
            filed_on=date.fromisoformat(r["filed_on"]) if r["filed_on"] else None,
            member_count=r["member_count"],
            registered_capital=Decimal(r["registered_capital"]) if r["registered_capital"] is not None else None,
            contact_name=r["contact_name"], contact_phone=r["contact_phone"], party_building=r["party_building"],
            is_community_org=r["is_community_org"], status=Status.ACTIVE, created_by=user, import_job=job,
            **_more_fields(r),
        )
        if r.get("uid"):
            org.uid = r["uid"]
        org.name_pinyin, org.name_initials = _keys(r)
        span = first_span(org)  # pk is None: its masks are 0 until set from the row below
        span.categories_mask = r["categories_mask"]
        span.targets_mask = r["service_targets_mask"]
        orgs.append(org)
        spans.append(span)
    bulk_create_with_history(orgs, Organization, batch_size=INSERT_BATCH, default_user=user,
                             default_change_reason=now_reason)
    for span in spans:
        span.organization_id = span.organization.pk
    OrgStateSpan.objects.bulk_create(spans, batch_size=INSERT_BATCH)
    StatusChange.objects.bulk_create(
        [StatusChange(organization=o, from_status="", to_status=Status.ACTIVE, effective_date=s.valid_from,
                      reason=now_reason, recorded_by=user) for o, s in zip(orgs, spans, strict=True)],
        batch_size=INSERT_BATCH,
    )
    RegistryDecision.objects.bulk_create(
        [RegistryDecision(**d) for d in _decisions(
            ((o.pk, r, s.valid_from) for o, r, s in zip(orgs, rows, spans, strict=True)), user, job)],
        batch_size=INSERT_BATCH,
    )
    leaders = [Leader(organization=o, name=name, role=role, id_number=id_number, phone=phone, is_party_member=party,
                      order=i)
               for o, r in zip(orgs, rows, strict=True)
               for i, (name, role, id_number, phone, party) in enumerate(_leaders(r))]
    if leaders:
        bulk_create_with_history(leaders, Leader, batch_size=INSERT_BATCH, default_user=user,
                                 default_change_reason=now_reason)
    _write_m2m(orgs, rows)
    return len(orgs)


def _more_fields(r: dict) -> dict:
    """The fields beyond the first import's (older payloads lack them: their defaults)."""
    return {"supervising_unit": r.get("supervising_unit", ""), "business_scope": r.get("business_scope", ""),
            "financial_custody": r.get("financial_custody", False), "is_hub": r.get("is_hub", False),
            "tags": r.get("tags") or [], "venue_id": r.get("venue"), "incubated_by_id": r.get("incubated_by")}


def _leaders(r: dict) -> list[list]:
    """[name, role, id number, phone, party member] of a row's leaders (an older payload: its one head)."""
    if "leaders" in r:
        return r["leaders"]
    old = r.get("leader")
    return [[old[0], LeaderRole.HEAD, old[1], old[2], False]] if old else []


def _write_m2m(orgs: list[Organization], rows: list[dict]) -> None:
    """Categories and service targets, and the matching rows of their field history."""
    history_ids: dict[int, int] = {}
    ids = [o.pk for o in orgs]
    for i in range(0, len(ids), QUERY_BATCH):
        history_ids.update(Organization.history.filter(id__in=ids[i:i + QUERY_BATCH]).values_list("id", "history_id"))
    for field_name, key, term_field in (("categories", "categories", "category"),
                                        ("service_targets", "service_targets", "servicetarget")):
        through = getattr(Organization, field_name).through
        links = [through(organization_id=o.pk, **{f"{term_field}_id": pk})
                 for o, r in zip(orgs, rows, strict=True) for pk in r[key]]
        if not links:
            continue
        through.objects.bulk_create(links, batch_size=INSERT_BATCH)
        history_model = getattr(org_models, f"HistoricalOrganization_{field_name}")
        history_model.objects.bulk_create(
            [history_model(id=link.pk, organization_id=link.organization_id, history_id=history_ids[link.organization_id],  # noqa: E501
                           **{f"{term_field}_id": getattr(link, f"{term_field}_id")}) for link in links],
            batch_size=INSERT_BATCH,
        )


# --- PostgreSQL: COPY ------------------------------------------------------------------------
# The ORM path above builds about ten model instances per row and runs Django's per-value
# preparation for each; on PostgreSQL the same rows (organizations, their field history, first
# spans, initial status changes, leaders and their history, categories, service targets and their
# history rows) go in through COPY with identifiers drawn from the tables' sequences first.
def _next_ids(model, n: int) -> list[int]:
    if n == 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        # the sequence is looked up once: inside the select it would be looked up once per row
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, n])
        return [r[0] for r in cursor.fetchall()]


def _copy_plan(model, first: dict) -> tuple[str, Callable[[dict], tuple]]:
    """The COPY statement for rows given as {attname: value} with the keys of ``first`` (keys that are
    not columns are ignored; the other columns take their field's default, and an automatic primary
    key left out is drawn by the database, its identity default), and the function that turns such
    a row into the tuple of values to send."""
    fields = list(model._meta.concrete_fields)
    given = [f for f in fields if f.attname in first]
    rest = [f for f in fields if f.attname not in first and not (f.primary_key and isinstance(f, AutoField))]
    tail = tuple(json.dumps(f.get_default(), ensure_ascii=False) if isinstance(f, JSONField) else f.get_default()
                 for f in rest)
    json_at = [i for i, f in enumerate(given) if isinstance(f, JSONField)]
    names = [f.attname for f in given]
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in given + rest)

    def values(row: dict) -> tuple:
        out = pick(row) + tail
        if json_at:
            out = list(out)
            for i in json_at:
                value = out[i]
                out[i] = "[]" if value == [] else json.dumps(value, ensure_ascii=False)  # tags: mostly []
        return out

    return f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN", values


def _copy(model, values: Iterable[dict]) -> None:
    """COPY rows given as {attname: value} into the model's table (see ``_copy_plan``)."""
    values = iter(values)
    first = next(values, None)
    if first is None:
        return
    statement, convert = _copy_plan(model, first)
    # psycopg's errors become Django's (IntegrityError, …), as for any other query
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        write = copy.write_row
        for row in chain((first,), values):
            write(convert(row))


class CopyFeed:
    """The COPY data of several tables, built and formatted by a thread of its own while this thread
    sends it. The organizations' COPY waits on the server most of its time (its indexes), and the
    rows of the tables after it are built meanwhile: those COPYs then only send bytes. Everything
    is sent through this connection, in this transaction; the thread never touches the database
    (it formats with psycopg's own COPY formatter and a transformer of its own)."""

    CHUNK = 1 << 20  # bytes per message
    DEPTH = 256  # messages waiting at most (≤ 256 MB ahead of the server)
    _END = object()

    def __init__(self, tables: Iterable[tuple[object, Iterable[dict]]]):
        from psycopg._copy_base import TextFormatter  # the formatter Copy.write_row uses
        from psycopg.adapt import Transformer

        raw = connection.connection  # the psycopg connection (its adapters, its encoding)
        self._formatter = lambda: TextFormatter(Transformer(raw), encoding=raw.info.encoding)
        self._plan = {}
        self._queue: queue.Queue = queue.Queue(self.DEPTH)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._build, args=(tables,), daemon=True)
        self._thread.start()

    def _put(self, item) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _build(self, tables) -> None:  # in the thread
        try:
            for model, rows in tables:
                rows = iter(rows)
                first = next(rows, None)
                if first is None:
                    continue
                statement, convert = _copy_plan(model, first)
                self._put((model, statement))
                formatter = self._formatter()
                write, size = formatter.write_row, self.CHUNK
                buffer = bytearray()
                for row in chain((first,), rows):
                    data = write(convert(row))  # the formatter's own buffer, every 32 kB
                    if data:
                        buffer += data
                        if len(buffer) >= size:
                            self._put(buffer)
                            buffer = bytearray()
                            if self._stop.is_set():
                                return
                buffer += formatter.end()
                if buffer:
                    self._put(buffer)
                self._put(self._END)
        except BaseException as exc:  # handed to the sending thread, which raises it
            self._put(exc)
        self._put(None)

    def _next(self):
        item = self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def send(self) -> None:
        """COPY every table, in order; raises what the builder raised."""
        try:
            while (table := self._next()) is not None:
                model, statement = table
                _send_table(model, statement, iter(self._next, self._END))
        finally:
            self._stop.set()
            self._thread.join()


def _send_table(model, statement: str, chunks: Iterable[bytes]) -> None:
    """One table's COPY, of data already formatted (``CopyFeed``)."""
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for chunk in chunks:
            copy.write(chunk)


def _started_on(r: dict) -> date:
    """``Organization.started_on`` of an import row (registered: the earlier of filing and
    registration; filed: the filing date); today when unknown, as ``services.first_span``."""
    if r["track"] == Track.REGISTERED:
        days = [d for d in (r["filed_on"], r["registered_on"]) if d]
        return date.fromisoformat(min(days)) if days else date.today()
    return date.fromisoformat(r["filed_on"]) if r["filed_on"] else date.today()


def _copy_models() -> list:
    """The models whose tables the COPY path writes."""
    return [
        Organization, Organization.history.model, OrgStateSpan, StatusChange, RegistryDecision, Leader,
        Leader.history.model, Organization.categories.through, Organization.service_targets.through,
        org_models.HistoricalOrganization_categories, org_models.HistoricalOrganization_service_targets,
    ]


def _lock_references(rows: list[dict], user) -> None:
    """Hold every row the imported rows refer to outside themselves — divisions, registering bodies, the user, the
    categories and service targets — with ``FOR KEY SHARE``, as PostgreSQL's foreign-key triggers
    would, but once per referenced row rather than once per referencing row; refuse when one has
    gone since the dry run. (The job row is already locked ``FOR UPDATE`` by ``apply_job``; SQLite
    has one writer at a time and no row locks: there the rows are only looked up.)"""
    wanted = {
        Division: {r["division"] for r in rows} | {r["authority"] for r in rows if r["authority"]},
        Authority: {r["registration_authority"] for r in rows if r.get("registration_authority")},
        Category: {pk for r in rows for pk in r["categories"]},
        ServiceTarget: {pk for r in rows for pk in r["service_targets"]},
        get_user_model(): {user.pk},
    }
    qn = connection.ops.quote_name
    for model, keys in wanted.items():
        if not keys:
            continue
        if connection.vendor == "postgresql":
            # FOR KEY SHARE (what the foreign-key triggers take) blocks deleting the row or changing its
            # key, not ordinary updates of it; Django's select_for_update has no such mode.
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk} FROM {table} WHERE {pk} = ANY(%s) FOR KEY SHARE", [sorted(keys)])
                found = {r[0] for r in cursor.fetchall()}
        else:
            found = set()
            for qs in _among(model._default_manager.all(), model._meta.pk.name, sorted(keys)):
                found.update(qs.values_list("pk", flat=True))
        if found != keys:
            raise ApplyRefused(f"校验之后数据已有变化（{model._meta.verbose_name}已被删除），本次未导入任何数据。"
                               "请重新上传文件校验。")


def _may_skip_fk_triggers() -> bool:
    """Whether this connection may set ``session_replication_role`` (a superuser, or on PostgreSQL
    15+ a role granted SET on it) and the written tables carry no triggers of their own (which
    that setting would silence too)."""
    tables = [m._meta.db_table for m in _copy_models()]
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:
            cursor.execute("SELECT current_setting('is_superuser') = 'on' "
                           "OR has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])",
                       [tables])
        return cursor.fetchone()[0] == 0


def _write_copy(rows: list[dict], user, job: ImportJob) -> int:
    """COPY every row. Each of the ≈18 foreign keys per organization would queue a trigger that
    checks one referenced row at commit (≈8 s for 100,000 organizations); every reference was
    checked by the dry run and ``_recheck``, and ``_lock_references`` holds the referenced rows as
    those triggers would, so when the role may, the triggers are set aside for the COPY only
    (``SET LOCAL session_replication_role = replica``, back to ``origin`` before anything else runs
    in the transaction). Unique indexes and check constraints are enforced as always."""
    skip_triggers = _may_skip_fk_triggers()
    if skip_triggers:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    deferred = _defer_search_entries(len(rows))
    created = _copy_rows(rows, user, job)
    # On an error the transaction is rolled back, which undoes SET LOCAL too (and a statement
    # here would only hide the error behind "current transaction is aborted").
    if skip_triggers or deferred:
        with connection.cursor() as cursor:
            if skip_triggers:
                cursor.execute("SET LOCAL session_replication_role = origin")
            if deferred:
                cursor.execute("RESET gin_pending_list_limit")
    return created


# From this many new organizations the search indexes' entries wait in their pending lists.
DEFER_SEARCH_ROWS = 5000


def _defer_search_entries(n: int) -> bool:
    """The three trigram indexes of the search (name, pinyin, initials; GIN) take their new entries
    into a pending list and merge it into the index each time it outgrows
    ``gin_pending_list_limit`` (4 MB by default): for 100,000 organizations that is many merges
    inside the COPY, about half of its time on the server. For a large import the limit is raised
    for this transaction only, so the entries wait in the list (searches read it as part of the
    index: nothing is missing from any search) and are merged in one pass after the commit by the
    background task ``cso.orgs.tasks.merge_search_entries`` (or by autovacuum, which does the same).
    Returns whether it did so."""
    if n < DEFER_SEARCH_ROWS:
        return False
    limit_kb = min(2_097_151, max(8192, 4 * n))  # ≈4 kB a row is ample; the setting allows 2 GB at most
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL gin_pending_list_limit = {int(limit_kb)}")
    transaction.on_commit(_merge_search_entries_later)
    return True


def _merge_search_entries_later() -> None:
    from . import tasks  # the task module imports this one

    try:
        tasks.merge_search_entries.enqueue()
    except Exception:  # the import is committed; autovacuum merges the entries in any case
        logger.exception("could not queue the merge of the search indexes' pending entries")


def merge_search_entries() -> int:
    """Merge the pending entries of the organizations' GIN indexes into the indexes (what
    autovacuum does for them); returns the pages merged. PostgreSQL only; elsewhere nothing."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(gin_clean_pending_list(i.indexrelid)), 0) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'", [Organization._meta.db_table])
        return int(cursor.fetchone()[0])


def _uids(n: int) -> list[str]:
    """``n`` identifiers as ``validators.generate_uid`` makes them (50 random bits each, the same
    alphabet), with the 1,024 two-character pieces looked up instead of built per character."""
    v = org_models.validators
    alphabet = v.UID_ALPHABET
    pairs = [a + b for b in alphabet for a in alphabet]  # index: low 5 bits → first character
    head = f"ZZ{date.today().year:04d}"
    width = 5 * v.UID_RANDOM_LENGTH
    draw = secrets.randbits
    out = []
    for _ in range(n):
        bits = draw(width)
        out.append(head + "".join(pairs[(bits >> shift) & 1023] for shift in range(0, width, 10)))
    return out


def _copy_rows(rows: list[dict], user, job: ImportJob) -> int:
    reason = IMPORT_REASON
    # the time and the dates as the text COPY sends (``str()``: byte for byte what psycopg's dumpers
    # write): psycopg would format the same datetime once per row and column (≈1 µs each, 800,000
    # times for 100,000 organizations)
    now = str(timezone.now())
    n = len(rows)
    # The identifiers other rows refer to are drawn first (the connection is busy with the COPYs
    # afterwards); the spans, status changes, decisions, leaders' history and m2m history rows are
    # referred to by nothing written here: the database draws theirs as the rows arrive.
    org_ids = _next_ids(Organization, n)
    history_ids = _next_ids(Organization.history.model, n)
    leaders_of = [_leaders(r) for r in rows]
    leader_ids = _next_ids(Leader, sum(map(len, leaders_of)))
    terms = (("categories", "category"), ("service_targets", "servicetarget"))
    link_ids = {f: _next_ids(getattr(Organization, f).through, sum(len(r[f]) for r in rows)) for f, _ in terms}
    uids = _uids(n)

    def tables():  # run by the CopyFeed's thread: no database here
        orgs: list[dict] = []

        def org_rows():
            for pk, r, new_uid in zip(org_ids, rows, uids, strict=True):
                pinyin, initials = _keys(r)
                org = {
                    "id": pk, "uid": r.get("uid") or new_uid, "name": r["name"], "name_pinyin": pinyin,
                    "name_initials": initials, "track": r["track"], "org_type": r["org_type"], "tier": r["tier"],
                    "credit_code": r["credit_code"], "registration_authority_id": r["registration_authority"],
                    "registration_authority_division_id": r["authority"], "division_id": r["division"],
                    "address": r["address"], "founded_on": r["founded_on"], "registered_on": r["registered_on"],
                    "filed_on": r["filed_on"], "member_count": r["member_count"],
                    "registered_capital": r["registered_capital"], "contact_name": r["contact_name"],
                    "contact_phone": r["contact_phone"], "party_building": r["party_building"],
                    "is_community_org": r["is_community_org"], "status": Status.ACTIVE, "created_by_id": user.pk,
                    "created_at": now, "updated_at": now, "import_job_id": job.pk, **_more_fields(r),
                }
                orgs.append(org)
                yield org

        yield Organization, org_rows()
        yield Organization.history.model, (  # the fields history does not track are left out by _copy_plan
            {**o, "history_id": hid, "history_date": now, "history_change_reason": reason, "history_type": "+",
             "history_user_id": user.pk}
            for o, hid in zip(orgs, history_ids, strict=True))
        starts = [str(_started_on(r)) for r in rows]
        yield OrgStateSpan, (
            {"organization_id": pk, "valid_from": start, "valid_to": None, "status": Status.ACTIVE,
             "division_id": r["division"], "track": r["track"], "org_type": r["org_type"], "tier": r["tier"],
             "is_community_org": r["is_community_org"], "party_building": r["party_building"],
             "is_incubated": r.get("incubated_by") is not None, "is_hub": r.get("is_hub") or "联合会" in r["name"],
             "categories_mask": r["categories_mask"],
             "targets_mask": r["service_targets_mask"]}
            for pk, r, start in zip(org_ids, rows, starts, strict=True))
        yield StatusChange, (
            {"organization_id": pk, "from_status": "", "to_status": Status.ACTIVE,
             "effective_date": start, "reason": reason, "recorded_by_id": user.pk, "recorded_at": now}
            for pk, start in zip(org_ids, starts, strict=True))
        yield RegistryDecision, (
            {**d, "recorded_at": now} for d in _decisions(zip(org_ids, rows, starts, strict=True), user, job))
        with_leader = [(pk, i, leader) for pk, of in zip(org_ids, leaders_of, strict=True)
                       for i, leader in enumerate(of)]
        leaders = [{"id": lid, "organization_id": pk, "name": name, "id_number": id_number, "phone": phone,
                    "role": role, "order": i, "is_party_member": party}
                   for lid, (pk, i, (name, role, id_number, phone, party)) in zip(leader_ids, with_leader,
                                                                                    strict=True)]
        yield Leader, leaders
        yield Leader.history.model, (
            {**leader, "history_date": now, "history_change_reason": reason, "history_type": "+",
             "history_user_id": user.pk}
            for leader in leaders)
        org_history = dict(zip(org_ids, history_ids, strict=True))
        for field_name, term_field in terms:
            pairs = [(pk, term) for pk, r in zip(org_ids, rows, strict=True) for term in r[field_name]]
            links = [{"id": lid, "organization_id": pk, f"{term_field}_id": term}
                     for lid, (pk, term) in zip(link_ids[field_name], pairs, strict=True)]
            yield getattr(Organization, field_name).through, links
            yield getattr(org_models, f"HistoricalOrganization_{field_name}"), (
                {**link, "history_id": org_history[link["organization_id"]]} for link in links)

    CopyFeed(tables()).send()
    return n
