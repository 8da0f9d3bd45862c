"""The XMP metadata packet of a PDF/A-1 file: the Info dictionary again, in RDF, with the PDF/A id.

ISO 19005-1 6.7 wants every Info entry repeated in XMP with an equal value and a PDF/A identification
schema; PDFBox Preflight also wants each schema's namespace declared on its own ``rdf:Description``.
Written as text: the packet is small and fixed in shape, and pikepdf's metadata API would cost its
Unicode-wide regex at import (see :mod:`.finish`).
"""
from __future__ import annotations

__all__ = ["packet", "xmp_date"]


def xmp_date(d: str) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'`` → ``YYYY-MM-DDTHH:mm:SS+HH:mm`` (the same instant, as PDF/A compares them)."""
    s = d[2:] if d.startswith("D:") else d
    digits = s[:14].ljust(14, "0")
    y, mo, da, h, mi, se = digits[:4], digits[4:6] or "01", digits[6:8], digits[8:10], digits[10:12], digits[12:14]
    mo, da = mo if mo != "00" else "01", da if da != "00" else "01"
    tz = s[14:]
    if not tz or tz[0] == "Z":
        zone = "Z"
    else:
        hh, _, rest = tz[1:].partition("'")
        zone = f"{tz[0]}{hh.zfill(2)}:{(rest.strip(chr(39)) or '00').zfill(2)}"
    return f"{y}-{mo}-{da}T{h}:{mi}:{se}{zone}"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def packet(meta, info: dict[str, str], conformance: str, pdfx: bool) -> bytes:
    """The XMP packet for ``meta`` (a :class:`.finish.PdfMeta`) and the Info dictionary's text ``info``
    (``{"/Title": ...}``), PDF/A-1 level ``conformance``, pdf:Trapped for PDF/X: each schema on its own rdf:Description, its namespace declared there (PDFBox
    Preflight rejects namespaces declared only on rdf:RDF), every value equal to its Info twin."""
    def desc(ns: str, uri: str, body: str) -> str:
        return f'  <rdf:Description rdf:about="" xmlns:{ns}="{uri}">\n{body}  </rdf:Description>\n'

    def alt(tag: str, value: str) -> str:
        return (f'   <{tag}><rdf:Alt><rdf:li xml:lang="x-default">{_esc(value)}</rdf:li></rdf:Alt></{tag}>\n'
                if value else "")

    dc = "   <dc:format>application/pdf</dc:format>\n" + alt("dc:title", meta.title)
    dc += alt("dc:description", meta.subject)
    if meta.author:  # one entry: PDF/A-1 compares dc:creator with /Author as a whole
        dc += f"   <dc:creator><rdf:Seq><rdf:li>{_esc(meta.author)}</rdf:li></rdf:Seq></dc:creator>\n"
    if meta.language:
        dc += f"   <dc:language><rdf:Bag><rdf:li>{_esc(meta.language)}</rdf:li></rdf:Bag></dc:language>\n"
    pdf = "".join(f"   <pdf:{k}>{_esc(info[f'/{v}'])}</pdf:{k}>\n"
                  for k, v in (("Producer", "Producer"), ("Keywords", "Keywords")) if f"/{v}" in info)
    xmp = "".join(f"   <xmp:{k}>{xmp_date(info[f'/{v}'])}</xmp:{k}>\n"
                  for k, v in (("CreateDate", "CreationDate"), ("ModifyDate", "ModDate"), ("MetadataDate", "ModDate"))
                  if f"/{v}" in info)
    if "/Creator" in info:
        xmp += f"   <xmp:CreatorTool>{_esc(info['/Creator'])}</xmp:CreatorTool>\n"
    if pdfx:  # the Info dictionary's /Trapped, for the print shop's tools that read only XMP
        pdf += "   <pdf:Trapped>False</pdf:Trapped>\n"
    body = (desc("pdfaid", "http://www.aiim.org/pdfa/ns/id/",
                 f"   <pdfaid:part>1</pdfaid:part>\n   <pdfaid:conformance>{conformance}</pdfaid:conformance>\n")
            + desc("dc", "http://purl.org/dc/elements/1.1/", dc)
            + desc("pdf", "http://ns.adobe.com/pdf/1.3/", pdf)
            + desc("xmp", "http://ns.adobe.com/xap/1.0/", xmp)
            + (_TRAPPED_EXTENSION if pdfx else ""))
    packet = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
              '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
              ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
              f"{body} </rdf:RDF>\n</x:xmpmeta>\n"
              + (" " * 99 + "\n") * 20  # padding lets an archive tool update the packet in place
              + '<?xpacket end="w"?>')
    return packet.encode("utf-8")


# pdf:Trapped came into the Adobe PDF schema after XMP 2004, the version PDF/A-1 builds on: an archive
# validator knows it only from this PDF/A extension schema (PDFBox: "No type defined for ...Trapped").
_TRAPPED_EXTENSION = """\
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>Adobe PDF Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://ns.adobe.com/pdf/1.3/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdf</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>Trapped</pdfaProperty:name>
     <pdfaProperty:valueType>Text</pdfaProperty:valueType>
     <pdfaProperty:category>external</pdfaProperty:category>
     <pdfaProperty:description>Whether the document has been trapped: True, False or Unknown</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
"""
