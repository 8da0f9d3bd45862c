"""Words and numbering the builders generate, in the brief's language.

Chinese (``zh*``) and English labels are built in; any other language gets the
English ones.  Numbering conventions (``chinese``: 一、/（一）/1.,
``decimal``: 1 / 1.1 / 1.1.1, ``none``) are chosen by the theme.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from .model import Brief, Datum, Figure

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 9999)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    out = ""
    units = ((1000, "千"), (100, "百"), (10, "十"))
    zero = False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if (value == 10 and d == 1 and not out) else _DIGITS[d]) + name
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _DIGITS[n]
    return out


def roman_numeral(n: int, upper: bool = False) -> str:
    """``n`` in roman numerals, lower case unless ``upper`` (list markers: i., ii.; Word's lowerRoman)."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out.upper() if upper else out


@dataclass(frozen=True)
class Labels:
    summary: str
    status: str
    challenges: str
    cases: str
    lessons: str
    recommendations: str
    figures: str
    contents: str
    agenda: str
    key_figures: str
    authors: str
    thank_you: str
    continued: str  # appended to a continued slide title
    figure: str  # "图{n}" / "Figure {n}"
    table: str
    page_x_of_y: tuple[str, str, str]  # text before X, between X and Y, after Y
    page_x: tuple[str, str]
    region: str
    source: str
    note: str
    item: str
    value: str
    actions: str
    keywords: str = "Keywords"
    notes: str = "Notes"
    colon: str = ": "  # after a label: 关键词：/ Keywords:
    list_sep: str = "; "  # between keywords
    name_sep: str = ", "  # between a name and a role
    months: tuple[str, ...] = ()  # month names; empty: the year-month-day form 2025年3月1日
    date_order: str = "dmy"  # "dmy" 1 March 2025, "mdy" March 1, 2025, "ymd" 2025年3月1日, "ko" 2025년 3월 1일
    references: str = "References"
    # 版记 of a GB/T 9704 document (theme data names who): "抄送：…" and "…印发" after the date.
    copies_to: str = "Copies to"
    printed: str = "{date} issued"
    # A title slide's author list past three names: the first three, then this ("张三、李四、王五等").
    authors_more: str = "{names} and {n} others"
    names_sep: str = ", "  # between names in such a list
    # Between two note marks at one place, in superscript: "¹,²" (never "¹²", which reads as note 12).
    note_sep: str = ","


ZH = replace(Labels(
    summary="摘要", status="现状", challenges="面临的挑战", cases="案例", lessons="经验启示",
    recommendations="建议", figures="主要数据", contents="目录", agenda="目录", key_figures="关键数据",
    authors="作者", thank_you="谢谢", continued="（续）", figure="图{n}", table="表{n}",
    page_x_of_y=("第 ", " 页 共 ", " 页"), page_x=("第 ", " 页"), region="地区", source="资料来源",
    note="注", item="指标", value="数值", actions="主要举措", keywords="关键词", notes="注释", colon="：",
    list_sep="；", name_sep="，", date_order="ymd", references="参考文献",
    authors_more="{names}等", names_sep="、",
), copies_to="抄送", printed="{date}印发")
EN = Labels(
    summary="Summary", status="Current status", challenges="Challenges", cases="Case studies", lessons="Lessons",
    recommendations="Recommendations", figures="Key figures", contents="Contents", agenda="Agenda",
    key_figures="Key figures", authors="Authors", thank_you="Thank you", continued=" (cont.)", figure="Figure {n}",
    table="Table {n}", page_x_of_y=("Page ", " of ", ""), page_x=("Page ", ""), region="Region", source="Source",
    note="Note", item="Item", value="Value", actions="Actions",
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"),
)
EN_US = replace(EN, date_order="mdy")
JA = Labels(
    summary="要旨", status="現状", challenges="課題", cases="事例", lessons="教訓", recommendations="提言",
    figures="主要データ", contents="目次", agenda="目次", key_figures="主要データ", authors="著者",
    thank_you="ご清聴ありがとうございました", continued="（続き）", figure="図{n}", table="表{n}",
    page_x_of_y=("", " / ", ""), page_x=("", ""), region="地域", source="出所", note="注", item="項目",
    value="数値", actions="主な施策", keywords="キーワード", notes="注", colon="：", list_sep="、",
    name_sep="、", date_order="ymd", references="参考文献",
    authors_more="{names}ほか", names_sep="、",
)
KO = Labels(
    summary="요약", status="현황", challenges="과제", cases="사례", lessons="시사점", recommendations="제언",
    figures="주요 데이터", contents="목차", agenda="목차", key_figures="주요 데이터", authors="저자",
    thank_you="감사합니다", continued=" (계속)", figure="그림 {n}", table="표 {n}",
    page_x_of_y=("", " / ", ""), page_x=("", ""), region="지역", source="출처", note="주", item="항목",
    value="수치", actions="주요 조치", keywords="키워드", notes="주", colon=": ", list_sep=", ",
    name_sep=", ", date_order="ko", references="참고문헌",
    authors_more="{names} 외 {n}명",
)


def labels(language: str) -> Labels:
    """The generated words of ``language``: Chinese, Japanese, Korean, or English (US or other)."""
    lang = language.lower()
    if lang.startswith("zh"):
        return ZH
    if lang.startswith("ja"):
        return JA
    if lang.startswith("ko"):
        return KO
    return EN_US if lang in ("en-us", "en") else EN


def format_date(when, language: str) -> str:
    """A date as the brief's readers write it: 2025年3月1日 / 1 March 2025 / March 1, 2025 / 2025년 3월 1일.

    Not ``strftime``: the machine's locale must not change the documents."""
    lab = labels(language)
    if lab.date_order == "ymd":
        return f"{when.year}年{when.month}月{when.day}日"
    if lab.date_order == "ko":
        return f"{when.year}년 {when.month}월 {when.day}일"
    month = lab.months[when.month - 1]
    if lab.date_order == "mdy":
        return f"{month} {when.day}, {when.year}"
    return f"{when.day} {month} {when.year}"


def heading(brief: Brief, section: str) -> str:
    """The brief's own heading for ``section`` (plain text) or the language's default label."""
    own = getattr(brief.headings, section, None)
    return own.plain if own else getattr(labels(brief.language), section)


def heading_number(style: str, level: int, n: int, parents: tuple[int, ...] = ()) -> str:
    """The label before a heading: level 1..3, ``n`` its 1-based index, ``parents`` the enclosing indices."""
    if style == "none":
        return ""
    if style == "chinese":
        return (f"{chinese_numeral(n)}、", f"（{chinese_numeral(n)}）", f"{n}.")[min(level, 3) - 1]
    return ".".join(str(i) for i in (*parents, n)) + ("." if level == 1 else "")


def list_number(style: str, n: int, language: str) -> str:
    """The label of item ``n`` of a numbered list: 一是 in Chinese official style, else ``1.``."""
    if style == "chinese" and language.lower().startswith("zh"):
        return f"{chinese_numeral(n)}是"
    return f"{n}."


def format_number(v: float, language: str, decimals: Optional[int] = None) -> str:
    """A number as the language writes it: 9,500.5 in English, 9500.5 in Chinese (no thousands separator in
    GB/T 15835 running text), the same in tables, charts and text."""
    places = _decimals(v) if decimals is None else decimals
    if language.lower().startswith(("zh", "ja")):
        return f"{v:.{places}f}"
    return f"{v:,.{places}f}"


def decimals(values) -> int:
    """The decimals that show every one of ``values`` (a series' table and chart share them)."""
    return max((_decimals(v) for v in values if isinstance(v, (int, float))), default=0)


def number_format(values, language: str) -> str:
    """The Office number-format code that writes ``values`` as :func:`format_number` does (for charts)."""
    places = decimals(values)
    frac = "." + "0" * places if places else ""
    return ("0" if language.lower().startswith(("zh", "ja")) else "#,##0") + frac


def format_value(datum: Datum, figure: Figure, language: str, with_unit: bool = True) -> str:
    """A datum as a reader writes it: 9500余家 / more than 9,500; 83.1亿元; 12%; a range 2.5%～3.5% / 2.5–3.5%."""
    unit: Optional[str] = figure.unit_of(datum) if with_unit else None
    return format_quantity(datum.value, unit, language, datum.approx)


def format_quantity(value, unit: Optional[str], language: str, approx: Optional[str] = None) -> str:
    """A number or a ``(low, high)`` range with its unit and approximation, in the language's form."""
    zh = language.lower().startswith(("zh", "ja"))
    percent = unit in ("%", "％")
    if isinstance(value, tuple):
        low, high = (format_number(v, language) for v in value)
        if zh:
            return f"{low}{unit}～{high}{unit}" if percent else f"{low}～{high}{unit or ''}"
        return f"{low}–{high}%" if percent else f"{low}–{high}" + (f" {unit}" if unit else "")
    number = format_number(value, language)
    if zh:
        if percent and approx == "more_than":
            return f"{number}{unit}以上"  # "50余%" is not Chinese; 余 goes before a measure word (9500余家)
        pre, post = {"more_than": ("", "余"), "about": ("约", ""), "less_than": ("不到", "")}.get(approx or "", ("", ""))
        return f"{pre}{number}{post}{unit or ''}"
    approx_en = {"more_than": "more than ", "about": "about ", "less_than": "less than "}.get(approx or "", "")
    if percent:
        return f"{approx_en}{number}%"
    return f"{approx_en}{number}" + (f" {unit}" if unit else "")


def _decimals(v: float) -> int:
    if float(v).is_integer():
        return 0
    s = f"{v:.6f}".rstrip("0")
    return min(len(s.split(".")[1]), 3)
