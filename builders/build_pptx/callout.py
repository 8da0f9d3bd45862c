"""A case's key number, shown large beside its points ("50%", "9+2", "3个版本", "1,200 firms").

Plain Python, so the choice is testable on its own.  The number is found in the
text the case carries (its points first, then its body and figures' values), in
this order of preference: a percentage, a sum such as "9+2", a number with a unit
(亿元, 家, 个版本, km, billion …); a bare number or a year is never a key number.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_CJK_UNITS = ("万亿元", "亿美元", "亿元", "万元", "亿人", "万人", "亿", "万", "个百分点", "个版本", "个", "家", "项", "所",
              "座", "条", "名", "位", "人", "倍", "平方公里", "公里", "千米", "年间", "小时", "天", "次")
_LATIN_UNITS = ("trillion", "billion", "million", "thousand", "percentage points", "versions?", "firms?",
                "companies", "institutes?", "universit(?:y|ies)", "cities", "times", "km", "hours", "days")
_PERCENT = re.compile(rf"(?:{_NUM})\s?(?:%|％|percent\b|per cent\b)")
_SUM = re.compile(rf"(?<![\d.])\d+\s?\+\s?\d+(?![\d.])")
_CJK = re.compile(rf"(?<![\d.]){_NUM}\s?(?:多|余)?(?:{'|'.join(_CJK_UNITS)})")
_LATIN = re.compile(rf"(?<![\d.])(?:[$€£¥]\s?)?{_NUM}\s?(?:{'|'.join(_LATIN_UNITS)})\b", re.IGNORECASE)
_MONEY = re.compile(rf"(?<![\d.])[$€£¥]\s?{_NUM}")
_YEARS = re.compile(r"^(?:1[89]|20)\d\d\s?(?:年|个)?$")  # "2035年" names a time, not a quantity


def key_number(texts: Iterable[str]) -> Optional[str]:
    """The first key number in ``texts`` (a case's points, then its body), by kind of number, or None."""
    texts = [t for t in texts if t]
    for pattern in (_PERCENT, _SUM, _CJK, _LATIN, _MONEY):
        for text in texts:
            for m in pattern.finditer(text):
                found = re.sub(r"\s+", " ", m.group(0)).strip()
                if not _YEARS.match(found):
                    return found
    return None
