"""The structure tree written into the finished PDF (issue 18), from what :mod:`.tags` recorded.

Each :class:`~.tags.Elem` becomes a StructElem whose /K lists its kids in
reading order: elements, marked-content ids (an /MCR dictionary when the
content is on another page than the element's /Pg) and link annotations
(/OBJR).  The ParentTree maps each page's /StructParents to the elements
owning its MCIDs, and each link annotation's /StructParent to its Link.
Pages get /Tabs /S; the catalog /MarkInfo, /Lang and /ViewerPreferences
/DisplayDocTitle.
"""
from __future__ import annotations

from typing import Optional

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tags import Elem

__all__ = ["apply", "prune"]


def prune(e: Elem) -> bool:
    """Drop elements with nothing drawn (a flowable never set, a link dropped); True if ``e`` keeps content."""
    kept = []
    for k in e.kids:
        if isinstance(k, Elem):
            if prune(k):
                kept.append(k)
        else:
            kept.append(k)
    e.kids = kept
    return bool(kept)


def apply(pdf: pikepdf.Pdf, root: Elem, bboxes: dict, annots: list[list], language: str) -> None:
    """Write the tree under ``root`` into ``pdf``.  ``bboxes``: id(Figure element) → (page, bbox);
    ``annots[page]``: the page's link annotations as reportlab wrote them, in order (None for one
    the finishing step removed)."""
    pages = [p.obj for p in pdf.pages]
    prune(root)
    parents: list[list] = [[] for _ in pages]  # page → MCID → element
    objr: list = []  # (annotation, element)
    ids: dict = {}  # /ID → element, for the IDTree
    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    def make(e: Elem, parent):
        """(the StructElem of ``e``, the page its content starts on): one pass, kids before /Pg."""
        d = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + e.role), P=parent))
        first: Optional[int] = None
        kids: list = []  # an Array once complete (the Document has thousands of kids; see ``nums``)
        for k in e.kids:
            if isinstance(k, Elem):
                child, page = make(k, d)
                kids.append(child)
                first = page if first is None else first
            elif k[0] == "annot":
                _, page, index = k
                a = annots[page][index] if page < len(annots) and index < len(annots[page]) else None
                if a is None:
                    continue
                objr.append((a, d))
                kids.append(Dictionary(Type=Name.OBJR, Obj=a, Pg=pages[page]))
                if e.link:
                    a.Contents = String(_describe(e.link))
            else:
                page, mcid = k
                first = page if first is None else first
                holder = parents[page]
                holder.extend([None] * (mcid + 1 - len(holder)))
                holder[mcid] = d
                kids.append(mcid if page == first else Dictionary(Type=Name.MCR, Pg=pages[page], MCID=mcid))
        if first is not None:
            d.Pg = pages[first]
        d.K = kids[0] if len(kids) == 1 and isinstance(kids[0], int) else Array(kids)
        if e.alt is not None:
            d.Alt = String(e.alt)
        if e.lang:
            d.Lang = String(e.lang)
        if e.id:
            d.ID = String(e.id)
            ids[e.id] = d
        attrs = dict(e.attrs or {})
        if e.role == "Figure" and id(e) in bboxes:
            _, box = bboxes[id(e)]
            attrs = {"O": "Layout", "BBox": [round(v, 2) for v in box], "Placement": "Block"}
        if attrs:
            d.A = Dictionary({"/" + k: (Name("/" + v) if isinstance(v, str) else Array(v))
                              for k, v in attrs.items()})
        return d, first

    tree_root.K = make(root, tree_root)[0]
    nums: list = []  # a Python list, made an Array once: pikepdf's Array.extend copies (quadratic)
    null = pikepdf.Object.parse(b"null")
    for i, (page, holder) in enumerate(zip(pages, parents)):
        page.StructParents = i
        page.Tabs = Name.S
        nums += [i, Array([x if x is not None else null for x in holder])]
    key = len(pages)
    for a, d in objr:
        a.StructParent = key
        nums += [key, d]
        key += 1
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    tree_root.ParentTreeNextKey = key
    if ids:
        tree_root.IDTree = pdf.make_indirect(Dictionary(Names=Array(
            [x for k in sorted(ids) for x in (String(k), ids[k])])))
    pdf.Root.StructTreeRoot = tree_root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    prefs = pdf.Root.get("/ViewerPreferences") or Dictionary()
    prefs.DisplayDocTitle = True
    pdf.Root.ViewerPreferences = prefs
    if language:
        pdf.Root.Lang = String(language)


def _describe(target: str) -> str:
    """A link's /Contents (PDF/UA: an alternate description): the address of a web or mail link, the
    place an internal link goes to."""
    return "→ " + target[1:] if target.startswith("#") else target
