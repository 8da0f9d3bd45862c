"""The chart of a figure as a native Word chart: editable, drawn by Word in vector, restyled with the theme.

Column, bar, line and pie charts of one series, written as DrawingML chart XML
(``c:chartSpace``) in a chart part of the document, with the data in an embedded
workbook (:mod:`builders.workbook`, python-pptx's sheet layout) so
that Word's "Edit Data" opens it.  Each point's label is the value as the brief
writes it (83.1亿元, more than 9,500), which a number format cannot say.

Plan, then render: :func:`chart_xml` is plain string building, easy to test;
:func:`add_chart` puts the parts into the package and the inline drawing into a run.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..document import FigureBlock
from ..theme import FontRole, Theme
from ..workbook import xlsx
from ..xmltext import attr as _esc

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RT_CHART = f"{R}/chart"
RT_PACKAGE = f"{R}/package"
KINDS = ("column", "bar", "line", "pie")
CAT_AX, VAL_AX = 50010, 50020


@dataclass(frozen=True)
class Series:
    """One series: its name, a value per category (``None``: a gap) and each point's label as written."""

    name: str
    values: tuple[Optional[float], ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ChartPlan:
    """What the chart shows, decided before any XML: kind, texts, colours and sizes (points)."""

    kind: str
    title: str
    names: tuple[str, ...]  # the categories
    series: tuple[Series, ...]
    axis_title: Optional[str]
    colours: tuple[str, ...]
    text_colour: str
    title_colour: str
    rule_colour: str
    size: float
    title_size: float
    role: FontRole
    language: str
    number_format: str = "General"

    @property
    def values(self) -> tuple[Optional[float], ...]:
        """The first series' values (the only series of most charts)."""
        return self.series[0].values

    @property
    def labels(self) -> tuple[str, ...]:
        return self.series[0].labels


def plan(block: FigureBlock, language: str, theme: Theme, warn) -> ChartPlan:
    """The chart of ``block``; a kind that cannot show the data degrades to columns, with ``warn(message)``.
    The point labels are the lowering's formatted values (83.1亿元, more than 9,500), from its table rows;
    a range or a missing value is a gap in the line or the bars."""
    figure = block.figure
    kind = figure.chart or "column"
    several = len(figure.all_series) > 1
    series = tuple(
        Series(ser.name if several else (figure.unit or figure.title.plain),
               tuple(None if v is None else float(v) for v in ser.values),
               tuple(row[i + 1] if i + 1 < len(row) else "" for row in block.rows))
        for i, ser in enumerate(figure.all_series))
    values = [v for ser in series for v in ser.values if v is not None]
    if kind not in KINDS:
        warn(f"unknown chart type {kind!r}; drawn as a column chart")
        kind = "column"
    if kind == "pie" and (several or any(v < 0 for v in values) or not sum(values)
                          or None in series[0].values):
        warn("a pie needs one series of positive values; drawn as a column chart")
        kind = "column"
    return ChartPlan(
        kind=kind,
        title=figure.title.plain,
        names=tuple(figure.all_categories),
        series=series,
        number_format=block.number_format or "General",
        axis_title=figure.unit if kind != "pie" else None,
        colours=tuple(c.hex for c in theme.colours.chart),
        text_colour=theme.colours.text.hex,
        title_colour=theme.colours.heading.hex,
        rule_colour=theme.colours.rule.hex,
        size=max(theme.sizes.caption, 8.0),
        title_size=max(theme.sizes.caption + 1.5, 9.5),
        role=theme.fonts.caption,
        language=language,
    )


# ----------------------------------------------------------------------------------------- XML


def _fill(hex_: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{hex_}"/></a:solidFill>'


def _rpr(p: ChartPlan, tag: str, size: float, bold: bool = False, colour: Optional[str] = None) -> str:
    alt = ' altLang="en-US"' if p.language.split("-")[0].lower() in ("zh", "ja", "ko") else ""
    return (f'<a:{tag} lang="{_esc(p.language)}"{alt} sz="{round(size * 100)}" b="{int(bold)}">'
            f"{_fill(colour or p.text_colour)}"
            f'<a:latin typeface="{_esc(p.role.latin)}"/><a:ea typeface="{_esc(p.role.east_asian)}"/>'
            f'<a:cs typeface="{_esc(p.role.latin)}"/></a:{tag}>')


def _rich(p: ChartPlan, text: str, size: float, bold: bool = False, colour: Optional[str] = None,
          rotate: bool = False) -> str:
    body = '<a:bodyPr rot="-5400000" vert="horz"/>' if rotate else "<a:bodyPr/>"
    paras = "".join(f'<a:p><a:pPr>{_rpr(p, "defRPr", size, bold, colour)}</a:pPr>'
                    f'<a:r>{_rpr(p, "rPr", size, bold, colour)}<a:t>{_esc(line)}</a:t></a:r></a:p>'
                    for line in text.split("\n"))
    return f"<c:rich>{body}<a:lstStyle/>{paras}</c:rich>"


def _txpr(p: ChartPlan, size: float) -> str:
    return f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_rpr(p, "defRPr", size)}</a:pPr>' \
           f'<a:endParaRPr lang="{_esc(p.language)}"/></a:p></c:txPr>'


def _title(p: ChartPlan, text: str, size: float, bold: bool, colour: str, rotate: bool = False) -> str:
    return (f"<c:title><c:tx>{_rich(p, text, size, bold, colour, rotate)}</c:tx>"
            '<c:overlay val="0"/></c:title>')


def _str_cache(values: tuple[str, ...]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{_esc(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return f'<c:strCache><c:ptCount val="{len(values)}"/>{pts}</c:strCache>'


def _num_cache(values: tuple[Optional[float], ...], fmt: str = "General") -> str:
    # A gap has no point at all: Word leaves it out (dispBlanksAs gap).
    pts = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
    return f'<c:numCache><c:formatCode>{_esc(fmt)}</c:formatCode><c:ptCount val="{len(values)}"/>{pts}</c:numCache>'


def _labels(p: ChartPlan, ser: Series) -> str:
    """Each point's label is the brief's own wording of its value; a gap has none.  Several series
    are read from the legend, the axis and the table beside the chart: their labels would collide."""
    if len(p.series) > 1:
        return ""
    pos = {"pie": "outEnd", "line": "t", "column": "outEnd", "bar": "outEnd"}[p.kind]
    flags = ('<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
             '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>')
    points = "".join(f'<c:dLbl><c:idx val="{i}"/><c:tx>{_rich(p, text, p.size)}</c:tx>'
                     f'<c:dLblPos val="{pos}"/>{flags}</c:dLbl>'
                     for i, (text, v) in enumerate(zip(ser.labels, ser.values)) if v is not None and text)
    return f'<c:dLbls>{points}{_txpr(p, p.size)}<c:dLblPos val="{pos}"/>{flags}</c:dLbls>'


def _column(i: int) -> str:
    """The worksheet column of series ``i`` (B, C, …, then AA …)."""
    n, out = i + 2, ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _series(p: ChartPlan) -> str:
    return "".join(_one_series(p, i, ser) for i, ser in enumerate(p.series))


def _one_series(p: ChartPlan, i: int, ser: Series) -> str:
    n, col = len(p.names), _column(i)
    head = (f'<c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f>'
            f"{_str_cache((ser.name,))}</c:strRef></c:tx>")
    data = (f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${n + 1}</c:f>{_str_cache(p.names)}</c:strRef></c:cat>"
            f"<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${n + 1}</c:f>"
            f"{_num_cache(ser.values, p.number_format)}</c:numRef></c:val>")
    colour = p.colours[i % len(p.colours)]
    if p.kind == "pie":
        points = "".join(f'<c:dPt><c:idx val="{k}"/><c:bubble3D val="0"/><c:spPr>{_fill(p.colours[k % len(p.colours)])}'
                         f'<a:ln w="12700">{_fill("FFFFFF")}</a:ln></c:spPr></c:dPt>' for k in range(n))
        return f"<c:ser>{head}{points}{_labels(p, ser)}{data}</c:ser>"
    if p.kind == "line":
        return (f'<c:ser>{head}<c:spPr><a:ln w="31750" cap="rnd">{_fill(colour)}<a:round/></a:ln></c:spPr>'
                f'<c:marker><c:symbol val="circle"/><c:size val="7"/><c:spPr>{_fill(colour)}'
                f'<a:ln>{_fill(colour)}</a:ln></c:spPr></c:marker>{_labels(p, ser)}{data}<c:smooth val="0"/></c:ser>')
    return f'<c:ser>{head}<c:spPr>{_fill(colour)}</c:spPr><c:invertIfNegative val="0"/>{_labels(p, ser)}{data}</c:ser>'


def _axes(p: ChartPlan) -> str:
    bar = p.kind == "bar"
    no_line = "<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>"
    axis_line = f'<c:spPr><a:ln w="9525">{_fill(p.rule_colour)}</a:ln></c:spPr>'
    cat = (f'<c:catAx><c:axId val="{CAT_AX}"/>'
           # bars are drawn bottom-up: reversed, the first datum reads first, as in the table
           f'<c:scaling><c:orientation val="{"maxMin" if bar else "minMax"}"/></c:scaling>'
           f'<c:delete val="0"/><c:axPos val="{"l" if bar else "b"}"/><c:numFmt formatCode="General" sourceLinked="0"/>'
           '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
           f'{axis_line}{_txpr(p, p.size)}<c:crossAx val="{VAL_AX}"/><c:crosses val="autoZero"/>'
           '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')
    title = _title(p, p.axis_title, p.size, False, p.text_colour, rotate=not bar) if p.axis_title else ""
    val = (f'<c:valAx><c:axId val="{VAL_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
           f'<c:delete val="0"/><c:axPos val="{"b" if bar else "l"}"/>'
           f'<c:majorGridlines><c:spPr><a:ln w="6350">{_fill(p.rule_colour)}</a:ln></c:spPr></c:majorGridlines>'
           f'{title}<c:numFmt formatCode="{_esc(p.number_format)}" sourceLinked="0"/>'
           '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
           f'{no_line}{_txpr(p, p.size)}<c:crossAx val="{CAT_AX}"/>'
           f'<c:crosses val="{"max" if bar else "autoZero"}"/><c:crossBetween val="between"/></c:valAx>')
    return cat + val


def chart_xml(p: ChartPlan) -> str:
    """The chart part: a ``c:chartSpace`` whose data references point into the embedded workbook."""
    axes_ids = f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/>'
    if p.kind == "pie":
        plot = (f'<c:pieChart><c:varyColors val="1"/>{_series(p)}<c:firstSliceAng val="0"/></c:pieChart>')
        legend = (f'<c:legend><c:legendPos val="r"/><c:overlay val="0"/>{_txpr(p, p.size)}</c:legend>')
    else:
        if p.kind == "line":
            plot = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{_series(p)}'
                    f'<c:marker val="1"/>{axes_ids}</c:lineChart>{_axes(p)}')
        else:
            plot = (f'<c:barChart><c:barDir val="{"bar" if p.kind == "bar" else "col"}"/>'
                    f'<c:grouping val="clustered"/><c:varyColors val="0"/>{_series(p)}<c:gapWidth val="80"/>'
                    f'{axes_ids}</c:barChart>{_axes(p)}')
        # One series is named by the title; several need a key.
        legend = (f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_txpr(p, p.size)}</c:legend>'
                  if len(p.series) > 1 else "")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        '<c:date1904 val="0"/>'
        f'<c:lang val="{_esc(p.language)}"/><c:roundedCorners val="0"/>'
        f"<c:chart>{_title(p, p.title, p.title_size, True, p.title_colour)}"
        f'<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}</c:plotArea>{legend}'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        f"{_txpr(p, p.size)}"
        '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )


# ----------------------------------------------------------------------------------------- package


def add_chart(run, block: FigureBlock, language: str, when, theme: Theme, warn, width: float, height: float,
              alt: str, name: str) -> None:
    """Append ``block``'s chart, ``width`` × ``height`` points, to ``run`` (a python-docx Run); ``when`` dates
    the embedded workbook."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    p = plan(block, language, theme, warn)
    document = run.part
    package = document.package
    number = sum(1 for part in package.iter_parts() if part.partname.startswith("/word/charts/chart")) + 1
    chart = Part(PackURI(f"/word/charts/chart{number}.xml"), CT_CHART, chart_xml(p).encode("utf-8"), package)
    book = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{number}.xlsx"), CT_XLSX,
                xlsx(p.names, [(ser.name, ser.values) for ser in p.series], when), package)
    chart.relate_to(book, RT_PACKAGE)  # the first relationship of a new part: rId1, as c:externalData says
    rid = document.relate_to(chart, RT_CHART)
    emu = 12700
    run._r.append(parse_xml(
        '<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        f'xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}">'
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{round(width * emu)}" cy="{round(height * emu)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{document.next_id}" name="{_esc(name)}" descr="{_esc(alt)}" title="{_esc(p.title)}"/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{C}"><c:chart r:id="{rid}"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing>"))
