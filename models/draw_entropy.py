"""What counts as entropy for a draw (现场随机数): the same rules for the screen and the command line.

An entry may carry a kind prefix (``现场报数：``, ``骰子点数：``, ``公开来源：``) as the screen writes
it; the prefix decides the rule for the rest. The whole set must hold at least MIN_SIGNIFICANT
letters or digits, so "1" or an empty line cannot stand for a witnessed draw.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from models.draw_engine import DrawError, normalise_entropy

KIND_NUMBERS, KIND_DICE, KIND_PUBLIC, KIND_OTHER = "现场报数", "骰子点数", "公开来源", "其他"
KINDS = (KIND_NUMBERS, KIND_DICE, KIND_PUBLIC, KIND_OTHER)
MIN_SIGNIFICANT = 3
_SEPARATORS = r"[\s,，、]"


def entry_problem(kind: str, text: str) -> str | None:
    """Why one entry of *kind* is refused (Chinese), or None."""
    text = text.strip()
    if not text:
        return "请先输入内容"
    if kind == KIND_DICE and not re.fullmatch(rf"[1-6](?:{_SEPARATORS}*[1-6])*", text):
        return "骰子点数只能是 1 至 6 的数字"
    if kind == KIND_NUMBERS and not re.fullmatch(rf"\d+(?:{_SEPARATORS}+\d+)*", text):
        return "现场报数只能是数字（可用空格分隔）"
    if kind == KIND_PUBLIC and not re.search(r"\d", text):
        return "公开来源须写明日期和结果"
    return None


def entry_text(kind: str, text: str) -> str:
    """The entry as recorded: white space collapsed and, except for 其他, the kind in front."""
    text = " ".join(text.split())
    return text if kind == KIND_OTHER else f"{kind}：{text}"


def _split_kind(entry: str) -> tuple[str, str]:
    for kind in (KIND_NUMBERS, KIND_DICE, KIND_PUBLIC):
        for colon in ("：", ":"):
            if entry.startswith(kind + colon):
                return kind, entry[len(kind) + 1:]
    return KIND_OTHER, entry


def unassigned_characters(text: str) -> list[str]:
    """Code points unassigned in this Python's Unicode version: their NFC could change in a later version."""
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cn"]


def check_entropy(entries: Sequence[str]) -> list[str]:
    """The normalised entropy, or DrawError saying why the typed entries are refused."""
    if not isinstance(entries, (list, tuple)) or not all(isinstance(e, str) for e in entries):
        raise DrawError("现场随机数（熵值）应为文字")
    for n, entry in enumerate(entries, 1):
        bad = unassigned_characters(entry)
        if bad:
            raise DrawError(f"第 {n} 项现场随机数含有当前 Unicode 版本未定义的字符（{'、'.join(bad)}），请改用常用字符")
        kind, rest = _split_kind(" ".join(entry.split()))
        if entry.strip() and kind != KIND_OTHER:
            problem = entry_problem(kind, rest)
            if problem:
                raise DrawError(f"第 {n} 项现场随机数「{entry.strip()}」：{problem}")
    normalised = normalise_entropy(entries)
    significant = sum(1 for e in normalised for ch in _split_kind(e)[1] if ch.isalnum())
    if significant < MIN_SIGNIFICANT:
        raise DrawError(f"现场随机数过短：合计只有 {significant} 个数字或文字，至少需要 {MIN_SIGNIFICANT} 个"
                        f"（如见证人报出的三个以上数字、三次以上骰子点数或彩票开奖号码）")
    return normalised
