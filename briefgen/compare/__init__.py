"""Comparing two editions of a brief, the way reviewers read changes.

    words.py      words, sentences and the alignment both comparisons share
    wordml.py     WordprocessingML paragraphs as words, and words back as runs with revision marks
    redline.py    the redline: the new edition's DOCX with w:ins / w:del against the old one
    summary.py    sentences added, removed and changed, under the brief's headings (changes.md)
    modeljson.py  a document model as JSON, kept with each edition so the next can be compared
    files.py      editions read from files (DOCX or Markdown briefs), compared
    diffcmd.py    ``briefgen diff OLD NEW``: the redline and the summary written beside NEW

Writers know nothing of this: the redline is made from two finished DOCX packages.
"""

from .modeljson import document_from_json, document_to_json
from .redline import Redline, redline_docx
from .summary import Outline, TextChanges, outline_of_document, outline_of_docx, summarize

__all__ = ["redline_docx", "Redline", "summarize", "TextChanges", "Outline", "outline_of_document",
           "outline_of_docx", "document_to_json", "document_from_json"]
