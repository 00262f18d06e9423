"""A brief's own sources: a spec's ``sources:`` list, or a YAML file beside the spec, in the
fields of ``content/sources.yaml``. They join the registry for that brief only."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..catalog.sources import Source
from ..errors import SpecError
from ..spec import BriefSpec, local_file, spec_line
from ..yamlio import load_yaml_text, pydantic_error, read_text, safe_loader

__all__ = ["brief_sources", "local_sources_file"]


def local_sources_file(spec: BriefSpec) -> Path | None:
    """The sources file a spec points to (checked to be inside its folder), or None."""
    if isinstance(spec.sources, str):
        return local_file(spec, spec.sources, "sources")
    return None


def _item_lines(text: str) -> list[int]:
    import yaml

    try:
        node = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return []
    return [item.start_mark.line + 1 for item in node.value] if isinstance(node, yaml.SequenceNode) else []


def _read_file(path: Path) -> list[Source]:
    text = read_text(path, SpecError)
    data = load_yaml_text(text, path, SpecError)
    if data is None:
        return []
    if not isinstance(data, list):
        raise SpecError("a sources file is a list of entries, as content/sources.yaml is", file=path,
                        hint="start each entry with '- id:'")
    lines = _item_lines(text)
    out = []
    for index, entry in enumerate(data):
        line = lines[index] if index < len(lines) else None
        if not isinstance(entry, dict):
            raise SpecError("each source is a mapping of fields", file=path, line=line)
        try:
            out.append(Source.model_validate({**entry, "line": line}))
        except ValidationError as exc:
            error = pydantic_error(exc, path, SpecError)
            error.line, error.message = line, f"source '{entry.get('id', index + 1)}': {error.message}"
            raise error from None
    return out


def _where(spec: BriefSpec, source: Source, index: int, file: Path | None) -> tuple[Path | None, int | None]:
    if file is not None:
        return file, source.line
    return spec.path, spec_line(spec.path, "sources", index) if spec.path else None


def brief_sources(spec: BriefSpec, registry: dict[str, Source], registry_file: Path) -> dict[str, Source]:
    """The registry with the spec's own sources added. An id that is already registered, or given
    twice, is a SpecError naming both places; so is a ``cited_in`` that names no source."""
    if not spec.sources:
        return registry
    file = local_sources_file(spec)
    own = _read_file(file) if file is not None else list(spec.sources)
    merged = dict(registry)
    first: dict[str, int] = {}
    for index, source in enumerate(own):
        # where a source is written is looked up only for a message (it means parsing the YAML again)
        if source.id in registry:
            known = registry[source.id]
            there = f"{registry_file}:{known.line}" if known.line else str(registry_file)
            where, line = _where(spec, source, index, file)
            raise SpecError(f"source '{source.id}' is also in the registry, {there}", file=where, line=line,
                            hint="give the brief's own source another id, or cite the registered one")
        if source.id in first:
            where, line = _where(spec, source, index, file)
            before = _where(spec, own[first[source.id]], first[source.id], file)[1]
            raise SpecError(f"source '{source.id}' is given twice (first on line {before})", file=where, line=line)
        first[source.id] = index
        merged[source.id] = source
    for index, source in enumerate(own):
        if source.cited_in and source.cited_in not in merged:
            where, line = _where(spec, source, index, file)
            raise SpecError(f"source '{source.id}': cited_in '{source.cited_in}' is not a source", file=where, line=line)
    return merged
