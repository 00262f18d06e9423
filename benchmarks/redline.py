"""What a redline adds to an edition: ``python benchmarks/redline.py [--repeats N] [--json]``.

Builds ``examples/minister-two-page.yaml`` once, in-process, and makes its previous edition from
it (a word changed in every fourth paragraph, a paragraph removed, one added, a note reworded).
Then, warm and repeated, it times what regen does for an edition because of the comparison, and
nothing else: the new model kept as JSON, the previous model read back, the sentence summary,
and the redline made from the two DOCX packages, the previous one read as published (regen's
usual case: only the content changed) or set again from its model in the new theme (after a
change to the theme, its fonts or briefgen). For scale it times the edition's own writing (DOCX,
PDF and Markdown) the same way. The target: at most 100 ms added for this two-page brief.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import briefgen  # noqa: E402
from briefgen.compare import document_to_json  # noqa: E402
from briefgen.model import BulletList, Div, Document, Note, Para, Text  # noqa: E402
from briefgen.regen.comparison import compare_with_previous  # noqa: E402
from briefgen.writers import get_writer  # noqa: E402

SPEC = ROOT / "examples" / "minister-two-page.yaml"
TARGET_MS = 100.0


def _reword(inlines: tuple, count: list[int]) -> tuple:
    out = []
    for node in inlines:
        if isinstance(node, Text) and count[0] % 4 == 0 and len(node.text.split()) > 4:
            words = node.text.split(" ")
            words[2] = "formerly" if words[2] != "formerly" else "lately"
            node = Text(" ".join(words))
            count[0] += 1
        elif isinstance(node, Note) and count[1] == 0:
            node = replace(node, children=(*node.children, Text(" Reworded.")))
            count[1] = 1
        out.append(node)
    count[0] += 1
    return tuple(out)


def _edit(blocks: tuple, count: list[int]) -> tuple:
    out = []
    for block in blocks:
        if isinstance(block, Para):
            block = replace(block, children=_reword(block.children, count))
        elif isinstance(block, BulletList):
            block = replace(block, items=tuple(_edit(item, count) for item in block.items))
        elif isinstance(block, Div):
            block = replace(block, children=_edit(block.children, count))
        out.append(block)
    return tuple(out)


def previous_edition(doc: Document) -> Document:
    """The new edition as it was a week earlier: reworded, one paragraph more, one fewer."""
    blocks = list(_edit(doc.blocks, [0, 0]))
    paras = [i for i, b in enumerate(blocks) if isinstance(b, Para)]
    del blocks[paras[-2]]            # one paragraph the earlier edition lacked...
    blocks.insert(paras[3], Para((Text("A paragraph the earlier edition had and the new one dropped."),)))
    return Document(replace(doc.meta, date=doc.meta.date - dt.timedelta(days=7)), tuple(blocks))


def median_ms(work, repeats: int) -> float:
    work()   # warm: imports, caches, first-use costs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        result = briefgen.build(SPEC, formats="md", out_dir=tmp)
    new = result.assembly.document
    theme = briefgen.load_theme(ROOT / "themes" / result.spec.theme)
    old_json = document_to_json(previous_edition(new))
    formats = ("docx", "pdf", "md")

    def write(fmt: str) -> bytes:
        out = io.BytesIO()
        get_writer(fmt)(new, theme, out)
        return out.getvalue()

    new_docx = write("docx")
    found = {}

    def comparison(published: Path | None) -> None:
        document_to_json(new)                                   # kept for the next edition
        summary, redline = compare_with_previous(old_json, new, theme, formats, new.meta.date, published)
        found["summary"], found["redline"] = summary, redline(new_docx)

    with tempfile.TemporaryDirectory() as tmp:
        published = Path(tmp) / "previous.docx"
        previous = io.BytesIO()
        get_writer("docx")(previous_edition(new), theme, previous)
        published.write_bytes(previous.getvalue())
        as_published = median_ms(lambda: comparison(published), args.repeats)
    added = median_ms(lambda: comparison(None), args.repeats)
    edition = median_ms(lambda: [write(fmt) for fmt in formats], args.repeats)
    counts = {k: sum(1 for s in found["summary"]["sections"] for c in s["changes"] if c["kind"] == k)
              for k in ("changed", "added", "removed")}
    report = {"brief": SPEC.name, "repeats": args.repeats, "comparison_ms": round(added, 1),
              "comparison_published_ms": round(as_published, 1),
              "edition_write_ms": round(edition, 1), "target_ms": TARGET_MS, "met": added <= TARGET_MS,
              "sentences": counts, "words": new and found["summary"]["words"]["after"]}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{SPEC.name}: {report['words']} words; sentences changed {counts['changed']}, added "
              f"{counts['added']}, removed {counts['removed']}")
        print(f"redline and summary add {as_published:.1f} ms with the previous DOCX as published, "
              f"{added:.1f} ms with it set again (medians of {args.repeats}), to an edition whose DOCX, PDF "
              f"and Markdown take {edition:.1f} ms to write; target <= {TARGET_MS:.0f} ms: "
              f"{'met' if report['met'] else 'MISSED'}")
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
