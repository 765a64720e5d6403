"""Parse the free-text 抽查比例和频次 of a plan item into a sampling rule, and size a draw from it.

The texts come from real plans and prose rules, e.g. ``全年抽查比例不低于5%，每年抽查1次``,
``30%/3户``, ``每半年1-2次``, ``按大型群众性活动实际执行``, ``抽查面不超过5%/年``.
A text we cannot understand is reported (``parsed=False`` with a Chinese ``problem``);
nothing is ever guessed.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

MIN, EXACT, MAX = "min", "exact", "max"

# Chinese numerals seen for small counts (一次, 两户, 十二家).
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "[零一二两三四五六七八九十]+"
_NUM = rf"(?:\d+|{_CN_NUM})"
_RANGE_SEP = r"\s*(?:-|~|—|–|―|至|到)\s*"

# How many rounds a year one "每<period>" stands for.
_PERIODS = {"年": 1, "半年": 2, "季度": 4, "季": 4, "两个月": 6, "二个月": 6, "月": 12, "个月": 12}
_PERIOD_RE = "|".join(sorted((re.escape(p) for p in _PERIODS), key=len, reverse=True))
_ROUNDS_RE = re.compile(
    rf"每(?P<period>{_PERIOD_RE})(?P<filler>[^,;。:\d%次]{{0,16}}?)"
    rf"(?P<n>{_NUM})(?:{_RANGE_SEP}(?P<n2>{_NUM}))?\s*次"
)
# A minus sign before a number (not a range dash after one: "5%-10%") makes it negative.
_NEGATIVE = r"(?:(?<![\d%.])(?P<neg>[-−])\s*)?"
_PERCENT_RE = re.compile(_NEGATIVE + r"(?P<num>\d+(?:\.\d+)?)\s*%")
_CN_PERCENT_RE = re.compile(rf"百分之(?P<num>{_CN_NUM})")
# A fixed count: "10户", "两家"; "个" only when it is not "两个月".
_COUNT_RE = re.compile(_NEGATIVE + rf"(?P<n>{_NUM})\s*(?P<unit>户|家|个(?!月|\s*\d)|所|处)")
_PER_EVENT_RE = re.compile(r"实际(?:执行|情况执行|需要执行)")
_ALL_RE = re.compile(r"所有|全部|全面检查|全市|全县|全区|全覆盖")

_MIN_WORDS = ("不低于", "不少于", "至少", "最少", "以上")
_MAX_WORDS = ("不超过", "不高于", "不多于", "最多", "至多", "以内", "以下")


def _cn_to_int(text: str) -> int | None:
    """A digit string or a Chinese numeral below 100 as an int; None when it is neither."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _format_percent(ratio: float) -> str:
    value = Fraction(str(ratio)) * 100
    return f"{value.numerator}%" if value.denominator == 1 else f"{float(value):g}%"


@dataclass(frozen=True)
class SamplingRule:
    """抽查比例和频次 — how many objects an item draws, and how often a year.

    ``30%/3户`` gives ratio 0.3 *and* count 3. We read it as "30% of the eligible objects,
    but no fewer than 3": the sample is ``max(ceil(0.3·n), 3)``, capped at n. The count
    is the floor that keeps small rosters meaningfully inspected; the ratio governs
    large ones. The same rule applies to any text stating both a ratio and a count.
    """

    ratio: float | None = None
    ratio_kind: str | None = None
    count: int | None = None
    rounds_min: int | None = None
    rounds_max: int | None = None
    per_event: bool = False
    parsed: bool = False
    problem: str | None = None
    count_unit: str = "户"
    # 差异化抽查 by ratio per risk level ("高风险30%，中风险10%，低风险3%"): (level, ratio) pairs; the draw
    # stratifies by level and takes each level's share of that level's eligible objects.
    risk_ratios: tuple[tuple[str, float], ...] = ()

    @property
    def full_coverage(self) -> bool:
        """Every eligible object, each round ("对本市所有…每半年至少1次", "全市…每年1次", "100%")."""
        return (self.parsed and not self.per_event and not self.risk_ratios and self.count is None
                and self.ratio == 1.0 and self.ratio_kind != MAX)

    def rounds_per_year(self) -> int | None:
        """Rounds a year a plan must at least carry out; None when the text does not say."""
        return self.rounds_min

    def fixes_size(self) -> bool:
        """True when the rule itself sets how many objects to draw (a ratio or a count)."""
        return self.parsed and not self.per_event and (self.ratio is not None or self.count is not None
                                                       or bool(self.risk_ratios))

    def describe(self) -> str:
        """A short Chinese summary for tables and print-outs."""
        if not self.parsed:
            return f"无法识别：{self.problem}"
        if self.per_event:
            return "按实际活动执行"
        parts: list[str] = []
        if self.risk_ratios:
            parts.append("、".join(f"{level}{_format_percent(r)}" for level, r in self.risk_ratios))
        if self.ratio is not None:
            sign = {MIN: "≥", MAX: "≤"}.get(self.ratio_kind or "", "")
            parts.append(f"比例{sign}{_format_percent(self.ratio)}")
        if self.count is not None:
            if self.ratio is not None:
                parts[-1] += f"且不少于{self.count}{self.count_unit}"
            else:
                parts.append(f"固定{self.count}{self.count_unit}")
        lo, hi = self.rounds_min, self.rounds_max
        if lo is not None and hi is not None:
            parts.append(f"每年{lo}次" if lo == hi else f"每年{lo}-{hi}次")
        elif lo is not None:
            parts.append(f"每年至少{lo}次")
        elif hi is not None:
            parts.append(f"每年至多{hi}次")
        return "，".join(parts)


def _unparsed(problem: str) -> SamplingRule:
    return SamplingRule(parsed=False, problem=problem)


def _qualifier(before: str, after: str) -> str:
    """min/max/exact from the words just before and after a number, within its clause."""
    # Another number or clause in between means the word qualifies that one, not ours.
    clause = re.split(r"[,;。:%\d次]", before)[-1]
    tail = after[:3]
    if any(w in clause for w in _MAX_WORDS) or any(tail.startswith(w) for w in _MAX_WORDS):
        return MAX
    if any(w in clause for w in _MIN_WORDS) or any(tail.startswith(w) for w in _MIN_WORDS):
        return MIN
    return EXACT


def _parse_rounds(text: str) -> tuple[int | None, int | None, str | None, tuple[int, int] | None]:
    """(rounds_min, rounds_max, problem, span of the match) for the first "每<period>…N次"."""
    m = _ROUNDS_RE.search(text)
    if not m:
        return None, None, None, None
    per = _PERIODS[m.group("period")]
    n = _cn_to_int(m.group("n"))
    n2 = _cn_to_int(m.group("n2")) if m.group("n2") else None
    if n is None or (m.group("n2") and n2 is None):
        return None, None, f"频次“{m.group(0)}”中的次数无法识别", m.span()
    if n2 is not None:
        if n2 < n or n == 0:
            return None, None, f"频次范围“{m.group(0)}”不合理", m.span()
        return n * per, n2 * per, None, m.span()
    if n == 0:
        return None, None, f"频次“{m.group(0)}”为0次", m.span()
    kind = _qualifier(text[: m.start()] + m.group("filler"), text[m.end():])
    if kind == MIN:
        return n * per, None, None, m.span()
    if kind == MAX:
        return None, n * per, None, m.span()
    return n * per, n * per, None, m.span()


# A ratio per risk level: "高风险30%" "中风险企业10%" (the longer level names first, so 中低风险 is not read as 低风险).
_RISK_RATIO_RE = re.compile(r"(?P<level>中低风险|高风险|中风险|低风险)[^\d%，,；;、。]{0,6}?(?P<num>\d+(?:\.\d+)?)\s*%")


def _parse_risk_ratios(text: str) -> tuple[tuple[tuple[str, float], ...], str, str | None]:
    """((level, ratio) …, the text without them, problem) for 差异化 ratios stated per risk level."""
    found: dict[str, Fraction] = {}
    for m in _RISK_RATIO_RE.finditer(text):
        level, ratio = m.group("level"), Fraction(m.group("num")) / 100
        if level in found and found[level] != ratio:
            return (), text, f"{level}有两个不同的抽查比例，无法确定以哪个为准"
        if ratio <= 0 or ratio > 1:
            return (), text, f"{level}的抽查比例{float(ratio * 100):g}%超出0%～100%的范围"
        found[level] = ratio
    if not found:
        return (), text, None
    order = ("高风险", "中风险", "中低风险", "低风险")
    pairs = tuple((level, float(found[level])) for level in order if level in found)
    return pairs, _RISK_RATIO_RE.sub(" ", text), None


def _parse_ratio(text: str) -> tuple[Fraction | None, str | None, str | None]:
    """(ratio, kind, problem) from the percentages in the text."""
    found: list[tuple[Fraction, str]] = []
    for m in _PERCENT_RE.finditer(text):
        if m.group("neg"):
            return None, None, f"抽查比例“{m.group(0).strip()}”是负数，应在0%～100%之间"
        found.append((Fraction(m.group("num")) / 100, _qualifier(text[: m.start()], text[m.end():])))
    for m in _CN_PERCENT_RE.finditer(text):
        value = _cn_to_int(m.group("num"))
        if value is None:
            return None, None, f"比例“{m.group(0)}”无法识别"
        found.append((Fraction(value, 100), _qualifier(text[: m.start()], text[m.end():])))
    if not found:
        if "%" in text or "百分之" in text:
            return None, None, "比例中的百分数无法识别"
        return None, None, None
    if len({r for r, _ in found}) > 1:
        return None, None, "包含多个不同的抽查比例，无法确定以哪个为准"
    ratio, kind = found[0]
    if ratio <= 0 or ratio > 1:
        return None, None, f"抽查比例{float(ratio * 100):g}%超出0%～100%的范围"
    return ratio, kind, None


def parse_rule(text: str) -> SamplingRule:
    """The sampling rule stated by a 抽查比例和频次 text; ``parsed=False`` with a reason if unclear."""
    raw = (text or "").strip()
    if not raw:
        return _unparsed("抽查比例和频次为空")
    norm = unicodedata.normalize("NFKC", raw)
    if _PER_EVENT_RE.search(norm) and not _PERCENT_RE.search(norm):
        return SamplingRule(per_event=True, parsed=True)

    rounds_min, rounds_max, problem, span = _parse_rounds(norm)
    if problem:
        return _unparsed(problem)
    # Numbers inside the frequency ("1次") must not be read again as a count.
    rest = norm if span is None else norm[: span[0]] + " " + norm[span[1]:]

    risk_ratios, rest, problem = _parse_risk_ratios(rest)
    if problem:
        return _unparsed(problem)
    ratio, kind, problem = _parse_ratio(rest)
    if problem:
        return _unparsed(problem)
    count = None
    unit = "户"
    counts = [(m, _cn_to_int(m.group("n"))) for m in _COUNT_RE.finditer(rest)]
    negative = next((m for m, _ in counts if m.group("neg")), None)
    if negative is not None:
        return _unparsed(f"抽查户数“{negative.group(0).strip()}”是负数")
    if counts:
        if len({c for _, c in counts}) > 1 or counts[0][1] is None:
            return _unparsed("包含多个不同的抽查户数，无法确定以哪个为准")
        count, unit = counts[0][1], counts[0][0].group("unit")
        if count == 0:
            return _unparsed("抽查户数为0")

    if ratio is None and count is None and not risk_ratios and _ALL_RE.search(rest):
        ratio, kind = Fraction(1), EXACT  # "对所有…每年抽查1次" inspects every object

    if ratio is None and count is None and not risk_ratios and rounds_min is None and rounds_max is None:
        return _unparsed(f"未找到抽查比例、户数或频次（原文“{raw}”）")
    return SamplingRule(
        ratio=float(ratio) if ratio is not None else None,
        ratio_kind=kind if ratio is not None else None,
        count=count,
        rounds_min=rounds_min,
        rounds_max=rounds_max,
        per_event=False,
        parsed=True,
        problem=None,
        count_unit=unit,
        risk_ratios=risk_ratios,
    )


def sample_size(rule: SamplingRule, eligible: int) -> int:
    """How many of ``eligible`` objects one round of the item draws.

    - ratio ("min"/"exact"): rounded up, in exact arithmetic (5% of 41 → 3, 5% of 100 → 5);
    - ratio "max" (不超过5%): rounded down, but at least 1;
    - count: that many; ratio and count together: the larger of the two (see SamplingRule);
    - per_event (按…实际执行): 0 — the clerk sets the number for each event;
    - frequency only (每年2次): 1, the least any draw may take; ``rule.fixes_size()`` is
      False so callers can ask the clerk for a number instead;
    - always at least 1 and never more than eligible; 0 when nothing is eligible.
    Raises ValueError with the Chinese problem when the rule was not understood.
    """
    if not rule.parsed:
        raise ValueError(rule.problem or "抽查比例和频次无法识别")
    if eligible <= 0 or rule.per_event:
        return 0
    size = 1
    if rule.risk_ratios:   # the levels' own counts are not known here: the highest share, an upper estimate
        size = max(size, math.ceil(Fraction(str(max(r for _, r in rule.risk_ratios))) * eligible))
    if rule.ratio is not None:
        exact = Fraction(str(rule.ratio)) * eligible
        by_ratio = math.floor(exact) if rule.ratio_kind == MAX else math.ceil(exact)
        size = max(size, by_ratio)
    if rule.count is not None:
        size = max(size, rule.count)
    return min(size, eligible)
