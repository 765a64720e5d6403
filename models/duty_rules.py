"""Read a routine duty (日常巡查) out of the seed's own sentences, as plan ratios are read (models/plan_rules.py).

The sentences are regular enough to be read, never guessed:

- ``旅馆业要求每月对辖区所有旅馆进行1次监督检查`` → 旅馆, 每月, 1次, all objects;
- ``印章、典当业每季度不少于1次`` → 公章刻制 and 典当行, 每季度, 1次;
- ``每季不少于1次全面检查`` (with the object type given beside it) → 每季度, 1次;
- ``专项督察：每年不少于4次，抽查面每次不少于30%`` → four rounds a year over 30% each: 每季度, 1次, 30%.

An industry word becomes a roster object type through a small explicit table (INDUSTRY_TYPES), or
matches a type the roster already has by its exact name. A sentence without a frequency, or with a
frequency but no object type, is refused naming what was not understood.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from models.errors import UserError
from models.plan_rules import _cn_to_int
from models.supervision import DUTY_PERIODS

__all__ = ["DutyRuleError", "ParsedDuty", "INDUSTRY_TYPES", "parse_duties", "parse_period", "parse_share",
           "duty_text"]


class DutyRuleError(UserError, ValueError):
    """A duty sentence (or cell) that cannot be read; the Chinese message names the part not understood."""


# Industry words of the seeds -> roster object type (models.roster.DEFAULT_OBJECT_TYPES where one fits;
# the traffic police's kinds of unit are types of their own, created when a duty names them).
INDUSTRY_TYPES: dict[str, str] = {
    "旅馆业": "旅馆", "旅馆": "旅馆", "宾馆": "旅馆", "酒店": "旅馆",
    "印章刻制": "公章刻制", "公章刻制": "公章刻制", "印章业": "公章刻制", "印章": "公章刻制", "公章": "公章刻制",
    "刻章": "公章刻制",
    "典当业": "典当行", "典当行": "典当行", "典当": "典当行",
    "收购废旧金属": "废旧金属收购", "废旧金属收购": "废旧金属收购", "废旧金属": "废旧金属收购",
    "银行业金融机构": "金融机构营业场所", "金融机构营业场所": "金融机构营业场所", "金融机构": "金融机构营业场所",
    "银行": "金融机构营业场所",
    "互联网上网服务营业场所": "网吧", "网吧": "网吧",
    "保安从业单位": "保安服务公司", "保安服务公司": "保安服务公司",
    "娱乐场所": "娱乐场所",
    "互联网联网单位": "互联网联网单位", "联网单位": "互联网联网单位",
    "寄递物流": "寄递物流企业",
    "两客一危": "两客一危企业",
    "公共交通运输企业": "公共交通运输企业",
    "校车服务机构": "校车服务机构",
    "学校或幼儿园": "使用校车的学校或幼儿园", "校车学校": "使用校车的学校或幼儿园",
    "重点车辆单位": "重点车辆单位",
    "公路客运场站": "公路客运场站",
    "机动车检验机构": "机动车检验机构",
}

# "每<period>" words -> DUTY_PERIODS key.
_PERIOD_WORDS = {"月": "每月", "个月": "每月", "一个月": "每月", "两个月": "每两个月", "二个月": "每两个月",
                 "季度": "每季度", "季": "每季度", "一季度": "每季度", "半年": "每半年", "年": "每年", "年度": "每年"}
_PERIOD_ALT = "|".join(sorted(map(re.escape, _PERIOD_WORDS), key=len, reverse=True))
_NUM = r"(?:\d+|[一二两三四五六七八九十]+)"
_MIN = r"(?:不少于|不低于|至少|最少)"
_MAX = r"(?:不超过|不多于|不高于|最多|至多)"
# 每季度不少于1次 / 每月对辖区所有旅馆进行1次 / 每两个月检查一次 / 巡查频次每年不少于1次
_FREQ = re.compile(rf"每(?P<period>{_PERIOD_ALT})(?P<filler>[^，,。；;：:\d每%]{{0,20}}?)"
                   rf"(?P<max>{_MAX})?\s*(?P<n>{_NUM})\s*次")
_PERIOD_ONLY = re.compile(rf"每(?P<period>{_PERIOD_ALT})")
_SHARE = re.compile(rf"(?P<max>{_MAX})?\s*(?P<num>\d+(?:\.\d+)?)\s*%")
_ALL = re.compile(r"所有|全部|全体")


@dataclass(frozen=True)
class ParsedDuty:
    """One duty read from a sentence: the roster type's name, the period (a DUTY_PERIODS key), checks per
    object per period, and the share of the objects (100: all)."""

    type_name: str
    period: str
    times: int
    share_percent: int


def duty_text(period: str, times: int, share_percent: int) -> str:
    """The duty in words: 每月1次，全部对象 / 每年4次，抽查不少于30%."""
    share = "全部对象" if share_percent >= 100 else f"抽查不少于{share_percent}%"
    return f"{period}{times}次，{share}"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_period(text: str) -> str:
    """每月 / 每两个月 / 每季度 / 每半年 / 每年 from a cell ("每季", "季度", "每月至少一次" …)."""
    norm = _norm(text)
    if norm in DUTY_PERIODS:
        return norm
    m = _PERIOD_ONLY.search(norm) or re.fullmatch(rf"(?P<period>{_PERIOD_ALT})", norm)
    if not m:
        raise DutyRuleError(f"频次“{text}”无法识别：应为{'、'.join(DUTY_PERIODS)}之一")
    return _PERIOD_WORDS[m.group("period")]


def parse_share(text: str) -> int:
    """抽查面 from a cell: "30%", "30", "全部" / "" (all) → 30, 30, 100, 100."""
    norm = _norm(text).replace("％", "%")
    if not norm or _ALL.fullmatch(norm) or norm in ("100%", "100"):
        return 100
    m = re.fullmatch(r"(?:不少于|不低于|至少)?\s*(\d+(?:\.\d+)?)\s*%?", norm)
    if not m:
        raise DutyRuleError(f"比例“{text}”无法识别：应为百分数（例如 30%），或“全部”")
    value = float(m.group(1))
    if not value.is_integer() or not 1 <= value <= 100:
        raise DutyRuleError(f"比例“{text}”应为 1%～100% 之间的整数百分比")
    return int(value)


def _count(m: re.Match, sentence: str) -> int:
    if m.group("max"):
        raise DutyRuleError(f"“{m.group(0)}”是上限（{m.group('max')}），不是巡查要求：请写明至少检查几次")
    n = _cn_to_int(m.group("n"))
    if not n:
        raise DutyRuleError(f"“{m.group(0)}”中的次数无法识别")
    return n


def _rounds(period: str, times: int, share: int) -> tuple[str, int]:
    """专项督察 "每年不少于4次，抽查面每次不少于30%": four rounds a year, each over 30% of the objects, is
    each quarter 30% once (not 30% of the objects four times each); kept as stated when no period fits."""
    if share >= 100 or times == 1:
        return period, times
    months = DUTY_PERIODS[period]
    if months % times:
        return period, times
    shorter = next((p for p, m in DUTY_PERIODS.items() if m == months // times), None)
    return (shorter, 1) if shorter else (period, times)


def _share_in(text: str) -> int | None:
    found = list(_SHARE.finditer(text))
    if not found:
        return None
    values = {m.group("num") for m in found}
    if len(values) > 1:
        raise DutyRuleError(f"包含多个不同的比例（{'、'.join(m.group(0).strip() for m in found)}），无法确定以哪个为准")
    m = found[0]
    if m.group("max"):
        raise DutyRuleError(f"比例“{m.group(0).strip()}”是上限，不是巡查要求")
    return parse_share(m.group("num") + "%")


def _types_in(text: str, known: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, type name) of each industry word, longest words first, none read twice."""
    table = dict(INDUSTRY_TYPES)
    for name in known:
        table.setdefault(name, name)
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for word in sorted(table, key=len, reverse=True):
        for m in re.finditer(re.escape(word), text):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), table[word]))
    return sorted(found)


def parse_duties(text: str, type_name: str | None = None, known_types: tuple[str, ...] = ()) -> list[ParsedDuty]:
    """The duties a sentence states, in order; raises DutyRuleError naming what was not understood.

    With ``type_name`` (the object type given beside the sentence, e.g. in an import's 对象类型 column)
    the sentence need only say how often; it must then state exactly one frequency. Without it each
    frequency applies to the industries named before it (``印章、典当业每季度不少于1次`` → two duties),
    and a share (``抽查面每次不少于30%``) to the frequency it follows or precedes in the same clause run.
    """
    raw = (text or "").strip()
    norm = _norm(raw)
    if not norm:
        raise DutyRuleError("巡查要求为空：请写明检查对象和频次，例如“旅馆业每月对辖区所有旅馆进行1次监督检查”")
    freqs = list(_FREQ.finditer(norm))
    if not freqs:
        if _PERIOD_ONLY.search(norm):
            raise DutyRuleError(f"“{raw}”中未写明每期检查几次（例如“每月1次”“每季度不少于1次”）")
        raise DutyRuleError(f"“{raw}”中没有可识别的检查频次（应含{'、'.join(DUTY_PERIODS)}及次数，例如“每月1次”）")
    if type_name is not None:
        if len(freqs) > 1:
            raise DutyRuleError(f"“{raw}”包含{len(freqs)}个频次（{'、'.join(f.group(0) for f in freqs)}），"
                                "一个对象类型只能对应一个频次，请分行填写")
        m = freqs[0]
        share = _share_in(norm[: m.start()] + " " + norm[m.end():])
        share = 100 if share is None else share
        period, times = _rounds(_PERIOD_WORDS[m.group("period")], _count(m, raw), share)
        return [ParsedDuty(type_name, period, times, share)]

    types = _types_in(norm, tuple(known_types))
    duties: list[ParsedDuty] = []
    skipped: list[str] = []
    start = 0
    for i, m in enumerate(freqs):
        # Industries between the previous frequency and this one's end belong to it, within its sentence:
        # "…对印章、旅馆、典当等…日常监督检查。其中旅馆业要求每月…" gives the month to the hotels only.
        stop = max((norm.rfind(mark, start, m.start()) for mark in "。；;"), default=-1)
        if stop >= start:
            skipped += [name for pos, name in types if start <= pos < stop]
            start = stop + 1
        names = list(dict.fromkeys(name for pos, name in types if start <= pos < m.end()))
        if not names:
            before = norm[start:m.start()].strip("，,。；;：: ") or norm[:m.start()].strip("，,。；;：: ")
            what = f"“{before}”" if before else "频次前"
            raise DutyRuleError(f"{what}中没有可识别的检查对象类型（频次“{m.group(0)}”对谁而言？）。"
                                f"可识别的行业如：旅馆、印章、典当、废旧金属、银行业金融机构、两客一危")
        nxt = freqs[i + 1].start() if i + 1 < len(freqs) else len(norm)
        # The share stated after this frequency, up to the next industry or frequency.
        next_type = next((pos for pos, _n in types if pos >= m.end()), len(norm))
        share = _share_in(norm[start:m.start()] + " " + norm[m.end():min(nxt, next_type)])
        share = 100 if share is None else share
        period, times = _rounds(_PERIOD_WORDS[m.group("period")], _count(m, raw), share)
        duties.extend(ParsedDuty(name, period, times, share) for name in names)
        start = m.end()
    stated = {d.type_name for d in duties}
    leftover = list(dict.fromkeys([n for n in skipped if n not in stated]
                                  + [name for pos, name in types if pos >= start]))
    if leftover:
        raise DutyRuleError(f"“{'、'.join(leftover)}”之后没有写明检查频次")
    return duties
