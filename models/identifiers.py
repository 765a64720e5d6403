"""An object's identifier by 证件类型 (issue 19 item 6): validation, normal form, masking and the draw's code.

Units keep the 统一社会信用代码 rule of models/credit_code.py. Persons and individual businesses may
instead carry a 居民身份证号码 (GB 11643-1999), a passport or another travel document (with the
issuing country), or nothing at all (kind 无, with the reason).

居民身份证号码: 18 characters, 6 digits of the address code, the birth date YYYYMMDD, a 3-digit
sequence and the ISO 7064 MOD 11-2 check character (0–9 or X). The legacy 15-digit number (6 + YYMMDD
+ 3, issued before 1999, born in the 1900s) is accepted and STORED AS ITS 18-DIGIT FORM: GB 11643
defines the upgrade (insert "19" before the year, append the check character), so one person typed
both ways is one roster entry and the uniqueness check catches the repeat.
"""
from __future__ import annotations

import re
from datetime import date

from models import credit_code
from models.roster import (ID_KIND_CREDIT, ID_KIND_NONE, ID_KIND_OTHER_TRAVEL, ID_KIND_PASSPORT, ID_KIND_RESIDENT,
                           ID_KINDS)

# What a clerk's sheet may write in the 证件类型 column, and the kind it means.
KIND_ALIASES = {
    "统一社会信用代码": ID_KIND_CREDIT, "社会信用代码": ID_KIND_CREDIT, "信用代码": ID_KIND_CREDIT,
    "营业执照": ID_KIND_CREDIT, "单位": ID_KIND_CREDIT,
    "身份证": ID_KIND_RESIDENT, "居民身份证": ID_KIND_RESIDENT, "身份证号": ID_KIND_RESIDENT,
    "身份证号码": ID_KIND_RESIDENT, "居民身份证号码": ID_KIND_RESIDENT,
    "护照": ID_KIND_PASSPORT, "外国护照": ID_KIND_PASSPORT,
    "其他证件": ID_KIND_OTHER_TRAVEL, "其他": ID_KIND_OTHER_TRAVEL, "旅行证件": ID_KIND_OTHER_TRAVEL,
    "港澳通行证": ID_KIND_OTHER_TRAVEL, "往来港澳通行证": ID_KIND_OTHER_TRAVEL,
    "台湾居民来往大陆通行证": ID_KIND_OTHER_TRAVEL,
    "台胞证": ID_KIND_OTHER_TRAVEL, "外国人永久居留身份证": ID_KIND_OTHER_TRAVEL,
    "无": ID_KIND_NONE, "无证件": ID_KIND_NONE, "无证照": ID_KIND_NONE,
}
KINDS_TEXT = "、".join(ID_KINDS)
PERSON_KINDS = frozenset({ID_KIND_RESIDENT, ID_KIND_PASSPORT, ID_KIND_OTHER_TRAVEL, ID_KIND_NONE})
TRAVEL_KINDS = frozenset({ID_KIND_PASSPORT, ID_KIND_OTHER_TRAVEL})
COUNTRY_MAX = 40   # models/roster.py InspectedObject.id_country
NUMBER_MAX = 40    # credit_code column

RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_CHECK = "10X98765432"   # index = weighted sum mod 11
_TRAVEL = re.compile(r"[A-Z0-9]{5,20}")
_BLANKS = re.compile(r"[\s\-]+")


def number_title(kind: str) -> str:
    """The field's name in messages: 统一社会信用代码 for units, else 证件号码."""
    return "统一社会信用代码" if kind == ID_KIND_CREDIT else "证件号码"


def normalise_kind(text: object) -> str | None:
    """The 证件类型 a cell or flag means; "" and None mean 统一社会信用代码 (old sheets); None if unknown."""
    t = credit_code.normalise(text) if text is not None else ""
    if not t:
        return ID_KIND_CREDIT
    return KIND_ALIASES.get(t.replace(" ", ""))


def normalise_number(kind: str, number: object) -> str:
    """Half-width, upper case; spaces and hyphens dropped from document numbers; 15-digit 身份证 upgraded to 18."""
    text = credit_code.normalise(number)
    if kind == ID_KIND_CREDIT or not text:
        return text
    text = _BLANKS.sub("", text)
    if kind == ID_KIND_RESIDENT and len(text) == 15 and text.isdigit() and resident_problem(text) is None:
        return upgrade_15(text)
    return text


def resident_check(first17: str) -> str:
    """The 18th character of a 居民身份证号码 (ISO 7064 MOD 11-2) for its first 17 digits."""
    return RESIDENT_CHECK[sum(int(c) * w for c, w in zip(first17, RESIDENT_WEIGHTS)) % 11]


def upgrade_15(number: str) -> str:
    """The 18-digit form of a valid legacy 15-digit number (GB 11643: born 19YY, check character added)."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + resident_check(first17)


def _birth_problem(yyyymmdd: str, today: date | None = None) -> str | None:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return f"出生日期 {yyyymmdd} 不是有效日期"
    if born.year < 1880 or born > (today or date.today()):
        return f"出生日期 {yyyymmdd} 不合理"
    return None


def resident_problem(number: str, today: date | None = None) -> str | None:
    """None when *number* (normalised) is a valid 居民身份证号码 (18 or legacy 15 digits), else why not."""
    if not number:
        return "不能为空"
    if len(number) == 15:
        if not number.isdigit():
            return "15位身份证号码应全为数字"
        return _birth_problem("19" + number[6:12], today)
    if len(number) != 18:
        return f"应为18位（或旧式15位），实为{len(number)}位"
    if not number[:17].isdigit():
        return "前17位应为数字"
    if number[17] not in "0123456789X":
        return f"第18位“{number[17]}”应为数字或 X"
    birth = _birth_problem(number[6:14], today)
    if birth:
        return birth
    expected = resident_check(number[:17])
    if number[17] != expected:
        return f"校验位错误（校验位应为 {expected}，实为 {number[17]}）"
    return None


def problems(kind: str, number: str, country: str = "", reason: str = "") -> list[tuple[str, str]]:
    """(field, Chinese message) per broken rule of one identifier (already normalised); [] when valid.

    Fields: id_kind, credit_code (the number), id_country, no_id_reason.
    """
    if kind not in ID_KINDS:
        return [("id_kind", f"证件类型“{kind}”无效，应为：{KINDS_TEXT}")]
    out: list[tuple[str, str]] = []
    if kind == ID_KIND_CREDIT:
        p = credit_code.validate(number)
        if p:
            out.append(("credit_code", p))
    elif kind == ID_KIND_RESIDENT:
        p = resident_problem(number)
        if p:
            out.append(("credit_code", p))
    elif kind in TRAVEL_KINDS:
        if not number:
            out.append(("credit_code", "不能为空"))
        elif not _TRAVEL.fullmatch(number):
            out.append(("credit_code", f"“{number}”应为5至20位字母或数字"))
        if not country:
            out.append(("id_country", f"{kind}须填写国籍/签发国"))
        elif len(country) > COUNTRY_MAX:
            out.append(("id_country", f"长度超过 {COUNTRY_MAX} 个字符（实为 {len(country)} 个）"))
    else:  # 无
        if number:
            out.append(("credit_code", f"证件类型为“无”时证件号码应为空，实为“{number}”"))
        if not reason:
            out.append(("no_id_reason", "证件类型为“无”时须填写无证件的原因"))
    if kind != ID_KIND_NONE and reason:
        out.append(("no_id_reason", "只有证件类型为“无”时才填写无证件原因"))
    if kind not in TRAVEL_KINDS and country:
        out.append(("id_country", "只有护照或其他证件才填写国籍/签发国"))
    return out


def is_person(kind: str | None) -> bool:
    return bool(kind) and kind in PERSON_KINDS


# ---------------------------------------------------------------- publicity and the draw

def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧*: the first character kept, one star for the rest (length not shown)."""
    name = (name or "").strip()
    return f"{name[0]}*" if name else ""


def mask_number(kind: str, number: str | None) -> str:
    """A person's number partly hidden: 身份证 first 4 and last 4 (1101**********1234), documents first 2 and last 2."""
    number = number or ""
    if kind == ID_KIND_CREDIT:
        return number
    if kind == ID_KIND_RESIDENT and len(number) > 8:
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    if len(number) > 4:
        return number[:2] + "*" * (len(number) - 4) + number[-2:]
    return "*" * len(number)


def public_name(kind: str | None, name: str) -> str:
    """The name as public outputs show it: a unit's in full, a person's masked."""
    return mask_name(name) if is_person(kind) else name


def public_number(kind: str | None, number: str | None, country: str = "") -> str:
    """The identifier as public outputs show it: a unit's code in full; a person's masked with its kind."""
    if not is_person(kind):
        return number or ""
    if kind == ID_KIND_NONE:
        return "无证件"
    where = f"（{country}）" if kind in TRAVEL_KINDS and country else ""
    return f"{kind}{where} {mask_number(kind, number)}"


def draw_code(kind: str | None, number: str | None, country: str = "") -> str:
    """Candidate.code of an object in the draw (docs/draw-protocol.md section 13).

    A unit: its bare 统一社会信用代码, as always (old records unchanged). A person: the kind, a colon and
    the masked number — 身份证:1101**********1234, 护照:USA:E1*****89, 其他证件:…, and 无: for none.
    Only what publicity shows is published; the roster id in the same line tells people apart.
    """
    if not is_person(kind):
        return number or ""
    if kind == ID_KIND_NONE:
        return f"{ID_KIND_NONE}:"
    if kind in TRAVEL_KINDS:
        return f"{kind}:{country}:{mask_number(kind, number)}"
    return f"{kind}:{mask_number(kind, number)}"


def shown(kind: str | None, number: str | None, country: str = "") -> str:
    """The identifier as internal screens and documents show it (full number; never "None")."""
    if not kind or kind == ID_KIND_CREDIT:
        return number or ""
    if kind == ID_KIND_NONE:
        return "无证件"
    where = f"（{country}）" if kind in TRAVEL_KINDS and country else ""
    return f"{kind}{where} {number or ''}"
