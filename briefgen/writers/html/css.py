"""The HTML brief's one inline stylesheet, made from the theme: screen, then print with page furniture.

Print uses CSS paged media: the page size and margins are the theme's, and the page-margin boxes
carry the marking (top and bottom of every page), the running header from page 2, the footer text
and "Page X of Y", as the PDF and DOCX do.
"""

from __future__ import annotations

from ...model import Meta
from ...theme import Theme

__all__ = ["stylesheet", "css_string"]


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " " or ch == "\x7f":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _family(name: str) -> str:
    generic = "serif" if "serif" in name.lower() and "sans" not in name.lower() else "sans-serif"
    return f"{css_string(name)}, {generic}"


def stylesheet(theme: Theme, meta: Meta, marking: str) -> str:
    c, f, m = theme.colours, theme.fonts, theme.page.margins_mm
    h1, h2, h3, h4 = f.heading_sizes
    running = " \u00b7 ".join(x for x in (meta.short_title or meta.title, theme.header_text) if x)
    box_font = f"font-family: {_family(f.body)}; color: {c.text};"   # margin boxes inherit neither
    banner = css_string(marking)
    colour = meta.marking_colour or c.marking   # the level's own colour (the US scheme's), as in DOCX and PDF
    page_boxes = [
        f"@top-center {{ content: {banner}; {box_font} font-weight: 700; color: {colour}; }}" if marking else "",
        f"@bottom-center {{ content: {banner}; {box_font} font-weight: 700; color: {colour}; }}" if marking else "",
        f"@top-left {{ content: {css_string(running)}; {box_font} font-size: {f.note_size}pt; }}" if running else "",
        f"@bottom-left {{ content: {css_string(theme.footer_text)}; {box_font} font-size: {f.note_size}pt; }}"
        if theme.footer_text else "",
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box_font} '
        f"font-size: {f.note_size}pt; }}",
    ]
    return f"""
:root {{ color-scheme: light; }}
html {{ background: #ffffff; color: {c.text}; }}
body {{ font-family: {_family(f.body)}; font-size: {f.size}pt; line-height: {max(f.line_spacing, 1.5)};
  max-width: 42em; margin: 0 auto; padding: 0 1.25em 2em; overflow-wrap: break-word; }}
h1, h2, h3, h4, h5, h6, .doc-label, .box-title {{ font-family: {_family(f.heading)}; color: {c.heading};
  line-height: 1.25; }}
h1 {{ font-size: {f.title_size}pt; margin: 0.3em 0 0.2em; }}
h2 {{ font-size: {h1}pt; margin: 1.4em 0 0.4em; }}
h3 {{ font-size: {h2}pt; margin: 1.2em 0 0.3em; }}
h4 {{ font-size: {h3}pt; margin: 1em 0 0.3em; }}
h5, h6 {{ font-size: {h4}pt; margin: 1em 0 0.3em; }}
a {{ color: {c.accent}; text-decoration: underline; }}
a:focus-visible {{ outline: 3px solid {c.accent}; outline-offset: 2px; }}
.marking {{ text-align: center; font-weight: 700; color: {colour}; margin: 0; padding: 0.4em 0;
  letter-spacing: 0.04em; }}
.marking-top {{ border-bottom: 1px solid {c.rule}; }}
.marking-bottom {{ border-top: 1px solid {c.rule}; margin-top: 2em; }}
.title-block {{ margin: 1.2em 0 1.6em; }}
.logo {{ display: block; height: auto; margin-bottom: 0.8em; }}
.doc-label {{ display: flex; justify-content: space-between; gap: 1em; flex-wrap: wrap; font-weight: 700;
  margin: 0; }}
.subtitle {{ font-size: {h2}pt; margin: 0 0 0.6em; }}
.title-meta, .disclaimer {{ margin: 0.15em 0; }}
.disclaimer {{ font-style: italic; margin-top: 0.6em; }}
nav.contents {{ border-top: 1px solid {c.rule}; border-bottom: 1px solid {c.rule}; margin: 1em 0;
  padding: 0.2em 0 0.6em; }}
nav.contents h2 {{ margin-top: 0.6em; }}
nav.contents ol {{ margin: 0; padding-left: 1.4em; }}
p {{ margin: 0 0 0.75em; }}
li {{ margin: 0 0 0.35em; }}
li > p {{ margin: 0 0 0.35em; }}
.box {{ background: {c.box}; padding: 0.8em 1em; margin: 1em 0; }}
.box > :last-child {{ margin-bottom: 0; }}
.box-title {{ font-weight: 700; margin: 0 0 0.5em; }}
blockquote {{ margin: 1em 0; padding-left: 1em; border-left: 3px solid {c.rule}; }}
table {{ border-collapse: collapse; width: 100%; margin: 1em 0; font-size: 0.92em; }}
caption {{ text-align: left; font-style: italic; padding-bottom: 0.3em; }}
th, td {{ border: 1px solid {c.rule}; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }}
th {{ background: {c.box}; }}
figure {{ margin: 1em 0; }}
figure img {{ max-width: 100%; height: auto; }}
figcaption {{ font-style: italic; margin-top: 0.3em; }}
code {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.95em; }}
sup {{ line-height: 0; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; border: 0; }}
a[role="doc-noteref"] {{ text-decoration: none; padding: 0 0.1em; }}
section.notes {{ border-top: 1px solid {c.rule}; margin-top: 2em; font-size: {f.note_size / f.size:.3f}em; }}
section.notes h2 {{ font-size: {h2}pt; }}
section.notes li:target {{ background: {c.box}; }}
footer.page-foot p {{ margin: 0.4em 0; }}
@page {{ size: {theme.page.size}; margin: {m.top}mm {m.right}mm {m.bottom}mm {m.left}mm;
  {" ".join(b for b in page_boxes if b)} }}
@page :first {{ @top-left {{ content: none; }} }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: {f.size}pt; line-height: {f.line_spacing}; }}
  .marking {{ display: none; }}
  a {{ color: {c.text}; }}
  .annex {{ break-before: page; }}
  h2, h3, h4, h5, h6 {{ break-after: avoid; }}
  tr, figure, .box-title {{ break-inside: avoid; }}
  footer.page-foot {{ display: none; }}
}}
"""
