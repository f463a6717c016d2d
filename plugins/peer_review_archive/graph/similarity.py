"""Who else was told the same, and who was praised for it: findings matched across authorities.

For every finding that asks for change, the archive lists the most similar findings of
*other* authorities: their praised findings ("praised elsewhere for this") and their
findings of every other kind ("told the same elsewhere"). The method, chosen to be
explainable and fast enough for a national build (README, "Matching"):

- words: lowercase words of three letters or more, common English words dropped, cut
  to a crude stem (`assuring`, `assurance`, `assure` -> `assur`), so that one idea in
  different grammar still meets;
- weights: TF-IDF (sublinear term frequency times smoothed inverse document frequency),
  rows scaled to unit length, so the dot product is the cosine. The document frequencies
  are a reference table shipped with the code (`word_frequencies.tsv`, counted over the
  findings of the archive's first records by `python -m peer_review_archive.graph.reference`),
  not recounted over the archive being built: a finding's weights then depend on its own
  words only, so adding one council's review never reorders the matches of unrelated
  councils, and `pra serve` can match again only what an edit touches (`Matcher`);
- exact scores: weights are cut to whole multiples of 1/4095 (rounded down), so every dot
  product is a sum of integers below 2**24, exact in float32 whatever order BLAS adds in;
  a finding's matches are then the same however many findings are compared at once;
- themes: a candidate must share at least one theme with the finding; the score is
  `TEXT_WEIGHT * cosine + THEME_WEIGHT * jaccard(themes)`, and a pair with too few words
  in common (`MIN_COSINE`) is never listed, however close its themes;
- lists: the `TOP` best of each, at most `PER_AUTHORITY` from any one authority, so that
  one council's long paper does not crowd out the others;
- speed: candidates are compared one theme at a time (only findings on that theme), as
  sparse matrix products in SciPy; a pure-Python inverted index took far over the 2 s
  budget at 15,000 findings of the benchmark's many shared words.

Ties are broken by the candidates' keys, so two builds give the same matches, and a serve
rebuild (`Matcher`) gives exactly the matches a clean build gives (tests/test_trails.py).
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

from ..records.vocabulary import PRAISED_KINDS, asks_for_change
from .entries import FindingEntry

TOP = 5
"""How many matches of each list a finding shows."""
PER_AUTHORITY = 2
"""At most this many of one list from the same authority: the lists are about who else faced it."""
GATHER = TOP * PER_AUTHORITY + 2
"""Candidates gathered per theme and list for each query, before the per-authority cap."""
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


def words_of(entry: FindingEntry) -> str:
    """What of a finding is compared: its group heading, title and text."""
    finding = entry.finding
    return " ".join(part for part in (finding.group, finding.title, finding.text) if part)


REFERENCE = Path(__file__).with_name("word_frequencies.tsv")
SCALE = 4095
"""Weights are whole multiples of 1/SCALE: a dot product of two unit rows is then a sum of
non-negative integers of at most SCALE**2 < 2**24, which float32 adds exactly in any order."""


@cache
def reference() -> tuple[int, dict[str, int]]:
    """The reference table: how many findings it counted, and in how many each stem occurs."""
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    total = int(lines[0].split("\t")[1])
    return total, {stem: int(count) for stem, count in (line.split("\t") for line in lines[1:])}


def weight(stem: str) -> float:
    """A stem's inverse document frequency (smoothed; a stem the table never saw weighs most)."""
    total, frequencies = reference()
    return math.log((1.0 + total) / (1.0 + frequencies.get(stem, 0))) + 1.0


class _Vocabulary:
    """Column numbers for stems, and each compared text's weights (kept by `Matcher`)."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}
        self.rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A text's columns and weights, as whole multiples of 1/SCALE, in SCALE units."""
        found = self.rows.get(text)
        if found is None:
            counts = Counter(terms(text))
            raw = {stem: (1.0 + math.log(n)) * weight(stem) for stem, n in counts.items()}
            norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
            cells = sorted((self.columns.setdefault(stem, len(self.columns)), math.floor(w / norm * SCALE))
                           for stem, w in raw.items())
            cells = [(c, w) for c, w in cells if w > 0]
            found = self.rows[text] = (np.array([c for c, _ in cells], dtype=np.int32),
                                       np.array([w for _, w in cells], dtype=np.float32))
        return found


class _Row(NamedTuple):
    """What of a finding the matching reads: if none of it changes, nor do its scores."""

    key: tuple[str, str]
    words: str
    kind: str
    themes: tuple[str, ...]
    authority: str


def _row(entry: FindingEntry) -> _Row:
    return _Row(entry.key, words_of(entry), entry.finding.kind, tuple(dict.fromkeys(entry.finding.themes)),
                entry.authority)


DENSE_LIMIT = 3e9
"""Multiply-adds below which one theme's cosines are a dense product (BLAS), else sparse."""


class _Table:
    """The rows of one build as arrays, in key order (the order ties are broken in)."""

    def __init__(self, rows: list[_Row], vocabulary: _Vocabulary):
        self.rows = rows
        self.keys = [r.key for r in rows]
        self.row_of = {k: i for i, k in enumerate(self.keys)}
        self.vocabulary = vocabulary
        self.asking = np.array([asks_for_change(r.kind) for r in rows], dtype=bool)
        self.praised = np.array([r.kind in PRAISED_KINDS for r in rows], dtype=bool)
        authority_ids: dict[str, int] = {}
        self.authority = np.array([authority_ids.setdefault(r.authority, len(authority_ids)) for r in rows],
                                  dtype=np.int64)
        self.vectors = self._vectors([vocabulary.row(r.words) for r in rows])
        self.on_theme: dict[str, np.ndarray] = {}
        on_theme: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            for theme in r.themes:
                on_theme.setdefault(theme, []).append(i)
        self.membership = np.zeros((len(rows), len(on_theme)), dtype=np.float32)
        for column, theme in enumerate(sorted(on_theme)):
            self.membership[on_theme[theme], column] = 1.0
        self.theme_count = self.membership.sum(axis=1)
        for theme in sorted(on_theme):
            found = np.asarray(on_theme[theme])
            # praised candidates first, so that each list's candidates are one slice
            self.on_theme[theme] = np.concatenate((found[self.praised[found]], found[~self.praised[found]]))

    def _vectors(self, made: list[tuple[np.ndarray, np.ndarray]]) -> sparse.csr_matrix:
        lengths = np.array([len(columns) for columns, _ in made], dtype=np.int64)
        indptr = np.r_[0, np.cumsum(lengths)]
        indices = np.concatenate([c for c, _ in made]) if made else np.zeros(0, np.int32)
        data = np.concatenate([w for _, w in made]) if made else np.zeros(0, np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(made), max(len(self.vocabulary.columns), 1)))

    def reworded(self, rows: list[_Row]) -> _Table | None:
        """This table for `rows`, if they differ from its own in words alone (serve's usual
        edit): only those rows' vectors are made again. None if anything else differs."""
        if len(rows) != len(self.rows):
            return None
        changed = [i for i, (new, old) in enumerate(zip(rows, self.rows, strict=True)) if new is not old]
        if any(rows[i][0] != self.rows[i][0] or rows[i][2:] != self.rows[i][2:] for i in changed):
            return None  # a key, kind, theme or authority: the arrays beside the vectors change too
        table = copy.copy(self)
        table.rows = rows
        if changed:
            vectors, lengths = self.vectors, np.diff(self.vectors.indptr)
            pieces: list[tuple[np.ndarray, np.ndarray]] = []
            start = 0
            for i in changed:  # the unchanged rows between as whole slices, each changed row made again
                pieces.append((vectors.indices[vectors.indptr[start]:vectors.indptr[i]],
                               vectors.data[vectors.indptr[start]:vectors.indptr[i]]))
                pieces.append(self.vocabulary.row(rows[i].words))
                lengths[i] = len(pieces[-1][0])
                start = i + 1
            pieces.append((vectors.indices[vectors.indptr[start]:], vectors.data[vectors.indptr[start]:]))
            table.vectors = sparse.csr_matrix(
                (np.concatenate([w for _, w in pieces]), np.concatenate([c for c, _ in pieces]),
                 np.r_[0, np.cumsum(lengths)]), shape=(len(rows), max(len(self.vocabulary.columns), 1)))
        return table

    def scores(self, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """`TEXT_WEIGHT * cosine + THEME_WEIGHT * jaccard(themes)` of each query against each
        row, -1 where the pair is not listed (same authority, or too few words in common).
        Every step is exact or element by element, so a pair scores alike in any batch."""
        mine = self.vectors[rows]
        used = np.unique(mine.indices)
        if len(queries) * len(rows) * len(used) <= DENSE_LIMIT:
            dots = self.vectors[queries][:, used].toarray() @ mine[:, used].toarray().T
        else:
            dots = (self.vectors[queries] @ mine.T).toarray().astype(np.float32, copy=False)
        score = dots.astype(np.float32, copy=False)
        score /= np.float32(SCALE * SCALE)  # element by element: now the cosine
        unlisted = score < MIN_COSINE
        unlisted |= self.authority[queries][:, None] == self.authority[rows][None, :]
        shared = self.membership[queries] @ self.membership[rows].T
        union = self.theme_count[queries][:, None] + self.theme_count[rows][None, :]
        union -= shared
        shared /= union  # the Jaccard index of the two findings' themes
        score *= TEXT_WEIGHT
        shared *= THEME_WEIGHT
        score += shared
        np.putmask(score, unlisted, -1.0)
        return score

    def split(self, theme: str) -> int:
        """Where a theme's candidates turn from praised to the others."""
        return int(self.praised[self.on_theme[theme]].sum())


@dataclass
class _Found:
    """One pass over some queries: every (query, candidate, score) gathered, and each
    query's bar for entering a gathering, per theme and list."""

    query: list[np.ndarray] = field(default_factory=list)
    candidate: list[np.ndarray] = field(default_factory=list)
    score: list[np.ndarray] = field(default_factory=list)
    bars: dict[tuple[str, bool], list[tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)


def _gather(table: _Table, wanted: np.ndarray) -> _Found:
    """For each wanted query and theme, the candidates of each list with a positive score and
    fewer than `GATHER` strictly better, of those tied with the last only as many as fill
    `GATHER` (`_cut_ties`): a set fixed by the scores, keys and authorities alone, which an
    unchanged finding can neither enter nor leave unless a changed one does."""
    found = _Found()
    for theme, rows in table.on_theme.items():
        asking = rows[wanted[rows]]
        step = max(1, BLOCK // len(rows))
        for start in range(0, len(asking), step):  # a block of queries at a time: bounded memory
            _gather_block(table, theme, asking[start:start + step], rows, found)
    return found


BLOCK = 1 << 22
"""Scores held at once (query x candidate), 16 MB of float32: the blocks change no score."""


def _gather_block(table: _Table, theme: str, queries: np.ndarray, rows: np.ndarray, found: _Found) -> None:
    """One block of a theme's queries against all its candidates (see `_gather`)."""
    score = table.scores(queries, rows)
    split = table.split(theme)
    for praised, columns in ((True, slice(0, split)), (False, slice(split, len(rows)))):
        scores = score[:, columns]
        n = scores.shape[1]
        if not n:
            continue
        k = min(GATHER, n)
        kth = np.partition(scores, n - k, axis=1)[:, n - k]  # the k-th best score of each query
        member = scores >= kth[:, None]
        member &= scores > 0
        _cut_ties(member, scores, kth, k, table.authority[rows[columns]])
        q, c = np.nonzero(member)
        found.query.append(queries[q])
        found.candidate.append(rows[columns][c])
        found.score.append(scores[q, c])
        # a changed candidate can enter only with a score at least this (0: any listed score)
        bar = np.where(kth > 0, kth, 0.0) if n >= GATHER else np.zeros(len(queries), dtype=np.float32)
        found.bars.setdefault((theme, praised), []).append((queries, bar.astype(np.float32)))


def _cut_ties(member: np.ndarray, scores: np.ndarray, kth: np.ndarray, k: int, owners: np.ndarray) -> None:
    """Keep at most `k` members a query. Of the candidates tied with its k-th best score, take
    them by key (columns are in key order), skipping an authority that already has
    `PER_AUTHORITY` among the better and those taken, as `_choose` would. Without the cut,
    findings written alike (a paper copied between councils) each gathered every copy: 8 GB
    at 4,000 cloned reviews. `owners`: each column's authority."""
    over = np.flatnonzero(member.sum(axis=1) > k)
    if not len(over):
        return
    sub, bar = scores[over], kth[over, None]
    better, tied = sub > bar, sub == bar
    room = k - better.sum(axis=1)  # at least 1: fewer than k score above the k-th best
    # A tie is taken or not by the ties before it alone, and the first few nearly always fill
    # a query's room: the rest are looked at only for the queries they do not fill.
    first = tied & (np.cumsum(tied, axis=1, dtype=np.int32) <= FIRST_TIES)
    kept, filled = _take_ties(better, first, owners, room)
    again = np.flatnonzero(~filled & (tied.sum(axis=1) > FIRST_TIES))
    if len(again):
        kept[again] = _take_ties(better[again], tied[again], owners, room[again])[0]
    member[over] = kept


FIRST_TIES = 64
"""`_cut_ties`: how many of a query's ties are looked at first."""


def _take_ties(better: np.ndarray, tied: np.ndarray, owners: np.ndarray, room: np.ndarray,
               ) -> tuple[np.ndarray, np.ndarray]:
    """`better` and, in each row, the first `room` of `tied` by column that keep each authority
    within `PER_AUTHORITY`; and whether each row's room is filled."""
    rb, cb = np.nonzero(better)
    rt, ct = np.nonzero(tied)  # by row, then column
    r, c = np.concatenate((rb, rt)), np.concatenate((cb, ct))
    order = np.lexsort((owners[c], r))  # stable: by row and authority, the better first, then ties by key
    allowed = np.empty(len(r), dtype=bool)
    allowed[order] = _places(r[order], owners[c][order]) < PER_AUTHORITY
    rt, ct = rt[allowed[len(rb):]], ct[allowed[len(rb):]]
    take = _places(rt) < room[rt]
    kept = better.copy()
    kept[rt[take], ct[take]] = True
    return kept, np.bincount(rt[take], minlength=len(room)) == room


def _choose(table: _Table, found: _Found, top: int) -> dict[tuple[str, str], Matches]:
    """From what was gathered, each query's `top` of each list, at most `PER_AUTHORITY` of
    one authority, best first (ties by key)."""
    if not found.query:
        return {}
    query = np.concatenate(found.query)
    candidate = np.concatenate(found.candidate)
    score = np.round(np.concatenate(found.score), 6)  # the same pair scores alike under any theme
    side = table.praised[candidate]
    source = table.authority[candidate]
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
    if not len(query):
        return {}
    keys = table.keys
    values = np.round(score[keep].astype(np.float64), 4).tolist()
    chosen = [Match(keys[c], value) for c, value in zip(candidate[keep].tolist(), values, strict=True)]
    starts = np.flatnonzero(np.r_[True, query[1:] != query[:-1]]).tolist()
    ends = [*starts[1:], len(chosen)]
    praised_before = np.r_[0, np.cumsum(side)].tolist()  # praised matches come first in each run
    out = {}
    for start, end, q in zip(starts, ends, query[starts].tolist(), strict=True):
        middle = start + praised_before[end] - praised_before[start]
        out[keys[q]] = Matches(tuple(chosen[start:middle]), tuple(chosen[middle:end]))
    return out


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
    return Matcher(top, remember=False).match(entries)


REMATCH_SHARE = 0.25
"""`Matcher`: when more than this share of the findings asking for change would be matched
again, matching all of them afresh is as quick."""


class Matcher:
    """Matches kept between `pra serve` rebuilds: a rebuild matches again only the findings
    whose lists an edit can change, and gives exactly what matching afresh gives.

    A finding's list can change only if it changed itself, or a changed finding was among
    what it gathered (`_gather`), or a changed finding now scores at least its bar under a
    theme they share. Scores are exact (see the module's docstring), so matching those again,
    against every candidate, gives what a clean build gives.
    """

    def __init__(self, top: int = TOP, *, remember: bool = True) -> None:
        """`remember=False`: match once (a build), keeping nothing for a next call."""
        self.top, self.remember = top, remember
        self.vocabulary = _Vocabulary()
        self.rows: dict[tuple[str, str], _Row] = {}
        self.out: dict[tuple[str, str], Matches] = {}
        self.gathered: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}  # query -> candidates
        self.bars: dict[tuple[str, bool], dict[tuple[str, str], float]] = {}
        self.rematched = 0  # of the last call: how many findings were matched again
        self.reworded = False  # of the last call: whether it kept the table, only words having changed
        self.made: dict[tuple[str, str], tuple[object, str, _Row]] = {}  # key -> (finding, authority, row)
        self.table: _Table | None = None  # the last call's, made again in part when only words changed

    def _row(self, entry: FindingEntry) -> _Row:
        """A finding's row, made again only for a new finding object (an edited record's)."""
        made = self.made.get(entry.key)
        if made is not None and made[0] is entry.finding and made[1] == entry.authority:
            return made[2]
        row = _row(entry)
        if self.remember:
            self.made[entry.key] = (entry.finding, entry.authority, row)
        return row

    def match(self, entries: Sequence[FindingEntry]) -> dict[tuple[str, str], Matches]:
        rows = sorted(map(self._row, entries), key=lambda r: r.key)
        by_key = {r.key: r for r in rows}
        changed = {k for k, r in by_key.items() if self.rows.get(k) != r} | (self.rows.keys() - by_key.keys())
        table = self.table.reworded(rows) if self.table is not None else None
        self.reworded = table is not None  # the same keys, kinds, themes and authorities as last time
        if table is None:
            table = _Table(rows, self.vocabulary)
        asking = {table.keys[i] for i in np.flatnonzero(table.asking).tolist()}
        limit = REMATCH_SHARE * len(asking)
        again: set[tuple[str, str]] | None = None  # None: match every finding afresh
        if self.rows and not changed:
            again = set()
        elif self.rows and len(changed) <= limit:
            again = self._again(table, changed, asking)
            if len(again) > limit:
                again = None
        afresh = again is None
        if again is None:
            self.out, self.gathered, self.bars = {}, {}, {}
            again = asking
        old_words = {self.rows[k].words for k in changed if k in self.rows} - {by_key[k].words for k in changed
                                                                                 if k in by_key}
        self.rows = by_key
        self.rematched = len(again)
        if again:
            wanted = np.zeros(len(rows), dtype=bool)
            wanted[[table.row_of[k] for k in again]] = True
            found = _gather(table, wanted)
            if self.remember:
                self._keep(table, found, again)
            chosen = _choose(table, found, self.top)
            for key in again:
                self.out[key] = chosen.get(key, Matches((), ()))
        if afresh or not self.reworded:  # else the same keys, already in order
            self.out = {k: self.out[k] for k in sorted(asking)}
        if not self.remember:
            out, self.out, self.rows = self.out, {}, {}
            return out
        self.table = table
        self._prune(changed, old_words if self.reworded else None)
        return dict(self.out)

    def _again(self, table: _Table, changed: set[tuple[str, str]], asking: set[tuple[str, str]],
               ) -> set[tuple[str, str]]:
        """The findings asking for change whose lists the changed findings may have changed."""
        again = {k for k in changed if k in asking}
        again |= {q for q, candidates in self.gathered.items() if q in asking and not candidates.isdisjoint(changed)}
        present = np.array(sorted(table.row_of[k] for k in changed if k in table.row_of), dtype=np.int64)
        if not len(present):
            return again
        for theme, rows in table.on_theme.items():
            mine = rows[np.isin(rows, present)]
            queries = rows[table.asking[rows]]
            if not len(mine) or not len(queries):
                continue
            score = table.scores(queries, mine)
            for praised in (True, False):
                columns = table.praised[mine] == praised
                if not columns.any():
                    continue
                best = score[:, columns].max(axis=1)
                bars = self.bars.get((theme, praised), {})
                bar = np.array([bars.get(table.keys[q], 0.0) for q in queries.tolist()], dtype=np.float32)
                entering = (best > 0) & (best >= bar)
                again |= {table.keys[q] for q in queries[entering].tolist()}
        return again

    def _keep(self, table: _Table, found: _Found, again: set[tuple[str, str]]) -> None:
        """Remember, for the findings just matched, what they gathered and their bars."""
        keys = table.keys
        gathered: dict[tuple[str, str], set[tuple[str, str]]] = {k: set() for k in again}
        for query, candidate in zip(found.query, found.candidate, strict=True):
            for q, c in zip(query.tolist(), candidate.tolist(), strict=True):
                gathered[keys[q]].add(keys[c])
        self.gathered.update((k, frozenset(v)) for k, v in gathered.items())
        for where, blocks in found.bars.items():
            for queries, bar in blocks:
                self.bars.setdefault(where, {}).update(zip((keys[q] for q in queries.tolist()), bar.tolist(),
                                                           strict=True))

    def _prune(self, changed: set[tuple[str, str]], old_words: set[str] | None) -> None:
        """Forget findings that are gone, and texts no finding has any more. `old_words`: when
        no finding is gone, the changed findings' words before the edit (the vocabulary's rows
        are only a cache: one dropped while an unchanged finding shares it is made again alike)."""
        if not changed:
            return
        if old_words is not None:
            for text in old_words:
                self.vocabulary.rows.pop(text, None)
            return
        for key in self.gathered.keys() - self.out.keys():
            del self.gathered[key]
        for key in self.made.keys() - self.rows.keys():
            del self.made[key]
        for bars in self.bars.values():
            for key in bars.keys() - self.out.keys():
                del bars[key]
        texts = {r.words for r in self.rows.values()}
        for text in self.vocabulary.rows.keys() - texts:
            del self.vocabulary.rows[text]
