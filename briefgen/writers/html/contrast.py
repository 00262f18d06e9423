"""WCAG 2 contrast: the theme's text colours against the backgrounds the HTML brief sets them on."""

from __future__ import annotations

from ...theme import Theme

__all__ = ["contrast_ratio", "contrast_warnings", "AA_TEXT", "AA_LARGE"]

AA_TEXT = 4.5     # WCAG 2 success criterion 1.4.3, body-size text
AA_LARGE = 3.0    # ... and large text: 18 pt, or 14 pt bold
WHITE = "#ffffff"


def _luminance(hex_colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2's definition, sRGB)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), from 1 (none) to 21 (black on white)."""
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def contrast_warnings(theme: Theme) -> list[str]:
    """One warning per pairing of the theme's colours that the HTML brief shows below WCAG AA."""
    c, f = theme.colours, theme.fonts
    heading_large = min(f.heading_sizes[:3]) >= 14        # headings are bold
    pairs = [   # (what, foreground key, background key, minimum)
        ("body text", "text", "page", AA_TEXT),
        ("headings", "heading", "page", AA_LARGE if heading_large else AA_TEXT),
        ("links", "accent", "page", AA_TEXT),
        ("the marking banner", "marking", "page", AA_LARGE if f.size >= 14 else AA_TEXT),
        ("text in boxes", "text", "box", AA_TEXT),
        ("links in boxes", "accent", "box", AA_TEXT),
    ]
    colours = {**c.model_dump(), "page": WHITE}
    out = []
    for what, fg, bg, minimum in pairs:
        ratio = contrast_ratio(colours[fg], colours[bg])
        if ratio < minimum:
            where = "white" if bg == "page" else f"colours.{bg} {colours[bg]}"
            out.append(f"theme '{theme.name}': {what} (colours.{fg} {colours[fg]}) on {where} has contrast "
                       f"{ratio:.2f}:1, below WCAG AA {minimum:g}:1; darken colours.{fg} for the HTML brief")
    return out
