"""Identity document numbers (证件号码).

The resident identity number follows national standard GB 11643-1999 (公民身份号码): 6-digit region
code, 8-digit birth date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character. Residence permits
for Hong Kong/Macao (region 810000/820000) and Taiwan (830000) residents use the same structure. The
foreigner's permanent residence ID card issued since 2023 is 18 characters starting with 9 with the same
check character. Other documents (work permit, passport) get a loose format check only."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

GB11643 = "GB 11643-1999"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")

RESIDENT = "resident"
HK_MACAU_RESIDENCE = "hk_macau_residence"
TAIWAN_RESIDENCE = "taiwan_residence"
FOREIGN_PERMANENT = "foreign_permanent"
FOREIGN_WORK_PERMIT = "foreign_work_permit"
PASSPORT = "passport"
ID_TYPES = (RESIDENT, HK_MACAU_RESIDENCE, TAIWAN_RESIDENCE, FOREIGN_PERMANENT, FOREIGN_WORK_PERMIT, PASSPORT)


def normalize(number: str) -> str:
    """Full-width to half-width, drop spaces, upper-case (a lower-case x check digit is common)."""
    return "".join(unicodedata.normalize("NFKC", number or "").split()).upper()


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class IdProblem:
    """Why a number was refused, in Chinese and in English (the caller shows the user's language)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"


def _birth_date(number: str, today: dt.date | None) -> IdProblem | None:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return IdProblem("证件号码中的出生日期无效", "invalid birth date in the number")
    if born.year < 1900 or born > (today or dt.date.today()):
        return IdProblem("证件号码中的出生日期不合理", "birth date out of range")
    return None


def _eighteen(number: str, today: dt.date | None) -> IdProblem | None:
    if len(number) != 18:
        return IdProblem(f"应为18位，实际{len(number)}位", f"must be 18 characters, got {len(number)}")
    if not _EIGHTEEN.match(number):
        return IdProblem("前17位须为数字，末位为数字或X", "17 digits then a digit or X")
    problem = _birth_date(number, today)
    if problem:
        return problem
    expected = check_character(number[:17])
    if number[17] != expected:
        return IdProblem(
            f"校验位错误，应为{expected}（{GB11643}）", f"check digit wrong, expected {expected} per {GB11643}"
        )
    return None


def _prefixed(number: str, today: dt.date | None, prefixes: tuple[str, ...], zh: str, en: str) -> IdProblem | None:
    return _eighteen(number, today) or (None if number.startswith(prefixes) else IdProblem(zh, en))


def check(id_type: str, number: str, *, today: dt.date | None = None) -> IdProblem | None:
    """Return None if the number is acceptable for the type, else the reason (zh and en)."""
    number = normalize(number)
    if not number:
        return IdProblem("证件号码不能为空", "ID number required")
    if id_type == RESIDENT:
        return _eighteen(number, today)
    if id_type == HK_MACAU_RESIDENCE:
        return _prefixed(number, today, ("81", "82"), "港澳居民居住证号码应以81或82开头", "must start with 81/82")
    if id_type == TAIWAN_RESIDENCE:
        return _prefixed(number, today, ("83",), "台湾居民居住证号码应以83开头", "must start with 83")
    if id_type == FOREIGN_PERMANENT:
        if len(number) == 15:  # pre-2023 card: 3 letters + 12 digits
            return None if re.match(r"^[A-Z]{3}\d{12}$", number) else IdProblem("旧版永居证号码格式错误", "bad format")
        return _prefixed(number, today, ("9",), "新版外国人永久居留身份证号码以9开头", "must start with 9")
    if id_type in (FOREIGN_WORK_PERMIT, PASSPORT):
        if re.match(r"^[A-Z0-9]{5,20}$", number):
            return None
        return IdProblem("证件号码格式错误（5–20位字母或数字）", "5–20 letters/digits")
    return IdProblem(f"未知证件类型 {id_type}", "unknown ID type")


def validate(id_type: str, number: str, *, today: dt.date | None = None) -> str | None:
    """Return None if the number is acceptable for the type, else a bilingual reason."""
    problem = check(id_type, number, today=today)
    return None if problem is None else str(problem)


# Document types whose 18-character number embeds the holder's birth date (characters 7–14).
BIRTH_DATE_TYPES = (RESIDENT, HK_MACAU_RESIDENCE, TAIWAN_RESIDENCE, FOREIGN_PERMANENT)


def birth_date_of(number: str) -> dt.date | None:
    number = normalize(number)
    if len(number) == 18 and _EIGHTEEN.match(number) and not _birth_date(number, None):
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return None
