"""Build ``briefgen/writers/docx/reference.docx``, the lean base of every DOCX brief.

python-docx's default template carries ~850 KB of XML (every latent style, a theme, glossary) that
each brief would repeat; this one holds only what a brief uses: briefgen's styles (with the default
theme's values; the writer rebuilds them from the brief's theme), settings with Word's footnote
separators and compatibility mode, and a body showing each style, so that a communications officer
can copy it, restyle it in Word and name it as a theme's ``reference_docx``.

Run after changing ``briefgen/writers/docx/styles.py``:  python tools/make_reference_docx.py
The output is byte-identical for the same code, so an unchanged run leaves git clean.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen.theme import Theme  # noqa: E402
from briefgen.writers.docx.styles import doc_defaults, style_elements  # noqa: E402

OUT = ROOT / "briefgen" / "writers" / "docx" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = f"""{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>\
<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>\
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

PACKAGE_RELS = f"""{HEAD}<Relationships xmlns="{PKG_R}">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
</Relationships>"""

DOCUMENT_RELS = f"""{HEAD}<Relationships xmlns="{PKG_R}">\
<Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>\
<Relationship Id="rId2" Type="{R}/settings" Target="settings.xml"/>\
<Relationship Id="rId3" Type="{R}/fontTable" Target="fontTable.xml"/>\
<Relationship Id="rId4" Type="{R}/theme" Target="theme/theme1.xml"/>\
</Relationships>"""

# Settings in schema order. footnotePr names the separator notes (-1, 0) the writer creates;
# compatibilityMode 15 keeps Word out of "Compatibility Mode".
SETTINGS = f"""{HEAD}<w:settings xmlns:w="{W}">\
<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>\
<w:characterSpacingControl w:val="doNotCompress"/>\
<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>\
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>\
<w:themeFontLang w:val="en-GB"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>\
</w:settings>"""

FONT_TABLE = f"""{HEAD}<w:fonts xmlns:w="{W}" xmlns:r="{R}">\
<w:font w:name="Fira Sans"><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>\
<w:font w:name="Courier New"><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>\
</w:fonts>"""

# The smallest complete DrawingML theme: Word expects a theme part (validators flag its absence),
# but briefgen's styles name their fonts and colours directly, so none of this shows.
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_COLOURS = "".join(f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>' for name, value in (
    ("dk2", "1D3557"), ("lt2", "EEF2F7"), ("accent1", "1D3557"), ("accent2", "7B1E3A"),
    ("accent3", "8A8A8A"), ("accent4", "3A6EA5"), ("accent5", "6B8F71"), ("accent6", "C08A2E"),
    ("hlink", "1D3557"), ("folHlink", "7B1E3A")))
_FONT = '<a:latin typeface="Fira Sans"/><a:ea typeface=""/><a:cs typeface=""/>'
THEME = f"""{HEAD}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="briefgen">\
<a:themeElements><a:clrScheme name="briefgen">\
<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>\
{_COLOURS}</a:clrScheme>\
<a:fontScheme name="briefgen"><a:majorFont>{_FONT}</a:majorFont><a:minorFont>{_FONT}</a:minorFont></a:fontScheme>\
<a:fmtScheme name="briefgen"><a:fillStyleLst>{_FILL * 3}</a:fillStyleLst>\
<a:lnStyleLst>{('<a:ln w="6350">' + _FILL + '</a:ln>') * 3}</a:lnStyleLst>\
<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}</a:effectStyleLst>\
<a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>\
<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"""

CORE = f"""{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
<dc:title>briefgen reference document</dc:title><dc:language>en-GB</dc:language>\
<cp:revision>1</cp:revision></cp:coreProperties>"""

APP = f"""{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>briefgen</Application></Properties>"""

SAMPLES = [  # (style id, text): one paragraph per paragraph style, to restyle in Word
    ("DocumentLabel", "Document Label: Submission"),
    ("Title", "Title: briefgen reference document"),
    ("Subtitle", "Subtitle: restyle these paragraphs, keep the style names"),
    ("TitleMeta", "Title Meta: Date and author lines"),
    ("Disclaimer", "Disclaimer: small print under the title block"),
    ("Heading1", "Heading 1"), ("Heading2", "Heading 2"), ("Heading3", "Heading 3"),
    ("Heading4", "Heading 4"),
    ("Normal", "Normal: body text. Briefgen writes its briefs with these styles; this text is "
               "dropped when the document is used as a theme's reference_docx."),
    ("ListParagraph", "List Paragraph: list items"),
    ("BoxTitle", "Box Title: the title line of a shaded box"),
    ("TableHeading", "Table Heading"), ("TableText", "Table Text"),
    ("caption", "Caption: captions of tables and figures"),
    ("Bibliography", "Bibliography: one entry per paragraph, with a hanging indent"),
    ("Marking", "MARKING"),
]


def document_xml() -> str:
    paras = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{sid}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        for sid, text in SAMPLES)
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1247" '
            'w:bottom="1247" w:left="1247" w:header="567" w:footer="567" w:gutter="0"/>'
            '<w:titlePg/></w:sectPr>')
    return f'{HEAD}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{paras}{sect}</w:body></w:document>'


def styles_xml() -> bytes:
    root = etree.Element(f"{{{W}}}styles", nsmap={"w": W})
    theme = Theme()
    root.append(doc_defaults(theme, "en-GB"))
    for style in style_elements(theme):
        root.append(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build() -> bytes:
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
        ("word/document.xml", document_xml()), ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", styles_xml()), ("word/settings.xml", SETTINGS),
        ("word/fontTable.xml", FONT_TABLE), ("word/theme/theme1.xml", THEME),
        ("docProps/core.xml", CORE), ("docProps/app.xml", APP),
    ]
    from io import BytesIO

    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def main() -> None:
    data = build()
    OUT.write_bytes(data)
    with zipfile.ZipFile(OUT) as zf:
        unzipped = sum(i.file_size for i in zf.infolist())
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data)} bytes ({unzipped} unzipped)")


if __name__ == "__main__":
    main()
