"""The content hash of a brief's inputs: everything that can change what its files contain.

    spec file · each module it uses · the spec's own files (bespoke sections, its sources file) ·
    content/sources.yaml · its audience template folder and
    templates/_shared · its theme folder · the font files the theme uses · briefgen's version · formats

Each input gets its own hash (``parts``, named for messages such as "module actor-russia changed");
the brief's digest is the hash of all of them. Hashing reads only files: no module is parsed and
nothing is rendered, so an unchanged brief is recognised in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..cache import Cache
from ..errors import BriefgenError
from ..safepaths import is_inside
from ..spec import BriefSpec, FileSection, ModuleRef, local_file
from ..workspace import Workspace

__all__ = ["Inputs", "InputHasher", "briefgen_version", "describe_changed"]

MISSING = "missing"


@dataclass(frozen=True)
class Inputs:
    """A brief's input hashes: ``parts`` by name, and ``digest`` over all of them."""
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.parts, sort_keys=True).encode()).hexdigest()


@lru_cache(maxsize=1)
def briefgen_version() -> str:
    """``briefgen.__version__`` if the package declares one, else the installed distribution's
    version, else the version in the source tree's pyproject.toml (a checkout run in place)."""
    import briefgen

    declared = getattr(briefgen, "__version__", None)
    if declared:
        return str(declared)
    from importlib import metadata

    try:
        return metadata.version("briefgen")
    except metadata.PackageNotFoundError:
        pass
    import tomllib

    pyproject = Path(briefgen.__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return "unknown"
    return str(project.get("version", "unknown")) if project.get("name") == "briefgen" else "unknown"


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        if not path.is_file():   # a folder or a named pipe (which would block the read) is not an input
            return MISSING
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                h.update(chunk)
    except OSError:   # gone or unreadable: the build reports it
        return MISSING
    return h.hexdigest()


def _visible_files(folder: Path) -> Iterable[Path]:
    """Files under ``folder``, sorted, leaving out dot-files (editor swap files) and caches."""
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if any(p.startswith(".") or p == "__pycache__" for p in rel) or not path.is_file():
            continue
        yield path


class InputHasher:
    """Hashes files and folders once per run, however many briefs share them."""

    def __init__(self, cache: Cache | None = None) -> None:
        self.cache = cache
        self._files: dict[Path, str] = {}
        self._folders: dict[Path, str] = {}
        self._fonts: dict[Path, dict[str, str]] = {}
        self._names: dict[tuple[Path, str], Path] = {}

    def within(self, folder: Path, name: str) -> Path:
        """``_within``, once per run for each name: resolving both paths is most of hashing an
        unchanged brief (every brief names the same modules, templates and theme)."""
        key = (folder, name)
        if key not in self._names:
            self._names[key] = _within(folder, name)
        return self._names[key]

    def file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = _file_digest(path)
        return self._files[path]

    def folder(self, folder: Path) -> str:
        if folder not in self._folders:
            if not folder.is_dir():
                self._folders[folder] = MISSING
            else:
                h = hashlib.sha256()
                for path in _visible_files(folder):
                    h.update(path.relative_to(folder).as_posix().encode() + b"\0")
                    h.update(self.file(path).encode() + b"\0")
                self._folders[folder] = h.hexdigest()
        return self._folders[folder]

    def images(self, ws: Workspace) -> str:
        """The files under ``content/`` other than modules and the registry (the figures modules
        show, whichever brief shows them): an image replaced under the same name is a change."""
        key = ws.content / "\0images"
        if key not in self._folders:
            h = hashlib.sha256()
            if ws.content.is_dir():
                for path in _visible_files(ws.content):
                    if path.suffix != ".md" and path != ws.sources_file and not path.name.endswith(".lock"):
                        h.update(path.relative_to(ws.content).as_posix().encode() + b"\0")
                        h.update(self.file(path).encode() + b"\0")
            self._folders[key] = h.hexdigest()
        return self._folders[key]

    def fonts(self, theme_folder: Path) -> dict[str, str]:
        """One hash per font family the theme names (its four files); a family that cannot be
        found is hashed as missing, and the build then reports the theme error."""
        if theme_folder not in self._fonts:
            self._fonts[theme_folder] = self._font_hashes(theme_folder)
        return dict(self._fonts[theme_folder])

    def _font_hashes(self, theme_folder: Path) -> dict[str, str]:
        from ..theme import load_theme

        try:
            theme = load_theme(theme_folder, self.cache)
        except BriefgenError:
            return {}
        out = {}
        for family in dict.fromkeys((theme.fonts.body, theme.fonts.heading)):
            try:
                files = theme.family(family).files()
            except BriefgenError:
                out[f"font {family}"] = MISSING
                continue
            h = hashlib.sha256()
            for style, path in files.items():
                h.update(f"{style}:{path.name}:{self.file(path)}\0".encode())
            out[f"font {family}"] = h.hexdigest()
        return out

    def inputs(self, spec: BriefSpec, ws: Workspace, formats: tuple[str, ...]) -> Inputs:
        """The input hashes of one brief (``spec.path`` must be set, as ``load_spec`` does)."""
        assert spec.path is not None
        parts = {"spec": self.file(spec.path)}
        for index, ref in enumerate(spec.modules):
            if isinstance(ref, ModuleRef):
                parts[f"module {ref.id}"] = self.file(self.within(ws.modules_dir, f"{ref.id}.md"))
            elif isinstance(ref, FileSection):   # outside the spec's folder or missing: a SpecError
                parts[f"local file {ref.file}"] = self.file(local_file(spec, ref.file, "modules", index))
        if isinstance(spec.sources, str):
            parts[f"local file {spec.sources}"] = self.file(local_file(spec, spec.sources, "sources"))
        parts["sources"] = self.file(ws.sources_file)
        parts["images"] = self.images(ws)
        for name in dict.fromkeys(n for n in (spec.audience, spec.template) if n):
            parts[f"template {name}"] = self.folder(self.within(ws.templates_dir, name))
        parts["template _shared"] = self.folder(ws.templates_dir / "_shared")
        theme_folder = self.within(ws.themes_dir, spec.theme)
        parts[f"theme {spec.theme}"] = self.folder(theme_folder)
        if theme_folder.is_dir():
            parts.update(self.fonts(theme_folder))
        parts["briefgen"] = briefgen_version()
        parts["formats"] = ",".join(formats)
        return Inputs(parts)


def _within(folder: Path, name: str) -> Path:
    """``folder / name``, or a path that does not exist when ``name`` leads out of ``folder``: the
    build then refuses the name, and nothing outside the workspace is read (or hashed) meanwhile."""
    path = folder / name
    return path if is_inside(path, folder) else folder / ".briefgen-outside-the-workspace"


def describe_changed(before: dict[str, str] | None, after: dict[str, str]) -> list[str]:
    """Names of the inputs that differ, e.g. ``["module actor-russia", "sources"]``."""
    if before is None:
        return []
    names = list(dict.fromkeys([*after, *before]))
    return [n for n in names if before.get(n) != after.get(n)]
