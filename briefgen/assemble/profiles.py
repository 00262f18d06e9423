"""Audience profiles: ``templates/<name>/profile.yaml`` (settings) beside ``brief.md.j2`` (structure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..cache import Cache
from ..catalog import suggest
from ..catalog.modules import SENSITIVITIES, VARIANTS
from ..errors import SpecError, TemplateError
from ..safepaths import inside
from ..spec import LengthBudget, parse_length
from ..yamlio import key_lines, load_yaml_text, pydantic_error, read_text

__all__ = ["ProfileSettings", "Profile", "load_profile", "list_profiles"]


class ProfileSettings(BaseModel):
    """What a communications team sets per audience, without touching Python."""
    # defer_build: settings from the disk cache are unpickled, not validated (see _settings)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    label: str = "Briefing"                      # document-type label in the title block
    description: str = ""
    default_length: LengthBudget = parse_length("2 pages")
    variants: tuple[Literal[VARIANTS], ...] = VARIANTS  # type: ignore[valid-type]
    note_style: Literal["chicago", "short", "numbered"] = "chicago"
    ibid: bool = False
    merge_notes: bool = False                    # one note per paragraph (few notes in a minister's body)
    sensitivity: tuple[Literal[SENSITIVITIES], ...] = ("public",)  # type: ignore[valid-type]
    default_marking: str = "OFFICIAL"            # the lowest marking for this audience (content may raise it)
    show_marking: bool = True                    # false: no banner while the brief is at the lowest level
    fixed_text_sensitivity: Literal[SENSITIVITIES] = "public"  # type: ignore[valid-type]  # the template's own wording
    disclaimer: str = ""
    # fitting's first guess: pages = fixed_pages (the template's own matter: title block, fixed
    # sections, headings) + module words / words_per_page; the search corrects a poor guess
    words_per_page: int = Field(430, ge=100, le=1500)
    fixed_pages: float = Field(0.0, ge=0, le=20)
    annexes_count: bool = False                  # do annexes count against a page budget?
    template: str = "brief.md.j2"

    @field_validator("default_length", mode="before")
    @classmethod
    def _length(cls, value: object) -> object:
        return parse_length(value) if isinstance(value, (str, int)) else value


@dataclass(frozen=True)
class Profile:
    name: str
    folder: Path
    settings: ProfileSettings
    # the settings as templates see them (``profile.*``): worked out when the file is read, since
    # pydantic would build the model's serializer for it in every process (~5 ms)
    as_json: dict = field(compare=False)

    @property
    def template_path(self) -> Path:
        return self.folder / self.settings.template


def list_profiles(templates_dir: Path) -> list[str]:
    if not templates_dir.is_dir():
        return []
    return sorted(p.name for p in templates_dir.iterdir()
                  if p.is_dir() and (p / "profile.yaml").is_file())


def _settings(path: Path, text: str) -> tuple[ProfileSettings, dict]:
    """A ``profile.yaml``, validated, and as JSON."""
    data = load_yaml_text(text, path, TemplateError, expect=dict)
    try:
        settings = ProfileSettings.model_validate(data)
    except ValidationError as exc:
        raise pydantic_error(exc, path, TemplateError, key_lines(text)) from None
    return settings, settings.model_dump(mode="json")


def load_profile(templates_dir: Path, name: str, *, what: str = "audience", cache: Cache | None = None,
                 file: Path | None = None) -> Profile:
    """The profile in ``templates_dir/name`` (``file``: the spec that named it, for messages)."""
    folder = inside(templates_dir, name, error=SpecError, key=what, file=file, what="templates folder")
    path = folder / "profile.yaml"
    if not path.is_file():
        known = list_profiles(templates_dir)
        hint = suggest(name, known) or (f"known: {', '.join(known)}" if known else
                                        "the workspace has no templates/ folder")
        raise SpecError(f"unknown {what} '{name}'", file=file, hint=hint)
    text = read_text(path, TemplateError)
    found = (_settings(path, text) if cache is None else
             cache.value("profile", (str(path), text), lambda: _settings(path, text)))
    profile = Profile(name, folder, *found)
    inside(templates_dir, profile.settings.template, error=TemplateError, key="template", file=path,
           what="templates folder")
    if not profile.template_path.is_file():
        raise TemplateError(f"template '{profile.settings.template}' not found", file=path,
                            hint=f"create {profile.template_path} or fix 'template:'")
    return profile
