"""The change summary: what changed in a brief's modules, sources and key facts since its last edition.

A *snapshot* records, for one edition, each module the brief uses (a hash of the file and of its
text, its title and its key facts) and each source those modules cite (a hash of its registry
entry and a label). Comparing the previous edition's snapshot with the current one gives the
lines of the "What changed" box (Markdown, in the reader's words) and of ``changes.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .state import HistoryEntry

if TYPE_CHECKING:  # only for annotations: a no-op run must not import the whole pipeline
    from ..assemble import Assembly
    from ..catalog import Catalog
    from ..spec import BriefSpec

__all__ = ["Change", "snapshot", "compare", "visible_refs", "other_changes", "changes_markdown", "read_history"]

_MD_SPECIAL = set("\\`*_[]<>#|")


def _md(text: str) -> str:
    """A plain title or label made literal in Markdown."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class Change:
    """One line of the summary: ``text`` as the brief shows it, ``ref`` the id it is about,
    ``kind`` whether that is a ``module`` or a ``source``, and ``removed`` for one that is gone."""
    text: str
    ref: str
    kind: str = "module"
    removed: bool = False

    def line(self) -> str:
        """The form used in changes.md: the text, then the id."""
        return f"{self.text} (`{self.ref}`)"

    def shown_in(self, visible: set[str]) -> bool:
        """Whether the brief's box should carry this line: removals always, other changes only
        when their module or source made it into the brief (a page budget may drop modules)."""
        return self.removed or self.ref in visible


@lru_cache(maxsize=4096)
def _cited_keys(markdown: str) -> tuple[str, ...]:
    """Source keys cited in a piece of Markdown (a key fact, an alternative view). Remembered: a
    regen worker meets the same modules' facts in brief after brief (each snapshot parsed ~60)."""
    from ..model import Citation, block_inlines, iter_blocks, iter_inlines
    from ..parse import parse_markdown

    keys: list[str] = []
    for block in iter_blocks(parse_markdown(markdown)):
        for node in iter_inlines(block_inlines(block)):
            if isinstance(node, Citation):
                keys += [c.key for c in node.cites]
    return tuple(keys)


def _module_citations(module, variants) -> list[str]:
    """Source keys a module cites in the given variants, its key facts and its alternative view."""
    keys = [c.key for name in variants for citation in module.variant(name).citations for c in citation.cites]
    for extra in (*module.meta.key_facts, module.meta.alternative_view):
        if extra:
            keys += _cited_keys(extra)
    return keys


def _with_parents(keys: list[str], catalog: Catalog) -> list[str]:
    """The keys, each followed by the sources it is cited in (``cited_in``), without repeats."""
    out: dict[str, None] = {}
    queue = list(keys)
    while queue:
        key = queue.pop(0)
        source = catalog.sources.get(key)
        if key in out or source is None:
            continue
        out[key] = None
        if source.cited_in:
            queue.append(source.cited_in)
    return list(out)


def _brief_catalog(spec: BriefSpec, catalog: Catalog) -> Catalog:
    """The catalog with the spec's own sources added (bespoke sections may cite them)."""
    from dataclasses import replace

    from ..assemble.local_sources import brief_sources

    return replace(catalog, sources=brief_sources(spec, catalog.sources, catalog.workspace.sources_file))


def _spec_modules(spec: BriefSpec, catalog: Catalog) -> list:
    """The modules a spec names, its own sections among them, in order (unknown ids left out)."""
    from ..assemble.bespoke import load_section
    from ..spec import ModuleRef

    ids = set(catalog.modules)
    out = []
    for index, ref in enumerate(spec.modules):
        if isinstance(ref, ModuleRef):
            if ref.id in catalog.modules:
                out.append(catalog.modules[ref.id])
        else:
            out.append(load_section(spec, index, ref, ids))
    return out


def snapshot(spec: BriefSpec, catalog: Catalog) -> dict[str, Any]:
    """The modules a brief uses (its own sections too) and the sources they cite, as recorded for
    its edition."""
    modules: dict[str, Any] = {}
    cited: list[str] = []
    catalog = _brief_catalog(spec, catalog)
    for module in _spec_modules(spec, catalog):
        body = "".join(f"## {name}\n{module.variant(name).text}" for name in module.variants)
        modules[module.id] = {
            "title": module.meta.title,
            # an inline section's file is the spec: its own text is what can change
            "hash": _sha(body) if module.path == spec.path else _sha(module.path.read_bytes()),
            "text": _sha(body),
            "key_facts": list(module.meta.key_facts),
        }
        cited += _module_citations(module, module.variants)
    sources: dict[str, Any] = {}
    for key in _with_parents(cited, catalog):
        source = catalog.sources[key]
        entry = source.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        sources[key] = {"label": source.short_title or source.title,
                        "hash": _sha(json.dumps(entry, sort_keys=True, ensure_ascii=False))}
    return {"modules": modules, "sources": sources}


def visible_refs(assembly: Assembly, catalog: Catalog) -> set[str]:
    """Ids of the modules in an assembled brief and of the sources their chosen variants cite."""
    ids = {choice.module.id for choice in assembly.choices}
    cited: list[str] = []
    for choice in assembly.choices:
        cited += _module_citations(choice.module, (choice.variant,))
    if assembly.plan.sources:   # the spec's own sources too
        from dataclasses import replace

        catalog = replace(catalog, sources=assembly.plan.sources)
    return ids | set(_with_parents(cited, catalog))


def _without_citations(fact: str) -> str:
    """A withdrawn key fact, as plain text: its citations may point at sources no longer registered."""
    from ..model import plain_text
    from ..parse import inline_text

    return _md(" ".join(plain_text(inline_text(fact)).split()))


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """What changed between two snapshots, modules first (in the brief's order), then sources."""
    changes: list[Change] = []
    old_modules, new_modules = before.get("modules", {}), after.get("modules", {})
    for mid, new in new_modules.items():
        title = _md(new["title"])
        old = old_modules.get(mid)
        if old is None:
            changes.append(Change(f"New section: {title}.", mid))
            continue
        old_facts, new_facts = old.get("key_facts", []), new["key_facts"]
        if old.get("text") != new["text"] or (old.get("hash") != new["hash"] and old_facts == new_facts):
            changes.append(Change(f"{title}: updated.", mid))
        for fact in new_facts:
            if fact not in old_facts:
                changes.append(Change(f"New key fact ({title}): {fact}", mid))
        for fact in old_facts:
            if fact not in new_facts:
                changes.append(Change(f"Key fact withdrawn ({title}): {_without_citations(fact)}", mid))
    for mid, old in old_modules.items():
        if mid not in new_modules:
            changes.append(Change(f"Section removed: {_md(old['title'])}.", mid, removed=True))
    old_sources, new_sources = before.get("sources", {}), after.get("sources", {})
    for sid, new in new_sources.items():
        old = old_sources.get(sid)
        if old is None:
            changes.append(Change(f"New source: {_md(new['label'])}.", sid, "source"))
        elif old.get("hash") != new["hash"]:
            changes.append(Change(f"Source details revised: {_md(new['label'])}.", sid, "source"))
    for sid, old in old_sources.items():
        if sid not in new_sources:
            changes.append(Change(f"Source no longer cited: {_md(old['label'])}.", sid, "source", removed=True))
    return changes


def other_changes(changed_inputs: list[str], content: list[Change]) -> list[str]:
    """Why a brief was rebuilt besides the ``content`` changes: the spec, template, theme, fonts,
    briefgen version or formats, or sources.yaml entries the brief does not cite."""
    lines = []
    for name in changed_inputs:
        if name.startswith("module "):
            continue
        if name.startswith("local file "):   # a bespoke section's file, or the spec's sources file
            lines.append(f"{name.removeprefix('local file ')}, in the spec's folder, changed")
            continue
        if name == "sources":
            if not any(c.kind == "source" for c in content):
                lines.append("content/sources.yaml changed, in entries this brief does not cite")
            continue
        lines.append(f"{name} changed")
    return lines


_FIRST = "First edition recorded in this folder."
_NO_CHANGE = "No change to the modules, sources or key facts of this brief."
_ALSO = "Also rebuilt because: "
_EDITION = re.compile(r"^## Edition (\d+) \((\d{4}-\d{2}-\d{2})(, draft)?\)$")
NOT_RECORDED = "What changed in this edition was not recorded (the run's state file was lost)."


def changes_markdown(name: str, history: list[HistoryEntry]) -> str:
    """``changes.md``: each edition, newest first, with what changed in it."""
    out = [f"# Changes to {name}", ""]
    for index, entry in reversed(list(enumerate(history))):
        if entry.raw:   # an edition read back from changes.md (its record was lost): as it was written
            out += [entry.raw.strip("\n"), ""]
            continue
        status = ", draft" if entry.status == "draft" else ""
        out += [f"## Edition {entry.edition} ({entry.date}{status})", ""]
        if entry.marking:
            out += [f"Marking: {entry.marking}.", ""]
        if index == 0:
            out += [f"- {_FIRST}", ""]
            continue
        if not entry.changes:
            out.append(f"- {_NO_CHANGE}")
        out += [f"- {line}" for line in entry.changes]
        also = [f"{_ALSO}{line}." for line in entry.other]
        if entry.text is not None:   # the sentences that changed, under the brief's headings
            from ..compare.summary import TextChanges  # here: a no-op run reads no summary

            out += [""] if not TextChanges.from_json(entry.text).text_unchanged else []
            out += TextChanges.from_json(entry.text).markdown(level=3, extra=also)
            continue
        out += [f"- {line}" for line in also]
        out.append("")
    return "\n".join(out)


def read_history(text: str) -> list[HistoryEntry]:
    """The editions a ``changes.md`` lists, oldest first, each keeping its section as written
    (``raw``): when the state file is lost, the history is taken from the folder instead of
    starting again at "First edition"."""
    sections: dict[int, tuple[re.Match, list[str]]] = {}
    lines: list[str] | None = None
    for line in text.split("\n"):
        match = _EDITION.match(line)
        if match:
            lines = [line]
            sections[int(match.group(1))] = (match, lines)
        elif lines is not None:
            lines.append(line)
    return [HistoryEntry(number, match.group(2), status="draft" if match.group(3) else "final",
                         raw="\n".join(lines).strip("\n"))
            for number, (match, lines) in sorted(sections.items())]