"""Split an item's 抽查内容 text into checklist entries, one per numbered or ；-separated point."""
from __future__ import annotations

import re

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九十]{1,3}"
_DIGITS = "[0-9０-９]{1,2}"
# A bare number only counts at the start of the text or after a space or punctuation, so
# that "第19条", "第二、三类" and "GA38-2021" never split; "（1）" and "①" delimit themselves.
_BOUNDARY = r"(?:^|(?<=[\s；;，,。：:！!？?]))"
_STYLES = [
    re.compile(rf"{_BOUNDARY}(?P<n>{_DIGITS})\s*(?:、|[.．](?![0-9０-９]))"),  # 1、 1. (not 1.5)
    re.compile(rf"[（(]\s*(?P<n>{_DIGITS}|{_CN})\s*[）)]"),          # （1） (一)
    re.compile(r"(?P<n>[\u2460-\u2473])"),                                           # ① … ⑳
    re.compile(rf"{_BOUNDARY}(?P<n>{_CN})、"),                                    # 一、
]
_TRIM = " \t\r\n\u3000；;，,、。"
# A line break or space between two Chinese characters is a layout artefact of the source.
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _number(token: str) -> int | None:
    if "\u2460" <= token <= "\u2473":
        return ord(token) - 0x2460 + 1
    token = token.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if token.isdigit():
        return int(token)
    if "十" not in token:
        return _CN_DIGITS.get(token) if len(token) == 1 else None
    tens, _, ones = token.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _sequence(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The markers of this style that count 1, 2, 3 … in order; stray numbers are skipped."""
    accepted: list[re.Match[str]] = []
    for m in pattern.finditer(text):
        if _number(m.group("n")) == len(accepted) + 1:
            accepted.append(m)
    return accepted


def _clean(entry: str) -> str:
    return _CJK_GAP.sub("", entry.strip(_TRIM)).strip(_TRIM)


def split_checklist(text: str) -> list[str]:
    """The separate points of a 抽查内容 cell, numbering stripped; [] for empty text.

    Numbered lists ("1、…", "1. …", "（1）…", "①…", "一、…") win over "；"-separated text;
    a numbered point keeps its inner "；". Text before the first number is kept as an entry
    unless it is a lead-in ending with a colon ("检查内容：").
    """
    if not text or not text.strip():
        return []
    best: list[re.Match[str]] = []
    for pattern in _STYLES:
        found = _sequence(pattern, text)
        if len(found) > len(best) or (found and len(found) == len(best) and found[0].start() < best[0].start()):
            best = found
    entries: list[str] = []
    if best:
        lead = text[: best[0].start()].strip()
        if lead and not lead.endswith((":", "：")):
            entries.append(lead)
        bounds = [m.end() for m in best]
        ends = [m.start() for m in best[1:]] + [len(text)]
        entries.extend(text[b:e] for b, e in zip(bounds, ends))
    else:
        entries = re.split(r"[；;\n]", text)
    return [c for c in (_clean(e) for e in entries) if c]
