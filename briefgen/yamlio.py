"""Safe YAML loading with file/line errors, and pydantic errors turned into one clear line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import BriefgenError

__all__ = ["read_text", "normalise_breaks", "odd_breaks", "load_yaml_text", "load_yaml_file", "pydantic_error",
           "key_lines", "safe_loader"]


def safe_loader():
    """The safe YAML loader: libyaml's C loader when PyYAML was built with it (the PyPI wheels are),
    ten times faster, same results. PyYAML is imported here, not with this module: a build whose
    files all come from the disk cache reads no YAML and never imports it (17 ms)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# What ``str.splitlines`` breaks at besides ``\n``: CR, form feed, vertical tab, FS/GS/RS, NEL and
# the Unicode line and paragraph separators (text pasted from Word or ``pdftotext`` has them).
# markdown-it and YAML count lines by ``\n`` only, so every file is read with them made ``\n``:
# one count of lines for cutting, locating and reporting.
_ODD_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def normalise_breaks(text: str) -> str:
    """Every kind of line break as ``\n`` (CRLF counts once)."""
    return _ODD_BREAKS.sub("\n", text) if _ODD_BREAKS.search(text) else text


def odd_breaks(text: str) -> int:
    """How many line breaks other than ``\n`` and CRLF ``normalise_breaks`` would change."""
    return sum(1 for m in _ODD_BREAKS.finditer(text) if m.group() != "\r\n")


def read_text(path: Path, error: type[BriefgenError]) -> str:
    """Read a UTF-8 file, line breaks normalised (``normalise_breaks``); a missing or non-UTF-8
    file is a clear error of the given kind."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error("file not found", file=path) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        return normalise_breaks(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", file=path, line=line,
                    hint="save the file as UTF-8") from None


def _bad_scalar_line(text: str) -> int | None:
    """The line of the first scalar the safe loader cannot construct (e.g. the date 2019-13-01)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return None
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, yaml.YAMLError):
                return node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return None


def load_yaml_text(text: str, path: Path, error: type[BriefgenError], *, line_offset: int = 0,
                   expect: type | None = None) -> Any:
    """The YAML ``text`` of ``path`` (``expect``: a ``dict`` or ``list`` at the top, else an error)."""
    return _expected(_load_yaml_text(text, path, error, line_offset), path, error, expect)


def _load_yaml_text(text: str, path: Path, error: type[BriefgenError], line_offset: int) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=safe_loader())
    except ValueError as exc:  # a date such as 2019-13-01: YAML accepts its form, datetime does not
        line = _bad_scalar_line(text)
        raise error(f"invalid value: {exc}", file=path, line=line + line_offset if line else None,
                    hint="write dates as YYYY-MM-DD") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"YAML syntax error: {problem}", file=path, line=line, column=column,
                    hint="check indentation, colons and quotes on that line") from None


def load_yaml_file(path: Path, error: type[BriefgenError], *, expect: type | None = None) -> Any:
    return load_yaml_text(read_text(path, error), path, error, expect=expect)


def _expected(data: Any, path: Path, error: type[BriefgenError], expect: type | None) -> Any:
    if expect is dict and not isinstance(data, dict):
        found = "nothing (the file is empty)" if data is None else f"a {type(data).__name__}"
        raise error(f"expected a mapping of keys to values, found {found}", file=path,
                    hint="write 'key: value' lines at the top level")
    if expect is list and not isinstance(data, list):
        found = "nothing (the file is empty)" if data is None else f"a {type(data).__name__}"
        raise error(f"expected a list of entries, found {found}", file=path, hint="start each entry with '- '")
    return data


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of top-level keys (and ``- id:`` list items), from the YAML node tree."""
    import yaml

    out: dict[str, int] = {}
    try:
        node = yaml.compose(text, Loader=safe_loader())
    except yaml.YAMLError:
        return out
    if isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            out[str(key.value)] = key.start_mark.line + 1
    return out


def pydantic_error(exc: ValidationError, path: Path, error: type[BriefgenError],
                   lines: dict[str, int] | None = None, line_offset: int = 0) -> BriefgenError:
    """The first validation error as one line: ``file:line: key: what is wrong``."""
    first = exc.errors()[0]
    loc = [str(p) for p in first["loc"]]
    key = ".".join(loc) or "(top level)"
    line = (lines or {}).get(loc[0]) if loc else None
    if line is not None:
        line += line_offset
    kind = first["type"]
    if kind == "extra_forbidden":
        msg, hint = f"unknown key '{key}'", "check the spelling; see the documented keys"
    elif kind == "missing":
        msg, hint = f"missing required key '{key}'", None
    else:
        text = first["msg"].removeprefix("Value error, ")
        msg, hint = f"{key}: {text}", None
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return error(msg, file=path, line=line, hint=hint)
