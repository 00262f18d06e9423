"""Tagged PDF (PDF/UA-1): marked content with MCIDs on the canvas, and the structure tree.

ReportLab has no tagging API, so:

* ``StructTree`` holds the brief's structure elements (``Elem``), made in reading order as the
  story is built: ``Document`` > ``H1``-``H6``, ``P``, ``L``/``LI``/``Lbl``/``LBody``,
  ``Table``/``TR``/``TH``/``TD``, ``Figure`` (with ``Alt``), ``Sect``, ``Div``, ``Note``...
* A flowable that draws content carries its element (``Tagged.struct``); while it is drawn the
  ``TaggingCanvas`` wraps its operators in ``/P <</MCID n>> BDC ... EMC``. The parts of a
  paragraph split across pages carry the same element, so it stays one element. A list item's
  bullet (the first text ReportLab draws for it) gets its own ``Lbl``.
* Everything else on a page is an artifact: the running header, markings, page numbers and the
  footer as ``/Pagination`` artifacts (``TaggingCanvas.pagination``), and rules, box backgrounds and
  table grids inside the artifact sequence that is open whenever no element is.
* Each link annotation gets a ``Link`` element that reaches it (``OBJR``), a ``/StructParent`` and a
  ``/Contents`` description; a note mark's link sits in a ``Reference``. Each note is a ``Note``
  (with an ``ID``) placed after the element that holds its mark.
* ``TaggingCanvas.save`` writes the tree with ReportLab's PDF objects: ``/StructTreeRoot`` with its
  ``/ParentTree``, ``/MarkInfo``, and on each page ``/StructParents`` and ``/Tabs /S``.

A layout that is only measured draws on an ordinary canvas, and nothing here runs.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFObjectReference, PDFString
from reportlab.pdfgen.canvas import Canvas, _annFormat
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Image, Paragraph

__all__ = ["Elem", "StructTree", "Tagged", "TaggedParagraph", "TaggedImage", "TaggingCanvas", "tagging_of"]


class Elem:
    """One structure element: its type, parent, children (elements and marked content) and attributes."""

    __slots__ = ("type", "parent", "kids", "attrs", "marks", "once", "drawn")

    def __init__(self, type: str, parent: "Elem | None" = None, **attrs) -> None:
        self.type = type
        self.parent = parent
        self.kids: list = []          # Elem, _MCR or _OBJR, in reading order
        self.attrs = attrs            # Alt, ID, Scope
        self.marks: list[int] = []    # notes whose marks this element holds
        self.once = False             # drawn again (a repeated table header): an artifact then
        self.drawn = False
        if parent is not None:
            parent.kids.append(self)

    def has_content(self) -> bool:
        return any(not isinstance(k, Elem) or k.has_content() for k in self.kids)


class _MCR:
    __slots__ = ("page", "mcid")

    def __init__(self, page: int, mcid: int) -> None:
        self.page, self.mcid = page, mcid


class _OBJR:
    __slots__ = ("page", "name")

    def __init__(self, page: int, name: str) -> None:
        self.page, self.name = page, name


class StructTree:
    """The structure elements of one brief, made in reading order as its story is built."""

    def __init__(self) -> None:
        self.root = Elem("Document")
        self.notes: dict[int, Elem] = {}

    def add(self, type: str, parent: Elem | None = None, **attrs) -> Elem:
        return Elem(type, parent or self.root, **attrs)

    def note(self, number: int) -> Elem:
        """The ``Note`` element of note ``number`` (placed after its mark's element when written)."""
        elem = self.notes.get(number)
        if elem is None:
            elem = self.notes[number] = Elem("Note", None, ID=f"fn{number}")
        return elem


def tagging_of(canv) -> "TaggingCanvas | None":
    """The canvas, when it tags (a written layout); None on a measuring canvas."""
    return canv if isinstance(canv, TaggingCanvas) else None


class Tagged:
    """Mixin for a flowable that draws content: its drawing is marked as its element ``struct``
    (and a list item's bullet as ``label``); split parts keep both."""

    struct: Elem | None = None
    label: Elem | None = None

    def drawOn(self, canv, x, y, _sW=0):
        tags, elem = tagging_of(canv), self.struct
        if tags is None or elem is None or (elem.once and elem.drawn):
            return super().drawOn(canv, x, y, _sW)    # untagged, or inside the open artifact
        elem.drawn = True
        label = self.label if getattr(self, "bulletText", None) else None
        tags.begin(elem, label=label)
        try:
            return super().drawOn(canv, x, y, _sW)
        finally:
            tags.end()

    def split(self, aW, aH):
        parts = super().split(aW, aH)
        for part in parts:
            if part is not self:
                part.struct, part.label = self.struct, self.label
        return parts


class _SpacedLines(PDFTextObject):
    """Each line ends with a space: text read from the structure tree (a screen reader, reflow,
    copying) keeps its words apart where a paragraph's lines break. Invisible, and nothing is
    drawn after it on that line."""

    def _textOut(self, text, TStar=0):
        super()._textOut(text + " " if TStar and text[-1:] != " " else text, TStar)


class _TaggedLinkAnnotation(pdfdoc.LinkAnnotation):
    permitted = pdfdoc.LinkAnnotation.permitted + ("StructParent",)


class TaggingCanvas(Canvas):
    """A canvas that marks what it draws: the element open (``begin``/``end``), a pagination
    artifact (``pagination``) or, between them, a plain artifact (``open_page``/``close_page``)."""

    tree: StructTree | None = None

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._mode = ""       # "" (between pages), "artifact", "tag", "label" (a bullet to come)
        self._open: list[Elem] = []
        self._pending_label: tuple[Elem, Elem] | None = None
        self._mcids: dict[int, list[Elem]] = {}     # page -> element of each MCID
        self._keys: dict[int, int] = {}             # page -> its /StructParents key
        self._annots: list[tuple[int, Elem]] = []   # (key, Link element) of each annotation
        self._next_key = 0

    # -- marked content
    def _literal(self, text: str) -> None:
        self._code.append(text)

    def open_page(self) -> None:
        """After the page furniture: until an element opens, what is drawn is an artifact."""
        self._literal("/Artifact BMC")
        self._mode = "artifact"

    def close_page(self) -> None:
        if self._mode:
            self._literal("EMC")
        self._mode = ""

    def _mcid(self, elem: Elem) -> int:
        page = self._pageNumber
        mcids = self._mcids.get(page)
        if mcids is None:
            mcids = self._mcids[page] = []
            self._keys[page] = self._take_key()
        elem.kids.append(_MCR(page, len(mcids)))
        mcids.append(elem)
        return len(mcids) - 1

    def _take_key(self) -> int:
        key, self._next_key = self._next_key, self._next_key + 1
        return key

    def begin(self, elem: Elem, *, label: Elem | None = None) -> None:
        if self._mode in ("tag", "label"):   # inside an element already: its content joins that one
            self._open.append(self._open[-1])
            return
        if self._mode == "artifact":
            self._literal("EMC")
        self._open.append(elem)
        self._mode = "tag"
        if label is not None:       # the bullet is the first text drawn (see drawText)
            self._pending_label = (label, elem)
            self._mode = "label"
            self._literal("/Artifact BMC")
            return
        self._literal(f"/{elem.type} <</MCID {self._mcid(elem)}>> BDC")

    def end(self) -> None:
        self._open.pop()
        if self._open:
            return
        self._pending_label = None  # (had no bullet been drawn after all)
        self._literal("EMC")
        self._literal("/Artifact BMC")
        self._mode = "artifact"

    def beginText(self, x=0, y=0, direction=None):
        return _SpacedLines(self, x, y, direction=direction)

    def drawText(self, aTextObject) -> None:
        if self._pending_label is not None:
            label, body = self._pending_label
            self._pending_label = None
            self._literal("EMC")
            self._literal(f"/Lbl <</MCID {self._mcid(label)}>> BDC")
            super().drawText(aTextObject)
            self._literal("EMC")
            self._literal(f"/{body.type} <</MCID {self._mcid(body)}>> BDC")
            self._mode = "tag"
            return
        super().drawText(aTextObject)

    @contextmanager
    def pagination(self, subtype: str) -> Iterator[None]:
        """Running header, marking, page number, footer: a pagination artifact."""
        was = self._mode
        if was:
            self._literal("EMC")
        self._literal(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC")
        try:
            yield
        finally:
            self._literal("EMC")
            if was:
                self._literal("/Artifact BMC")

    # -- links: a Link element reaches each annotation, which has a description
    def _link(self, contents: str) -> tuple[int, str]:
        key = self._take_key()
        parent = self._open[-1] if self._open else (self.tree.root if self.tree else None)
        if parent is not None:
            if contents.startswith("Note "):
                parent = Elem("Reference", parent)
            link = Elem("Link", parent)
            link.kids.append(_OBJR(self._pageNumber, f"NUMBER{self._annotationCount + 1}"))
            self._annots.append((key, link))
        return key, contents

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1,
                 thickness=0, color=None, dashArray=None, **kw):
        # ReportLab's linkRect, with a structure parent and a description
        if not contents:
            target = str(destinationname)
            contents = f"Note {target[2:]}" if target.startswith("fn") and target[2:].isdigit() else \
                f"Go to {target}"
        key, contents = self._link(contents)
        kw.update(Rect=self._absRect(Rect, relative), Contents=contents,
                  Destination=self._bookmarkReference(destinationname), StructParent=key)
        _annFormat(kw, color, thickness, dashArray)
        return self._addAnnotation(_TaggedLinkAnnotation(**kw), name, addtopage)

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        key, contents = self._link(f"Link to {url}")
        kw.update(StructParent=key, Contents=PDFString(contents))
        return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    # -- the tree, written once every page is
    def save(self) -> None:
        if self.tree is not None:
            self._write_tree(self.tree)
        super().save()

    def _write_tree(self, tree: StructTree) -> None:
        doc = self._doc
        _place_notes(tree)
        _prune(tree.root)
        names: dict[int, str] = {}
        order: list[Elem] = []
        stack = [tree.root]
        while stack:                 # depth first, in reading order
            elem = stack.pop()
            names[id(elem)] = f"briefgen.SE{len(order)}"
            order.append(elem)
            stack += reversed([k for k in elem.kids if isinstance(k, Elem)])
        for elem in order:
            doc.Reference(_Direct(_elem_parts(elem, names)), names[id(elem)])
        nums: list[tuple[int, list]] = []
        for page, mcids in self._mcids.items():
            refs = [x for e in mcids for x in ((REF, names[id(e)]) if id(e) in names else "null", " ")]
            nums.append((self._keys[page], ["[", *refs, "]"]))
        for key, link in self._annots:
            if id(link) in names:
                nums.append((key, [(REF, names[id(link)])]))
        parts: list = ["<< /Nums ["]
        for key, value in sorted(nums, key=lambda kv: kv[0]):
            parts += [f"{key} ", *value, " "]
        doc.Reference(_Direct(parts + ["] >>"]), "briefgen.ParentTree")
        doc.Reference(_Direct(["<< /Type /StructTreeRoot /K ", (REF, names[id(tree.root)]),
                               " /ParentTree ", (REF, "briefgen.ParentTree"),
                               f" /ParentTreeNextKey {self._next_key} >>"]), ROOT)
        self.setCatalogEntry("StructTreeRoot", PDFObjectReference(ROOT))
        self.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
        for n, page in enumerate(doc.Pages.pages, 1):
            extra = ["Tabs"] + (["StructParents"] if n in self._keys else [])
            page.__NoDefault__ = list(type(page).__NoDefault__) + extra    # PDFPage writes only the keys it lists
            page.Tabs = PDFName("S")
            if n in self._keys:
                page.StructParents = self._keys[n]


REF = object()          # in a ``_Direct`` object's parts: (REF, name) is a reference to that object
ROOT = "briefgen.StructTreeRoot"


class _Direct(PDFObject):
    """A PDF object written straight from its parts: text, (REF, name) and ReportLab objects.
    A brief has hundreds of structure elements, and ReportLab's dictionaries cost some 30 us each."""

    def __init__(self, parts: list) -> None:
        self.parts = parts

    def format(self, document) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part.encode("latin-1"))
            elif isinstance(part, tuple):
                out.append(b"%d %d R" % numbers[part[1]])
            else:
                out.append(pdfdoc.format(part, document))
        return b"".join(out)


def _elem_parts(elem: Elem, names: dict[int, str]) -> list:
    first = next((k.page for k in _marks(elem)), None)
    kids: list = []
    for kid in elem.kids:
        if isinstance(kid, Elem):
            if id(kid) in names:
                kids += [(REF, names[id(kid)]), " "]
        elif isinstance(kid, _MCR):
            kids.append(f"{kid.mcid} " if kid.page == first else "<< /Type /MCR /Pg ")
            if kid.page != first:
                kids += [(REF, f"Page{kid.page}"), f" /MCID {kid.mcid} >> "]
        else:
            kids += ["<< /Type /OBJR /Pg ", (REF, f"Page{kid.page}"), " /Obj ", (REF, f"Annot.{kid.name}"), " >> "]
    parent = names[id(elem.parent)] if elem.parent is not None else ROOT
    parts = [f"<< /Type /StructElem /S /{elem.type} /P ", (REF, parent), " /K [", *kids, "]"]
    if first is not None:   # ReportLab names its page objects Page1, Page2...
        parts += [" /Pg ", (REF, f"Page{first}")]
    for key in ("Alt", "ID"):
        if elem.attrs.get(key):
            parts += [f" /{key} ", PDFString(elem.attrs[key])]
    if elem.attrs.get("Scope"):
        parts.append(f" /A << /O /Table /Scope /{elem.attrs['Scope']} >>")
    return parts + [" >>"]


def _marks(elem: Elem):
    return (k for k in elem.kids if not isinstance(k, Elem))


_TABLE_PARTS = ("Table", "TR", "TH", "TD")


def _place_notes(tree: StructTree) -> None:
    """Each note after the content of the element holding its mark, or after its table."""
    placed: set[int] = set()

    def walk(elem: Elem) -> None:
        for kid in list(elem.kids):
            if isinstance(kid, Elem):
                walk(kid)
        numbers = [n for n in dict.fromkeys(elem.marks) if n in tree.notes and n not in placed]
        if not numbers:
            return
        placed.update(numbers)
        notes = [tree.notes[n] for n in numbers]
        host, at = elem, len(elem.kids)
        if elem.type in _TABLE_PARTS:    # a table holds rows only: its notes follow it
            table = elem
            while table.type != "Table" and table.parent is not None:
                table = table.parent
            host = table.parent or tree.root
            at = host.kids.index(table) + 1 if table in host.kids else len(host.kids)
        for note in notes:
            note.parent = host
        host.kids[at:at] = notes

    walk(tree.root)


def _prune(elem: Elem) -> None:
    """Leave out elements that drew nothing (a figure never placed, a box without text)."""
    elem.kids = [k for k in elem.kids if not isinstance(k, Elem) or k.has_content()]
    for kid in elem.kids:
        if isinstance(kid, Elem):
            _prune(kid)



class TaggedParagraph(Tagged, Paragraph):
    """A paragraph drawn as its element (title block, table cells, notes)."""


class TaggedImage(Tagged, Image):
    """An image drawn as its ``Figure``."""
