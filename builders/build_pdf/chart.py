"""A figure of the brief as a vector chart (reportlab.graphics), in the theme's colours and fonts.

Column, bar, line and pie charts; labels come from :meth:`FontSet.line` so a
label is drawn by a font that has its characters.  Colours go through
:func:`.styles.colour` so a CMYK theme's chart is CMYK too.
"""
from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.formatters import DecimalFormatter

from ..document import Document
from ..model import Figure
from ..theme import Theme
from .coverage import FontSet
from .styles import colour


def chart_strings(doc: Document, figure: Figure) -> list[tuple[str, str]]:
    """(text, where) of every string the chart draws in one font, for the coverage pass."""
    out = [("".join(_labels(figure)), f"figures[{figure.id}].data")]
    if len(figure.all_series) > 1:
        out.append(("".join(s.name for s in figure.all_series), f"figures[{figure.id}].series"))
    if figure.unit:
        out.append((figure.unit, f"figures[{figure.id}].unit"))
    out.append(("0123456789.,-", "chart axis"))
    return out


def _labels(figure: Figure) -> list[str]:
    limit = 18 if figure.chart == "bar" else 14
    return [_short(x, limit) for x in figure.all_categories]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def draw_chart(doc: Document, theme: Theme, fonts: FontSet, figure: Figure, width: float) -> Drawing:
    """The chart of ``figure``, ``width`` points wide: one series, or several with a legend (a gap, ``None``,
    is left out; a range has no single value to draw)."""
    size = theme.sizes.caption
    kind = figure.chart or "column"
    all_series = figure.all_series
    n = len(figure.all_categories)
    height = min(width * 0.55, 80 + 26 * n * max(1, len(all_series) * 0.6)) if kind == "bar" else width * 0.5
    d = Drawing(width, height)
    text_c, muted, rule = (colour(theme, c) for c in (theme.colours.text, theme.colours.muted, theme.colours.rule))
    # The renderer's initial state would otherwise name unembedded Helvetica and RGB black.
    # (The renderer reads initialXxx attributes; Drawing's attribute map only admits the font ones.)
    d.__dict__.update(initialFontName=fonts.font_name("caption"), initialFontSize=size,
                      initialFillColor=text_c, initialStrokeColor=text_c)
    series = [colour(theme, c) for c in theme.colours.chart]
    data = [[None if v is None else float(v) for v in s.values] for s in all_series]
    values = [v for row in data for v in row if v is not None]
    labels = _labels(figure)
    label_font, label_texts = fonts.lines("caption", labels)
    num_font = fonts.font_name("caption")
    decimals = max((len(f"{v:g}".split(".")[1]) if "." in f"{v:g}" else 0) for v in values) if values else 0
    fmt = DecimalFormatter(places=min(decimals, 2))
    legend = len(data) > 1 and kind != "pie"
    if legend:  # the legend takes a band at the top
        height += size * 2
        d.height = height

    if kind == "pie":
        pie = Pie()
        pie.x, pie.y = width * 0.3, 10
        pie.width = pie.height = height - 20
        pie.data = [v or 0 for v in data[0]]
        values = pie.data
        pie.labels = [f"{t} {fmt(v)}" for t, v in zip(label_texts, values)]
        pie.slices.strokeColor = colour(theme, theme.colours.background)
        pie.slices.fontName, pie.slices.fontSize, pie.slices.fontColor = label_font, size, text_c
        for i in range(n):
            pie.slices[i].fillColor = series[i % len(series)]
        d.add(pie)
        return d

    if kind == "line":
        chart = HorizontalLineChart()
    elif kind == "bar":
        chart = HorizontalBarChart()
    else:
        chart = VerticalBarChart()
    left = 20 + (max(fonts_width(t, label_font, size) for t in label_texts) if kind == "bar" else 25)
    chart.x, chart.y = min(left, width * 0.45), 28 if kind != "bar" else 14
    chart.width = width - chart.x - 30
    chart.height = height - chart.y - 18 - (size * 2 if legend else 0)
    chart.data = data
    value_axis = chart.valueAxis
    cat_axis = chart.categoryAxis
    value_axis.valueMin = 0 if min(values, default=0) >= 0 else None
    value_axis.labels.fontName, value_axis.labels.fontSize, value_axis.labels.fillColor = num_font, size, muted
    value_axis.strokeColor = rule
    value_axis.visibleGrid = True
    value_axis.gridStrokeColor = rule
    value_axis.gridStrokeWidth = 0.5  # no hairlines: they vanish in print
    # Ticks on a wide range are whole numbers even when the data has decimals.
    value_axis.labelTextFormat = DecimalFormatter(places=0) if max(values, default=0) >= 10 else fmt
    cat_axis.categoryNames = label_texts
    cat_axis.labels.fontName, cat_axis.labels.fontSize, cat_axis.labels.fillColor = label_font, size, text_c
    cat_axis.strokeColor = rule
    if kind == "bar":
        cat_axis.labels.boxAnchor = "e"
        cat_axis.labels.dx = -4
        cat_axis.reverseDirection = True  # first datum on top, as read
    else:
        cat_axis.labels.boxAnchor = "n"
        cat_axis.labels.dy = -4
    if kind == "line":
        for i in range(len(data)):
            chart.lines[i].strokeColor = series[i % len(series)]
            chart.lines[i].strokeWidth = 2
    else:
        for i in range(len(data)):
            chart.bars[i].fillColor = series[i % len(series)]
            chart.bars[i].strokeColor = None
        chart.barLabelFormat = fmt if len(data) == 1 else None  # several series: the table has the numbers
        chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.fillColor = num_font, size, text_c
        chart.barLabels.nudge = 7 if kind == "column" else 12
        # A value label sits on the background, so a gridline passing behind it ("83.1" under the
        # 100 line) stops at its edge instead of striking the digits through (issue 19).
        chart.barLabels.boxFillColor = colour(theme, theme.colours.background)
        chart.barLabels.boxStrokeColor = None
        chart.barLabels.leftPadding = chart.barLabels.rightPadding = 1.5
        chart.barLabels.topPadding = chart.barLabels.bottomPadding = 0.5
        chart.groupSpacing = 10 if n > 2 else 30
    d.add(chart)
    if legend:
        _legend(d, fonts, figure, series, size, text_c, chart.x, height - size * 1.2)
    if figure.unit:
        unit_font, unit_text = fonts.line("caption", figure.unit)
        d.add(String(chart.x if kind != "bar" else chart.x + chart.width, chart.y + chart.height + 6, unit_text,
                     fontName=unit_font, fontSize=size, fillColor=muted,
                     textAnchor="start" if kind != "bar" else "end"))
    return d


def _legend(d: Drawing, fonts: FontSet, figure: Figure, colours, size, text_c, x: float, y: float) -> None:
    """A swatch and the name of each series, in a row."""
    from reportlab.graphics.shapes import Rect

    font, names = fonts.lines("caption", [s.name for s in figure.all_series])
    for i, name in enumerate(names):
        d.add(Rect(x, y - 1, size * 0.8, size * 0.8, fillColor=colours[i % len(colours)], strokeColor=None))
        d.add(String(x + size * 1.1, y, name, fontName=font, fontSize=size, fillColor=text_c))
        x += size * 2 + fonts_width(name, font, size)


def fonts_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)
