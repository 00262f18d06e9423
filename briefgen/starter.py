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
marking: OFFICIAL-SENSITIVE   # a level of the theme's scheme, at least what the modules need; caveats may follow
# status: draft           # draft (DRAFT on every page) | final (the default)
theme: default            # a folder in themes/
# issue: One sentence on what the minister is asked to consider.   # none: no "Issue" heading
# recommendation: That you note ...
# The fields of a submission (all optional; the minister template prints them):
# purpose: decision       # decision | information | handling: printed above the Issue
# timing: "Urgent: decision needed by 12 December"   # under the title block
# contact: {name: A. Officer, team: South Caucasus Team, phone: "020 7946 0000", email: a.officer@example.org}
# copy_to: [Private Secretary, Legal Adviser]         # "Copy to:" at the end
# The brief's own sources (same fields as content/sources.yaml), or a file beside this spec:
# sources:                # or:  sources: sources.yaml
#   - id: embassy-report-2026
#     type: document
#     author: [{literal: British Embassy}]
#     title: Weekly report from the embassy
#     issued: 2026-11-18
modules:                  # in the order they should appear; 'briefgen modules' lists them
  - id: overview
    emphasis: high        # high | normal | low: who gets room first
  # Sections written for this brief alone, placed where they stand in this list. Fitting never
  # shortens or drops them; their sensitivity is the brief's marking unless they declare one.
  # - title: Why you are asked now
  #   text: |
  #     Two or three sentences in your own words; cite with [@embassy-report-2026].
  # - file: meeting-context.md   # Markdown beside this spec, in the module format (one body is enough)
  - trilateral-statement
  - actor-russia
  - id: csto-legal-basis
    variant: brief        # force a variant: summary | brief | standard | extended
  - id: outlook-indicators
    emphasis: low
"""
