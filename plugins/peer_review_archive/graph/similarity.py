"""Who else was told the same, and who was praised for it: findings matched across authorities.

For every finding that asks for change, the archive lists the most similar findings of
*other* authorities: their praised findings ("praised elsewhere for this") and their
findings of every other kind ("told the same elsewhere"). The method, chosen to be
explainable and fast enough for a national build (README, "Matching"):

- words: lowercase words of three letters or more, common English words dropped, cut
  to a crude stem (`assuring`, `assurance`, `assure` -> `assur`), so that one idea in
  different grammar still meets;
- weights: TF-IDF (sublinear term frequency times smoothed inverse document frequency
  over all findings), rows scaled to unit length, so the dot product is the cosine;
- themes: a candidate must share at least one theme with the finding; the score is
  `TEXT_WEIGHT * cosine + THEME_WEIGHT * jaccard(themes)`, and a pair with too few words
  in common (`MIN_COSINE`) is never listed, however close its themes;
- lists: the `TOP` best of each, at most `PER_AUTHORITY` from any one authority, so that
  one council's long paper does not crowd out the others;
- speed: candidates are compared one theme at a time (only findings on that theme), as
  sparse matrix products in SciPy; a pure-Python inverted index took far over the 2 s
  budget at 15,000 findings of the benchmark's many shared words.

Ties are broken by the candidates' keys, so two builds give the same matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse

from ..records.vocabulary import PRAISED_KINDS, asks_for_change
from .entries import FindingEntry

TOP = 5
"""How many matches of each list a finding shows."""
PER_AUTHORITY = 2
"""At most this many of one list from the same authority: the lists are about who else faced it."""
_GATHER = TOP * PER_AUTHORITY + 2  # candidates kept per theme, before the per-authority cap
TEXT_WEIGHT = 0.75
THEME_WEIGHT = 0.25
MIN_COSINE = 0.1
"""Below this, two findings share only a word or two of little weight: not 'the same'."""

_WORD = re.compile(r"[a-z]{3,}")
_LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
STOPWORDS = frozenset(
    """
about above after again against all also among and any are as been before being below between both but by
can could did does doing down during each few for from further had has have having her here hers him his how
into its itself just more most must need needs not now off once only other our ours out over own same should
some such than that the their theirs them then there these they this those through too under until very was
were what when where which while who whom why will with within would you your yours ensure including well
""".split()  # noqa: SIM905 - a word list reads better as words
)
_SUFFIXES = ("ations", "ation", "ances", "ance", "ences", "ence", "ments", "ment", "ings", "ing", "ities", "ity",
             "ness", "ies", "ied", "ed", "ers", "er", "es", "ly", "s")


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude English stem: one longest suffix off, then a final `e`; at least four letters kept."""
    found = _STEMS.get(word)
    if found is None:
        found = word
        if not word.endswith("ss"):
            for suffix in _SUFFIXES:
                if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                    found = word[: -len(suffix)]
                    break
        found = _STEMS[word] = found[:-1] if found.endswith("e") and len(found) > 4 else found
    return found


def terms(text: str) -> list[str]:
    """The stemmed content words of a finding's text (link targets left out)."""
    return [stem(w) for w in _WORD.findall(_LINK.sub(" ", text.lower())) if w not in STOPWORDS]


class Match(NamedTuple):
    key: tuple[str, str]  # the matched finding, as in Graph.findings
    score: float


class Matches(NamedTuple):
    """A finding's nearest findings of other authorities, the most similar first."""

    praised: tuple[Match, ...]  # strengths and progress found elsewhere
    told: tuple[Match, ...]  # findings of every other kind elsewhere


def _words_of(entry: FindingEntry) -> str:
    finding = entry.finding
    return " ".join(part for part in (finding.group, finding.title, finding.text) if part)


def _vectors(entries: Sequence[FindingEntry]) -> sparse.csr_matrix:
    """One unit-length TF-IDF row per finding (sublinear term frequency, smoothed IDF)."""
    columns: dict[str, int] = {}  # word as written -> its stem's column, -1 for a common word
    stems: dict[str, int] = {}
    cells: list[int] = []  # row * width + column, for every word of every finding
    rows = len(entries)
    for row, entry in enumerate(entries):
        for word in _WORD.findall(_LINK.sub(" ", _words_of(entry).lower())):
            column = columns.get(word)
            if column is None:
                column = columns[word] = -1 if word in STOPWORDS else stems.setdefault(stem(word), len(stems))
            if column >= 0:
                cells.append(row * _WIDTH + column)
    if len(stems) >= _WIDTH:
        raise ValueError(f"more than {_WIDTH} distinct words")
    cell, count = np.unique(np.asarray(cells, dtype=np.int64), return_counts=True)
    row_of, column_of = np.divmod(cell, _WIDTH)
    df = np.bincount(column_of, minlength=len(stems))
    idf = np.log((1.0 + rows) / (1.0 + df)) + 1.0
    data = (1.0 + np.log(count)) * idf[column_of]
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=rows))
    norms[norms == 0] = 1.0
    data /= norms[row_of]
    return sparse.csr_matrix((data.astype(np.float32), (row_of, column_of)), shape=(rows, len(stems)))


_WIDTH = 1 << 24  # room for 16 million distinct stems in one cell number


DENSE_LIMIT = 3e9
"""Multiply-adds below which one theme's cosines are a dense product (BLAS), else sparse."""


def _cosines(vectors: sparse.csr_matrix, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Cosines of `queries` against `rows`: dense BLAS on the theme's own words when that is
    cheap (few distinct words), a sparse product otherwise."""
    mine = vectors[rows]
    used = np.unique(mine.indices)
    if len(queries) * len(rows) * len(used) <= DENSE_LIMIT:
        block = mine[:, used].toarray()
        return vectors[queries][:, used].toarray() @ block.T
    return (vectors[queries] @ mine.T).toarray().astype(np.float32, copy=False)


def _places(*keys: np.ndarray) -> np.ndarray:
    """For items sorted by `keys`, each one's place within its run of equal keys (0, 1, 2...)."""
    starts = np.zeros(len(keys[0]), dtype=bool)
    starts[:1] = True
    for key in keys:
        starts[1:] |= key[1:] != key[:-1]
    position = np.arange(len(starts))
    return position - np.maximum.accumulate(np.where(starts, position, 0))


def match_findings(entries: Sequence[FindingEntry], top: int = TOP) -> dict[tuple[str, str], Matches]:
    """For each finding that asks for change, its `top` matches of each list (keys as in
    `Graph.findings`); a finding with no match in either list has empty tuples."""
    entries = sorted(entries, key=lambda e: e.key)  # row order is the order ties are broken in
    keys = [e.key for e in entries]
    asking = np.array([asks_for_change(e.finding.kind) for e in entries], dtype=bool)
    if not asking.any():
        return {}
    vectors = _vectors(entries)
    praised = np.array([e.finding.kind in PRAISED_KINDS for e in entries], dtype=bool)
    authority_ids: dict[str, int] = {}
    authority = np.array([authority_ids.setdefault(e.authority, len(authority_ids)) for e in entries])
    on_theme: dict[str, list[int]] = {}
    theme_sets = []
    for row, entry in enumerate(entries):
        themes = dict.fromkeys(entry.finding.themes)
        theme_sets.append(themes)
        for theme in themes:
            on_theme.setdefault(theme, []).append(row)
    theme_ids = {theme: i for i, theme in enumerate(sorted(on_theme))}
    membership = np.zeros((len(entries), len(theme_ids)), dtype=np.float32)
    for row, themes in enumerate(theme_sets):
        membership[row, [theme_ids[t] for t in themes]] = 1.0
    theme_count = membership.sum(axis=1)

    # (query row, candidate row, score) triples, gathered theme by theme
    found_query, found_candidate, found_score = [], [], []
    for theme in sorted(on_theme):
        rows = np.asarray(on_theme[theme])
        rows = np.concatenate((rows[praised[rows]], rows[~praised[rows]]))  # each list's candidates a slice
        split = int(praised[rows].sum())
        queries = rows[asking[rows]]
        if not len(queries):
            continue
        score = _cosines(vectors, queries, rows)  # float32, becomes the score in place
        unlisted = score < MIN_COSINE
        unlisted |= authority[queries][:, None] == authority[rows][None, :]
        shared = membership[queries] @ membership[rows].T
        union = theme_count[queries][:, None] + theme_count[rows][None, :]
        union -= shared
        shared /= union  # the Jaccard index of the two findings' themes
        score *= TEXT_WEIGHT
        shared *= THEME_WEIGHT
        score += shared
        np.putmask(score, unlisted, -1.0)
        for columns in (slice(0, split), slice(split, len(rows))):
            scores = score[:, columns]
            n = scores.shape[1]
            if not n:
                continue
            k = min(_GATHER, n)
            best = np.argpartition(scores, n - k, axis=1)[:, n - k:]
            values = np.take_along_axis(scores, best, axis=1)
            keep = values > 0
            found_query.append(np.broadcast_to(queries[:, None], best.shape)[keep])
            found_candidate.append(rows[columns][best][keep])
            found_score.append(values[keep])

    out = {keys[row]: Matches((), ()) for row in np.flatnonzero(asking).tolist()}
    if not found_query:
        return out
    query = np.concatenate(found_query)
    candidate = np.concatenate(found_candidate)
    score = np.round(np.concatenate(found_score), 6)  # the same pair scores alike under any theme
    side = praised[candidate]
    source = authority[candidate]
    # By query, list and authority, best first: a pair found under two themes is then adjacent
    # (keep one), and at most PER_AUTHORITY are kept of each authority.
    order = np.lexsort((candidate, -score, source, side, query))
    query, candidate, score, side, source = (a[order] for a in (query, candidate, score, side, source))
    once = _places(query, side, source, candidate) == 0
    query, candidate, score, side, source = (a[once] for a in (query, candidate, score, side, source))
    keep = _places(query, side, source) < PER_AUTHORITY
    query, candidate, score, side = (a[keep] for a in (query, candidate, score, side))
    # Then by query and list, best first (praised first): the `top` of each.
    order = np.lexsort((candidate, -score, ~side, query))
    query, candidate, score, side = (a[order] for a in (query, candidate, score, side))
    keep = _places(query, side) < top
    query, side = query[keep], side[keep]
    values = np.round(score[keep].astype(np.float64), 4).tolist()
    found = [Match(keys[c], value) for c, value in zip(candidate[keep].tolist(), values, strict=True)]
    if not len(query):
        return out
    starts = np.flatnonzero(np.r_[True, query[1:] != query[:-1]]).tolist()
    ends = [*starts[1:], len(found)]
    praised_before = np.r_[0, np.cumsum(side)].tolist()  # praised matches come first in each run
    for start, end, q in zip(starts, ends, query[starts].tolist(), strict=True):
        middle = start + praised_before[end] - praised_before[start]
        out[keys[q]] = Matches(tuple(found[start:middle]), tuple(found[middle:end]))
    return out
