"""The key-figures chart: a native, editable PowerPoint chart from a charted :class:`Figure`.

Categories are ``Datum.name``, values ``Datum.value``; the unit goes into the
chart title and the value axis title; colours come from the theme's chart list.
The chart's embedded workbook is written by :mod:`builders.workbook` (reproducible, dated
like the brief), and python-pptx's negative axis ids are made positive for strict
validators.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from .._imports import import_pptx_chart_data

import_pptx_chart_data()  # without XlsxWriter: the workbook is ours

from pptx.chart.data import CategoryChartData  # noqa: E402
from pptx.dml.color import RGBColor  # noqa: E402
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION  # noqa: E402
from pptx.oxml.ns import qn  # noqa: E402
from pptx.util import Pt  # noqa: E402

from ..document import Document, FigureBlock  # noqa: E402
from ..model import Figure  # noqa: E402
from ..theme import Theme  # noqa: E402
from .faces import safe_wrap  # noqa: E402
from .text import set_fonts  # noqa: E402
from ..workbook import xlsx  # noqa: E402

TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
}


def chart_title(fig: Figure, doc: Document) -> str:
    title = fig.title.plain
    if not fig.unit:
        return title
    return f"{title}（{fig.unit}）" if doc.is_cjk else f"{title} ({fig.unit})"


class _ChartData(CategoryChartData):
    """python-pptx's category chart data, with the embedded workbook written by :func:`builders.workbook.xlsx`."""

    def __init__(self, when: Optional[datetime], **kwargs):
        super().__init__(**kwargs)
        self._when = when

    @property
    def xlsx_blob(self) -> bytes:
        return xlsx([c.label for c in self.categories],
                    [(s.name, s.values) for s in self], self._when)


def add_chart(slide, block: FigureBlock, box: tuple[float, float, float, float], theme: Theme, doc: Document,
              fitter, when: Optional[datetime]):
    """Add ``block``'s figure as a chart in ``box`` (points); returns the graphic frame."""
    fig = block.figure
    data = _ChartData(when, number_format=block.number_format)
    data.categories = list(fig.all_categories)
    series = fig.all_series
    for ser in series:  # one series is named by the unit (its axis says so); several by their own names
        data.add_series(ser.name if len(series) > 1 else (fig.unit or fig.title.plain), ser.values)
    kind = TYPES.get(fig.chart or "column", XL_CHART_TYPE.COLUMN_CLUSTERED)
    left, top, width, height = (Pt(v) for v in box)
    frame = slide.shapes.add_chart(kind, left, top, width, height, data)
    frame.name = f"Chart {fig.id}"
    frame._element.nvGraphicFramePr.cNvPr.set("descr", block.alt)
    chart = frame.chart
    size = max(theme.sizes.slide_min, 14)
    role = theme.fonts.caption
    chart.font.size = Pt(size)
    chart.font.color.rgb = RGBColor.from_string(theme.colours.text.hex)
    _fonts_in(chart._chartSpace.find(qn("c:txPr")), role, doc.language)
    _title(chart, fig, doc, theme, box[2], fitter)
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = block.number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.font.size = Pt(size)
    _fonts_in(labels._element.find(qn("c:txPr")), role, doc.language)
    colours = theme.colours.chart
    if fig.chart == "pie":
        labels.position = XL_LABEL_POSITION.OUTSIDE_END  # dark slices would swallow dark labels
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.RIGHT
        chart.legend.include_in_layout = False
        for i, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(colours[i % len(colours)].hex)
    else:
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(size)
            _fonts_in(chart.legend._element.find(qn("c:txPr")), role, doc.language)
        for i, ser in enumerate(plot.series):
            colour = RGBColor.from_string(colours[i % len(colours)].hex)
            if fig.chart == "line":
                ser.format.line.color.rgb = colour
                ser.format.line.width = Pt(2.5)
            else:
                ser.format.fill.solid()
                ser.format.fill.fore_color.rgb = colour
        if fig.chart != "line":
            plot.gap_width = 80
        if fig.chart == "bar":  # bars are drawn bottom-up: reverse them so the first datum reads first
            chart.category_axis.reverse_order = True
        axis = chart.value_axis
        axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(theme.colours.rule.hex)
        axis.format.line.fill.background()
        if fig.unit:
            axis.has_title = True
            axis.axis_title.text_frame.text = fig.unit
            _style_frame(axis.axis_title.text_frame, size, theme, doc)
    _positive_axis_ids(chart)
    return frame


def _title(chart, fig: Figure, doc: Document, theme: Theme, width: float, fitter) -> None:
    """The chart title, wrapped by measurement so that it never runs past the chart's edges."""
    text = chart_title(fig, doc)
    size = float(theme.sizes.slide_body)
    avail = width * 0.9
    while size > theme.sizes.slide_min and fitter.title_faces.width(text, size) > avail:  # bold, like the title
        size -= 1
    lines = safe_wrap(text, avail, fitter.title_faces.fn(size)) or [text]
    chart.has_title = True
    tf = chart.chart_title.text_frame
    tf.text = "\n".join(lines)
    _style_frame(tf, size, theme, doc, bold=True, colour=theme.colours.heading.hex)


def _style_frame(tf, size: float, theme: Theme, doc: Document, bold: bool = False, colour: str | None = None) -> None:
    for p in tf.paragraphs:
        for r in p.runs:
            r.font.size = Pt(size)
            r.font.bold = bold
            r.font.color.rgb = RGBColor.from_string(colour or theme.colours.text.hex)
            set_fonts(r._r.get_or_add_rPr(), theme.fonts.caption, doc.language)


def _fonts_in(tx_pr, role, language: str) -> None:
    """Fonts and language on a c:txPr's default and end-of-paragraph properties."""
    if tx_pr is None:
        return
    for el in tx_pr.iter(qn("a:defRPr"), qn("a:endParaRPr")):
        set_fonts(el, role, language)


def _positive_axis_ids(chart) -> None:
    """python-pptx writes negative c:axId values; schema validators want unsignedInt."""
    for el in chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx")):
        el.set("val", str(abs(int(el.get("val")))))
