"""Page furniture: page setup, the title block on page 1, headers and footers.

Every page: the marking banner centred at the top and bottom; a footer with the theme's footer text
and "Page X of Y" (PAGE and NUMPAGES fields, which Word and LibreOffice update). From page 2: a
running header with the short title and the theme's header text (Word's "different first page").
A reference document's own header and footer content (a crest, a rule) is kept around ours.
"""

from __future__ import annotations

import copy

from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Twips

from ...layout.metrics import PAGE_MM
from ...model import Meta
from ...theme import Theme
from .context import Context
from .inlines import Fmt
from .xml import el, merge_ppr, mm_emu, ppr, pt_twips, qn

__all__ = ["setup_page", "title_block", "furnish", "furniture_heights_mm"]

MIN_DISTANCE_MM = 4  # headers and footers stay this far from the paper's edge (printers' margin)
GAP_MM = 1.5         # at least this between the header and the text, and the text and the footer
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def setup_page(section, theme: Theme) -> None:
    """Page size and margins from the theme (only with the bundled template: a reference
    document's own page setup wins, as with pandoc)."""
    width, height = PAGE_MM[theme.page.size]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    m = theme.page.margins_mm
    section.top_margin, section.bottom_margin = Mm(m.top), Mm(m.bottom)
    section.left_margin, section.right_margin = Mm(m.left), Mm(m.right)
    header, footer = furniture_heights_mm(theme)
    section.header_distance = Mm(max(MIN_DISTANCE_MM, m.top - header - GAP_MM))
    section.footer_distance = Mm(max(MIN_DISTANCE_MM, m.bottom - footer - GAP_MM))
    section.gutter = Twips(0)


def furniture_heights_mm(theme: Theme) -> tuple[float, float]:
    """Heights of the page-2 header (marking, running line) and of the footer (page line,
    marking). Word pushes the text down when a header is taller than the room between its
    distance from the edge and the margin, which would give Word fewer lines than the PDF."""
    f = theme.fonts
    marking = f.size * 1.2      # the Marking style's exact line height
    line = f.note_size * 1.25   # the header and footer styles' exact line height
    height = (marking + line) * 25.4 / 72
    return height, height


def _line(ctx: Context, style: str, left: str, right_runs: list | str | None, width: int, *, part=None):
    """A one-line paragraph: ``left`` text, then right-aligned text or runs on a tab stop."""
    p = el("w:p", [ppr(pStyle=el("w:pStyle", val=ctx.styles[style]),
                       tabs=el("w:tabs", [el("w:tab", val="right", pos=width)]))])
    writer = ctx.inline_writer(part)
    writer.text(p, left, Fmt())
    if right_runs:
        p.append(el("w:r", [el("w:tab")]))
        if isinstance(right_runs, str):
            writer.text(p, right_runs, Fmt())
        else:
            for run in right_runs:
                p.append(run)
    return p


def _text_run(text: str):
    t = el("w:t", xml__space="preserve")
    t.text = text
    return el("w:r", [t])


def _field(instr: str, shown: str) -> list:
    """A complex field (begin, instruction, separate, cached result, end)."""
    instr_el = el("w:instrText", xml__space="preserve")
    instr_el.text = f" {instr} "
    return [el("w:r", [el("w:fldChar", fldCharType="begin")]), el("w:r", [instr_el]),
            el("w:r", [el("w:fldChar", fldCharType="separate")]), _text_run(shown),
            el("w:r", [el("w:fldChar", fldCharType="end")])]


def page_x_of_y() -> list:
    return [_text_run("Page "), *_field("PAGE", "1"), _text_run(" of "), *_field("NUMPAGES", "1")]


def title_block(ctx: Context, meta: Meta) -> list:
    """Page 1: logo, document type and reference, title, subtitle, dates, author, disclaimer."""
    theme, width, out = ctx.theme, ctx.text_width, []
    writer = ctx.inline_writer()
    logo = theme.logo_path()
    if logo is not None:
        p = el("w:p", [ppr(pStyle=el("w:pStyle", val=ctx.styles["Figure"]), keepNext=el("w:keepNext"),
                           spacing=el("w:spacing", after=pt_twips(theme.fonts.size * 0.5)))])
        p.append(ctx.picture(ctx.document_part, logo, mm_emu(theme.logo_width_mm),
                             f"{theme.name} logo", max_width=False))
        out.append(p)
    if meta.label_line or meta.reference:
        out.append(_line(ctx, "Document Label", meta.label_line, meta.reference, width))
    out.append(_styled(ctx, writer, "Title", meta.title_line))
    if meta.subtitle:
        out.append(_styled(ctx, writer, "Subtitle", meta.subtitle_line))
    if meta.date_line:
        out.append(_styled(ctx, writer, "Title Meta", meta.date_line))
    if meta.people_line:
        out.append(_styled(ctx, writer, "Title Meta", meta.people_line))
    if meta.disclaimer:  # the build puts the theme's wording here when the brief wants one
        out.append(_styled(ctx, writer, "Disclaimer", meta.disclaimer))
    merge_ppr(out[-1], spacing=el("w:spacing", after=pt_twips(theme.fonts.size)))  # room before the text
    return out


def _styled(ctx: Context, writer, style: str, text: str):
    p = el("w:p", [ppr(pStyle=el("w:pStyle", val=ctx.styles[style]))])
    writer.text(p, text, Fmt())
    return p


def furnish(ctx: Context, document, meta: Meta) -> None:
    """Headers and footers of the (single) section."""
    section = document.sections[-1]
    section.different_first_page_header_footer = True
    marking = ctx.clean(meta.marking)
    colour = meta.marking_colour
    running = meta.short_title or meta.title
    width = ctx.text_width
    even = document.settings.odd_and_even_pages_header_footer
    default_header = section.header
    headers = [(section.first_page_header, True), (default_header, False)]
    footers = [section.first_page_footer, section.footer]
    if even:
        headers.append((section.even_page_header, False))
        footers.append(section.even_page_footer)
    # A reference document's default header, as it was, for the headers it lacks (its crest
    # belongs on page 1 too). python-docx has no public test for "this header exists".
    art_part = default_header.part if default_header._has_definition else None
    art = [copy.deepcopy(c) for c in art_part.element] if art_part is not None else []
    for header, first in headers:
        root, part, fresh = _story(header)
        if fresh and art:
            _copy_story(ctx, art, art_part, part)
        if marking:
            root.insert(0, _marking(ctx, marking, part, colour))
        if not first:
            root.append(_line(ctx, "header", running, ctx.theme.header_text, width, part=part))
        _ensure_paragraph(root)
        if meta.draft:   # in the header's first paragraph: a paragraph of its own would make it taller
            ctx.drawing_id += 1
            first_p = next(child for child in root if child.tag == qn("w:p"))
            first_p.append(draft_watermark(ctx.drawing_id))
    for footer in footers:
        root, part, _fresh = _story(footer)
        line = _line(ctx, "footer", ctx.theme.footer_text, page_x_of_y(), width, part=part)
        root.append(line)
        if marking:
            root.append(_marking(ctx, marking, part, colour))
        _ensure_paragraph(root)


def _story(hdrftr):
    """(root element, part, created now) for a header or footer, emptied when new."""
    fresh = not hdrftr._has_definition
    part = hdrftr.part
    root = part.element
    if fresh:  # python-docx's new header holds one empty paragraph; ours bring their own
        for child in list(root):
            root.remove(child)
    return root, part, fresh


def _marking(ctx: Context, marking: str, part, colour: str = ""):
    p = el("w:p", [ppr(pStyle=el("w:pStyle", val=ctx.styles["Marking"]))])
    ctx.inline_writer(part).text(p, marking, Fmt())
    if colour:   # the level's own colour (the US scheme's), over the Marking style's
        for run in p.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = el("w:rPr")
                run.insert(0, rpr)
            rpr.append(el("w:color", val=colour.lstrip("#").upper()))
    return p


# Word's own draft watermark (Design > Watermark > DRAFT): a VML text-path shape in the header,
# rotated 315 degrees, centred on the margins, behind the text; LibreOffice reads it as Word does.
_WATERMARK = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>
<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>
<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
 o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>
<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:412.4pt;height:137.45pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
 o:allowincell="f" fillcolor="silver" stroked="f"><v:fill opacity=".5"/>
<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="DRAFT"/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def draft_watermark(number: int):
    """A run holding Word's DRAFT watermark shape (``number`` keeps each header's shape id unique)."""
    from lxml import etree

    return etree.fromstring(_WATERMARK.replace("{n}", str(number)).replace("{spid}", str(2048 + number)))


def _ensure_paragraph(root) -> None:
    """A header or footer must end with a paragraph (after a table, too)."""
    if not len(root) or root[-1].tag != qn("w:p"):
        root.append(el("w:p"))


def _copy_story(ctx: Context, nodes: list, src_part, dst_part) -> None:
    """Copy header content into another header part, re-relating its images and links and
    renumbering its drawings (duplicate drawing ids make Word repair a file)."""
    for child in nodes:
        node = copy.deepcopy(child)
        for attr_el in node.iter():
            for name, value in list(attr_el.attrib.items()):
                if name.startswith(_R) and value in src_part.rels:
                    rel = src_part.rels[value]
                    if rel.is_external:
                        new = dst_part.relate_to(rel.target_ref, rel.reltype, is_external=True)
                    else:
                        new = dst_part.relate_to(rel.target_part, rel.reltype)
                    attr_el.set(name, new)
        for doc_pr in node.iter(qn("wp:docPr")):
            ctx.drawing_id += 1
            doc_pr.set("id", str(ctx.drawing_id))
        dst_part.element.append(node)
