"""The sandbox templates render in: Jinja2's ``SandboxedEnvironment`` (no Python internals), with
bounds on what a template can cost, since a template folder from another team is ordinary input:

- render time (``MAX_RENDER_SECONDS``), checked at every call, attribute lookup, step of a
  ``range`` loop and piece of output, so a loop of loops stops with an error, not after 29 minutes;
- output size (``MAX_OUTPUT_CHARS``), and the size of any string or list an operator (``*``,
  ``%``, ``**``), a filter or ``str.format`` would make (``"%0999999999d" % 1`` is refused before
  it is made);
- recursion (a macro or include that calls itself) becomes an error, not an internal error.

Each limit raises ``TemplateLimit``, which ``render.py`` turns into a TemplateError naming the
template and line.
"""

from __future__ import annotations

import contextvars
import re
import time
from functools import wraps
from typing import Any, Iterator

from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.utils import Namespace

__all__ = ["BoundedSandbox", "TemplateLimit", "MAX_RENDER_SECONDS", "MAX_OUTPUT_CHARS", "rendering"]

MAX_RENDER_SECONDS = 20.0        # a brief's template renders in milliseconds
MAX_OUTPUT_CHARS = 20_000_000    # a 50-page brief is well under 1 MB of Markdown
_WIDTH = re.compile(r"(\d{6,})")   # a field width or precision of a million or more

_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=float("inf"))


class TemplateLimit(Exception):
    """A template went past one of the sandbox's bounds."""


def _tick() -> None:
    if time.monotonic() > _deadline.get():
        raise TemplateLimit(f"took longer than {MAX_RENDER_SECONDS:g} s to render (a loop without end?)")


def _size(value: Any, what: str) -> Any:
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_OUTPUT_CHARS:
        raise TemplateLimit(f"{what} would make {len(value):,} items, more than a brief can hold")
    return value


def _bounded_range(*args: int) -> Iterator[int]:
    for n, value in enumerate(safe_range(*args)):
        if n % 1024 == 0:
            _tick()
        yield value


def _predicted(operator: str, left: Any, right: Any) -> int:
    """How large ``left operator right`` would be, for the operators that can make it huge."""
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int):
                return len(seq) * max(times, 0)
    if operator == "%" and isinstance(left, str) and _WIDTH.search(left):
        return MAX_OUTPUT_CHARS + 1
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
        return int(right * abs(left).bit_length() / 3.3)   # digits of the result
    return 0


def _checked_filter(name: str, func):
    @wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and arg > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"filter '{name}' asked for {arg:,}, more than a brief can hold")
        if name == "format" and args and isinstance(args[0], str) and _WIDTH.search(args[0]):
            raise TemplateLimit("a format width of a million or more")
        return _size(func(*args, **kwargs), f"filter '{name}'")
    return bounded


class _BoundedNamespace(Namespace):
    """``namespace()``: the one way a value can grow from one loop step to the next
    (``{% set ns.x = ns.x ~ ns.x %}`` doubles it), so what it is given is measured."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        super().__setitem__(name, _size(value, "a namespace value"))


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset(["*", "%", "**"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.globals["namespace"] = _BoundedNamespace

    def seal(self) -> None:
        """Bound every filter (after briefgen's own are added)."""
        for name, func in list(self.filters.items()):
            if getattr(func, "jinja_pass_arg", None) is None:   # pass_context/pass_environment filters
                self.filters[name] = _checked_filter(name, func)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        if _predicted(operator, left, right) > MAX_OUTPUT_CHARS:
            raise TemplateLimit(f"'{operator}' would make a value larger than a brief can hold")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        _tick()
        for arg in (*args, *kwargs.values()):   # a macro that doubles its argument at each call
            _size(arg, "a call's argument")
        return _size(super().call(__context, __obj, *args, **kwargs), "a call")

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDTH.search(value.__self__):
            raise TemplateLimit("a format width of a million or more")
        return wrapped


def rendering(template, context: dict[str, Any]) -> str:
    """Render ``template`` within the time and size bounds."""
    token = _deadline.set(time.monotonic() + MAX_RENDER_SECONDS)
    try:
        parts: list[str] = []
        total = 0
        for chunk in template.generate(**context):
            total += len(chunk)
            if total > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"rendered more than {MAX_OUTPUT_CHARS:,} characters (a loop without end?)")
            parts.append(chunk)
            _tick()
        return "".join(parts)
    finally:
        _deadline.reset(token)
