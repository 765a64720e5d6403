"""Pinyin order for a whole column at C speed: sort keys that are plain Python strings.

Qt's collator (ICU, Chinese locale) puts Chinese text in pinyin order, as a clerk expects
from a paper list. Its sort keys are Qt objects, though: sorting 100,000 of them calls
back into Qt for each of about 1.7 million comparisons (0.6 s). Here the collator ranks
only the distinct *characters* of the column (a few thousand), every character is then
replaced by a code point that sorts in that rank (str.translate, in C), and the rows sort
by ordinary string comparison.

Like ICU, the comparison is level by level: first the primary letters of the whole text
(case and width ignored: "a" = "A" = "ａ"), and only where those are equal the exact
characters; digit runs compare by their numeric value (the collator's numeric mode, so
"旅馆2" comes before "旅馆10").
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from PySide6.QtCore import QCollator, QLocale, Qt

# Ranks become code points from U+0100 up, below the surrogates: a key is then two bytes a character, not
# four (300,000 names: 12 MB less), and above the separators and prefixes "\x00" to "\x02". A column of
# more distinct characters than that (none seen) takes the supplementary private use areas (65,534 each).
# Keys only ever compare with keys: the ranks replace every character of the text.
_BMP_BASE = 0x100
_BMP_RANKED = 0xD800 - _BMP_BASE
_PRIMARY_BASE = 0xF0000
_EXACT_BASE = 0x100000
_MAX_RANKED = 0xFFFD
_DIGITS = re.compile(r"\d+")
_NUMBER_WIDTH = 24   # digit runs are compared as numbers up to this many digits
# Joins a column's texts so that the padding and the translation run once over the whole column (a call
# per text cost a third of a 100,000-row sort); a column holding it is keyed text by text instead.
_SEPARATOR = "\x00"


def _collator(case_sensitive: bool) -> QCollator:
    c = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    c.setNumericMode(False)   # characters are ranked one by one; numbers are handled by padding
    c.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive if case_sensitive else
                         Qt.CaseSensitivity.CaseInsensitive)
    return c


class PinyinKeys:
    """Builds comparable keys for a column of text; the character tables grow as new text is seen."""

    def __init__(self) -> None:
        self._known: set[str] = set()
        self._primary: dict[int, str] = {}
        self._exact: dict[int, str] = {}

    def _rank(self, new_chars: Iterable[str]) -> None:
        self._known.update(new_chars)
        chars = sorted(self._known - {_SEPARATOR})   # never translated: keys() splits the column at it
        if len(chars) > _MAX_RANKED:   # an absurd column: fall back to code-point order for the rest
            chars = chars[:_MAX_RANKED]
        primary_base, exact_base = (_BMP_BASE, _BMP_BASE) if len(chars) <= _BMP_RANKED else (_PRIMARY_BASE,
                                                                                            _EXACT_BASE)
        exact = _collator(True)
        ordered = sorted(chars, key=exact.sortKey)
        self._exact = {ord(ch): chr(exact_base + i) for i, ch in enumerate(ordered)}
        loose = _collator(False)
        primary: dict[int, str] = {}
        rank, previous = 0, None
        for ch in sorted(chars, key=loose.sortKey):
            if previous is not None and loose.compare(previous, ch) != 0:
                rank += 1
            primary[ord(ch)] = chr(primary_base + rank)
            previous = ch
        self._primary = primary

    def order(self, texts: list[str], reverse: bool = False) -> list[int]:
        """The positions of *texts* in pinyin order (stable; *reverse* for descending)."""
        keys = self.keys(texts)
        return sorted(range(len(texts)), key=keys.__getitem__, reverse=reverse)

    def keys(self, texts: list[str], prefix: str = "") -> list[str]:
        """Plain string keys of *texts* (one column, all at once) that compare in pinyin order, each after *prefix*.

        Keys of one call compare with each other only: a later call may rank characters anew."""
        joined = _SEPARATOR.join(texts)
        numbered = None   # the texts with their digit runs padded, split out only where needed (300,000: 35 MB)
        if texts and joined.count(_SEPARATOR) == len(texts) - 1:   # no text holds the separator itself
            # Digit runs padded only as wide as this column's longest: shorter keys, less to translate.
            width = max(map(len, _DIGITS.findall(joined)), default=0)

            def pad(m: re.Match) -> str:
                return m.group().rjust(width, "0")

            padded = _DIGITS.sub(pad, joined)
            del joined
            seen = set(padded)
            seen.discard(_SEPARATOR)
            self._learn(seen)
            # The separator translates to itself and the next key's prefix: no second pass to prefix each key.
            table = {**self._primary, ord(_SEPARATOR): _SEPARATOR + prefix} if prefix else self._primary
            keys = padded.translate(table).split(_SEPARATOR)
            del padded
            keys[0] = prefix + keys[0]
        else:
            numbered = [_DIGITS.sub(_pad, t) for t in texts]
            self._learn(set("".join(numbered)))
            table = self._primary
            keys = [prefix + t.translate(table) for t in numbered]
        counts = Counter(keys)
        if len(counts) < len(keys):
            # Texts equal at the primary level but written differently (case, width) are rare; their
            # keys get the exact characters appended after a separator below every ranked character,
            # which keeps the primary order and breaks only those ties.
            if numbered is None:
                numbered = _DIGITS.sub(pad, _SEPARATOR.join(texts)).split(_SEPARATOR)
            exact, same_text = self._exact, Counter(numbered)
            for k in [k for k, key in enumerate(keys) if counts[key] > same_text[numbered[k]]]:
                keys[k] = keys[k] + "\0" + numbered[k].translate(exact)
        return keys

    def _learn(self, seen: set[str]) -> None:
        if not seen <= self._known:
            self._rank(seen - self._known)


def _pad(match: re.Match) -> str:
    # Digit runs compare by value: "2" < "10" once both are zero-padded to one width ("02" = "2").
    return match.group().rjust(_NUMBER_WIDTH, "0")
