"""The workbook embedded in a chart: what PowerPoint and Word open for "Edit Data".

A category chart's data in python-pptx's sheet layout (categories in column A from
row 2, each series a column from B with its name in row 1), so the references
python-pptx writes into the chart XML (``Sheet1!$A$2:$A$n``, ``Sheet1!$B$1``)
point at the right cells.  Written directly as SpreadsheetML: XlsxWriter, which
python-pptx would use, costs ~30 ms to import and stamps the file with the
clock; this is byte-for-byte reproducible and dated like the brief.
"""
from __future__ import annotations

import io
import math
import zipfile
from datetime import datetime
from typing import Optional, Sequence

from .reproducible import add_entry, zip_timestamp
from .xmltext import text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = _HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = _HEAD + (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
_WORKBOOK = _HEAD + (
    f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = _HEAD + (
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# The least a styles part may hold: Excel wants the two built-in fills and one of everything else.
_STYLES = _HEAD + (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column(number: int) -> str:
    """Excel's column letters for a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _string_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text(value)}</t></is></c>'


def _number_cell(ref: str, value: Optional[float]) -> str:
    if value is None or not math.isfinite(value):
        return ""  # an empty cell, as python-pptx writes a missing point
    number = str(value) if isinstance(value, int) else repr(float(value))
    return f'<c r="{ref}"><v>{number}</v></c>'


def sheet_xml(categories: Sequence[str], series: Sequence[tuple[str, Sequence[Optional[float]]]]) -> str:
    """The worksheet: row 1 holds the series names, then one row per category."""
    rows = ['<row r="1">' + "".join(_string_cell(f"{column(2 + i)}1", name) for i, (name, _) in enumerate(series))
            + "</row>"]
    for r, category in enumerate(categories, start=2):
        cells = [_string_cell(f"A{r}", category)]
        cells += [_number_cell(f"{column(2 + i)}{r}", values[r - 2] if r - 2 < len(values) else None)
                  for i, (_, values) in enumerate(series)]
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    last = f"{column(1 + len(series))}{1 + len(categories)}"
    return _HEAD + (f'<worksheet xmlns="{_MAIN}"><dimension ref="A1:{last}"/>'
                    f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def _core_xml(when: Optional[datetime]) -> str:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else "1980-01-01T00:00:00Z"
    return _HEAD + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def xlsx(categories: Sequence[str], series: Sequence[tuple[str, Sequence[Optional[float]]]],
         when: Optional[datetime] = None) -> bytes:
    """The .xlsx bytes holding ``categories`` and ``series`` (name, values) in python-pptx's layout."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/core.xml": _core_xml(when),
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": sheet_xml(categories, series),
    }
    stamp = zip_timestamp(when)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            add_entry(z, name, xml.encode("utf-8"), stamp)
    return out.getvalue()
