"""A document model as JSON and back, so an edition's text can be compared with the next one's.

Regen keeps each edition's model beside it (``editions.model_path``): the inputs of an edition
are gone once they change, and the Markdown edition does not exist in every format set. The
model is a closed set of frozen dataclasses, so the encoding is generic: each node is an object
with its type name in ``"t"`` and its fields that differ from their defaults; tuples are lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from .. import model
from ..model import Document, Meta

__all__ = ["document_to_json", "document_from_json"]

_NODES = {cls.__name__: cls for cls in (model.Text, model.Emph, model.Strong, model.Code, model.Link,
                                        model.LineBreak, model.Cite, model.Citation, model.Note,
                                        model.Heading, model.Para, model.BulletList, model.Table,
                                        model.Figure, model.Div)}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        out: dict[str, Any] = {"t": type(value).__name__}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.default is dataclasses.MISSING or item != f.default:
                out[f.name] = _encode(item)
        return out
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        cls = _NODES[value["t"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "t"})
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def document_to_json(doc: Document) -> str:
    meta = {f.name: getattr(doc.meta, f.name) for f in dataclasses.fields(Meta)}
    meta = {k: (v.isoformat() if isinstance(v, dt.date) else list(v) if isinstance(v, tuple) else v)
            for k, v in meta.items() if v not in ("", None, ())}
    return json.dumps({"version": 1, "meta": meta, "blocks": _encode(doc.blocks)},
                      ensure_ascii=False, separators=(",", ":"))


def document_from_json(text: str) -> Document:
    """The document again; raises ``ValueError`` (or ``KeyError``/``TypeError``) for anything else."""
    data = json.loads(text)
    if data.get("version") != 1:
        raise ValueError(f"document model version {data.get('version')!r}")
    meta = dict(data["meta"])
    for key in ("date", "as_of"):
        if key in meta:
            meta[key] = dt.date.fromisoformat(meta[key])
    if "keywords" in meta:
        meta["keywords"] = tuple(meta["keywords"])
    return Document(Meta(**meta), _decode(data["blocks"]))
