"""A case's key figure: the one number worth showing large ("50%", "9+2", "3个版本", "1,200 firms").

Decided once, in the lowering (:attr:`builders.document.Section.key_figure`), so that every
writer that shows a case's key number shows the same one; the deck draws it as a call-out.
Plain Python, so the choice is testable on its own.  The number is found in the text the
case carries (its points first, then its body and its figures' values), in this order of
preference: a percentage, a sum such as "9+2", a number with a unit (亿元, 家, 个版本, km,
billion …); a bare number or a year is never a key number.  A word that makes the number an
approximation (超过50%, more than 50%) is kept beside it, so a writer never states a bound
as an exact figure without being able to know.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from .document import KeyFigure

_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_CJK_UNITS = ("万亿元", "亿美元", "亿元", "万元", "亿人", "万人", "亿", "万", "个百分点", "个版本", "个", "家", "项", "所",
              "座", "条", "名", "位", "人", "倍", "平方公里", "公里", "千米", "年间", "小时", "天", "次")
_LATIN_UNITS = ("trillion", "billion", "million", "thousand", "percentage points", "versions?", "firms?",
                "companies", "institutes?", "universit(?:y|ies)", "cities", "times", "km", "hours", "days")
_PERCENT = re.compile(rf"(?:{_NUM})\s?(?:%|％|percent\b|per cent\b)")
_SUM = re.compile(r"(?<![\d.])\d+\s?\+\s?\d+(?![\d.])")
_CJK = re.compile(rf"(?<![\d.]){_NUM}\s?(?:多|余)?(?:{'|'.join(_CJK_UNITS)})")
_LATIN = re.compile(rf"(?<![\d.])(?:[$€£¥]\s?)?{_NUM}\s?(?:{'|'.join(_LATIN_UNITS)})\b", re.IGNORECASE)
_MONEY = re.compile(rf"(?<![\d.])[$€£¥]\s?{_NUM}")
_YEARS = re.compile(r"^(?:1[89]|20)\d\d\s?(?:年|个)?$")  # "2035年" names a time, not a quantity
# Words just before a number that make it a bound or an estimate, not an exact figure.
_APPROX = re.compile(r"(?:超过|超出|高于|多于|大于|不少于|不低于|逾|超|近|将近|接近|约|大约|不到|少于|低于|不足|"
                     r"(?:more|fewer|less) than|over|above|under|below|nearly|almost|about|around|"
                     r"approximately|roughly|some|up to|at least)\s?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s")
LABEL_CHARS = 80  # the label is the sentence the number stands in, cut to about a line


def key_figure(texts: Iterable[str]) -> Optional[KeyFigure]:
    """The first key figure in ``texts`` (a case's points, then its body), by kind of number, or None."""
    texts = [t for t in texts if t]
    for pattern in (_PERCENT, _SUM, _CJK, _LATIN, _MONEY):
        for text in texts:
            for m in pattern.finditer(text):
                found = re.sub(r"\s+", " ", m.group(0)).strip()
                if _YEARS.match(found):
                    continue
                approx = _APPROX.search(text[: m.start()])
                return KeyFigure(found, _label(text, m.start()), approx.group(0).strip() if approx else "")
    return None


def key_number(texts: Iterable[str]) -> Optional[str]:
    """Only the number of :func:`key_figure` ("50%"), or None."""
    found = key_figure(texts)
    return found.value if found else None


def _label(text: str, at: int) -> str:
    """The sentence of ``text`` holding position ``at``, stripped, cut to :data:`LABEL_CHARS` with an ellipsis."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > at:
            text = text[:m.end()]
            break
        start = m.end()
    sentence = text[start:].strip()
    return sentence if len(sentence) <= LABEL_CHARS else sentence[: LABEL_CHARS - 1].rstrip() + "…"
