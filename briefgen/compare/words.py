"""Words, sentences and the alignment both comparisons share (the redline's and the summary's).

A *word* keeps the spaces after it, so a diff marks "deployed " rather than a word and a lone
space, as Word's Compare does; punctuation is a word of its own. Two runs of blocks (paragraphs,
sentences) are aligned in two passes, as diff tools do: identical ones first (difflib), then, in
each stretch between them, the most alike pairs (at least half their words shared) are matched in
order and the rest counted as added or removed.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Callable, Hashable, Iterator, Sequence, TypeVar

__all__ = ["split_words", "split_sentences", "similarity", "align", "word_opcodes", "Step"]

T = TypeVar("T")

_WORD = re.compile(r"\w+(?:[-'\u2019.,:/]\w+)*\s*|[^\w\s]\s*|\s+")
# A sentence ends at . ! ? (with any closing quote or bracket) before a space and a capital,
# digit or opening quote; abbreviations such as "U.S. Navy" are rare enough in briefs to accept.
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u0400-\u04ff])")


def split_words(text: str) -> list[str]:
    """``text`` as words, each with its trailing spaces; ``"".join`` gives ``text`` back."""
    return _WORD.findall(text)


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, stripped; a paragraph without a full stop is one sentence."""
    out, pos = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[pos:match.end(1)].strip())
        pos = match.end()
    out.append(text[pos:].strip())
    return [s for s in out if s]


def _bag(words: Sequence[str]) -> Counter:
    return Counter(w.strip().lower() for w in words if w.strip())


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of words two texts have in common (Dice on word counts, 0..1); cheap enough to try
    every pair in a stretch of rewritten paragraphs."""
    ca, cb = _bag(a), _bag(b)
    total = sum(ca.values()) + sum(cb.values())
    if not total:
        return 1.0
    return 2 * sum((ca & cb).values()) / total


Step = tuple[int | None, int | None]   # (old index, new index); None on one side: removed / added


def align(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable],
          alike: Callable[[T, T], float], threshold: float = 0.5, limit: int = 40_000) -> Iterator[Step]:
    """Pairs of positions in reading order: equal or alike items together, others alone (removed
    ones before the added ones that take their place)."""
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(range(i1, i2), range(j1, j2))
        else:
            yield from _pair_alike(old, new, range(i1, i2), range(j1, j2), alike, threshold, limit)


def _pair_alike(old, new, olds: range, news: range, alike, threshold: float, limit: int) -> Iterator[Step]:
    """The pairing of a stretch that maximises the total likeness of its pairs, keeping order
    (dynamic programming, as a longest common subsequence weighted by likeness)."""
    n, m = len(olds), len(news)
    if not n or not m or n * m > limit:  # a huge rewrite: everything removed, then added
        yield from ((i, None) for i in olds)
        yield from ((None, j) for j in news)
        return
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims: dict[tuple[int, int], float] = {}
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            sim = alike(old[olds[a]], new[news[b]])
            best = max(score[a + 1][b], score[a][b + 1])
            if sim >= threshold:
                sims[a, b] = sim
                best = max(best, sim + score[a + 1][b + 1])
            score[a][b] = best
    a = b = 0
    pending_old: list[int] = []
    pending_new: list[int] = []
    while a < n and b < m:
        if (a, b) in sims and score[a][b] == sims[a, b] + score[a + 1][b + 1]:
            yield from ((olds[i], None) for i in pending_old)
            yield from ((None, news[j]) for j in pending_new)
            pending_old, pending_new = [], []
            yield olds[a], news[b]
            a, b = a + 1, b + 1
        elif score[a][b] == score[a + 1][b]:
            pending_old.append(a)
            a += 1
        else:
            pending_new.append(b)
            b += 1
    yield from ((olds[i], None) for i in [*pending_old, *range(a, n)])
    yield from ((None, news[j]) for j in [*pending_new, *range(b, m)])


def word_opcodes(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two word sequences, with a lone unchanged word between two changes
    folded into them ("~~a b c~~ x y z", not "~~a~~ x ~~b~~ the ~~c~~ z"), as a reader prefers."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    merged: list[list] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        lone = (tag == "equal" and i2 - i1 == 1 and 0 < k < len(ops) - 1)
        if lone or tag != "equal":
            if merged and merged[-1][0] != "equal":
                merged[-1][2], merged[-1][4] = i2, j2
                merged[-1][0] = "replace"
                continue
            merged.append(["replace" if lone else tag, i1, i2, j1, j2])
        else:
            merged.append([tag, i1, i2, j1, j2])
    for op in merged:
        if op[0] == "replace":
            op[0] = "replace" if op[1] < op[2] and op[3] < op[4] else ("delete" if op[1] < op[2] else "insert")
    return [tuple(op) for op in merged]  # type: ignore[misc]
