"""The commented starter spec that ``briefgen new`` writes."""

STARTER_SPEC = """\
# A brief spec: what to build, for whom, and how long. Build it with:  briefgen build THIS_FILE
title: Russia and the 2020 Nagorno-Karabakh war
subtitle: Moscow's position and aims            # optional
reference: BG-2026-001                          # your file reference
date: 2026-11-23                                # edition date (default: today)
as_of: 2026-11-20                               # "Information as of"
author: Eastern Europe and Central Asia Directorate
office: Policy Unit
audience: minister        # minister | analyst | press | public (folders in templates/)
length: 2 pages           # "1 page", "2 pages", ... or "800 words"
formats: [docx, pdf]      # any of docx, pdf, md
marking: OFFICIAL-SENSITIVE   # OFFICIAL, OFFICIAL-SENSITIVE, UNCLASSIFIED, CUI, none
theme: default            # a folder in themes/
# issue: One sentence on what the minister is asked to consider.
# recommendation: That you note ...
modules:                  # in the order they should appear; 'briefgen modules' lists them
  - id: overview
    emphasis: high        # high | normal | low: who gets room first
  - trilateral-statement
  - actor-russia
  - id: csto-legal-basis
    variant: brief        # force a variant: summary | brief | standard | extended
  - id: outlook-indicators
    emphasis: low
"""
