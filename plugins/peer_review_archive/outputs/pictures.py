"""Pictures drawn at build time as inline SVG: who reviewed whom, themes by authority, reviews by year.

No JavaScript: each picture is plain SVG placed in its page, so links work, it follows
the page's light or dark palette through Material's CSS variables, and it reads the
same with scripts off. Matrices, not node-link drawings: at 150 authorities a node-link
graph is a hairball, while a sorted, labelled matrix stays readable and grows only
with the pairs that exist (empty cells are not drawn). Every text goes through
ElementTree, which escapes it; every link comes from `ids`, made relative by `link`.
Each picture has a title and a description, and its page carries the same facts as a
table or list.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..graph.indexes import Graph
from ..graph.network import Network
from ..records import urls
from ..records.archive import Archive
from ..records.dates import date_range
from .downloads import xml_text

SVG_NS = "http://www.w3.org/2000/svg"
Link = Callable[[str], str]
"""A site path (from `ids`) -> the href written on the page that holds the picture."""

FONT = 12
CHAR = 6.8  # average width of a character at FONT px, for laying out labels
MAX_LABEL = 30  # characters; longer names are cut with an ellipsis and given in full on hover

# Heat levels 1-5, light and dark palettes (Material indigo), with a text colour for each
# that keeps WCAG AA contrast on its cell.
HEAT_LIGHT = ("#d3d8f4", "#a9b2e6", "#7c89d0", "#3949ab", "#1a237e")
HEAT_DARK = ("#323a6e", "#3949ab", "#5c6bc0", "#9fa8da", "#dfe3f7")
# Programme colours for the timeline (Okabe-Ito, colour-blind safe), grey for none.
PROGRAMME_COLOURS = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#cc79a7", "#d55e00", "#0072b2")
NO_PROGRAMME_COLOUR = "#bdbdbd"


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill`."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def _heat_css() -> str:
    rules = []
    for level, (light, dark) in enumerate(zip(HEAT_LIGHT, HEAT_DARK, strict=True), start=1):
        rules.append(f".pra-chart .h{level}{{fill:{light}}}.pra-chart .h{level}t{{fill:{text_on(light)}}}")
        rules.append(f"[data-md-color-scheme=slate] .pra-chart .h{level}{{fill:{dark}}}"
                     f"[data-md-color-scheme=slate] .pra-chart .h{level}t{{fill:{text_on(dark)}}}")
    return "".join(rules)


STYLE = (
    ".pra-chart{font-family:inherit;font-size:12px}"
    ".pra-chart text{fill:var(--md-default-fg-color,#1f1f1f)}"
    ".pra-chart a text{fill:var(--md-typeset-a-color,#3949ab)}"
    ".pra-chart a:hover text,.pra-chart a:focus text{text-decoration:underline}"
    ".pra-chart a:focus{outline:2px solid var(--md-accent-fg-color,#526cfe)}"
    ".pra-chart .grid{stroke:var(--md-default-fg-color--lightest,#e0e0e0);stroke-width:1}"
    ".pra-chart .diag{fill:var(--md-default-fg-color--lightest,#eeeeee)}"
    ".pra-chart .band{fill:var(--md-default-fg-color,#000);fill-opacity:.035}"
    ".pra-chart .caption{fill:var(--md-default-fg-color--light,#5f5f5f)}"
    ".pra-chart text.strong{font-weight:700}"
    ".pra-chart .cells rect{stroke:var(--md-default-bg-color,#fff);stroke-width:1}"
    ".pra-chart .n{text-anchor:middle}.pra-chart .e{text-anchor:end}"
    ".pra-chart--network .n{font-size:10px}"
    + _heat_css()
)


def _fit(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _width(label: str) -> int:
    return math.ceil(len(label) * CHAR)


def _visit_level(count: int) -> int:
    """Peer visits per pair are few (1-3): a single visit must already stand out."""
    return min(count, 3) + 2


def _level(count: int, most: int) -> int:
    """Heat level 1-5 on a square-root scale, so small counts still differ at national scale."""
    if most <= 5:
        return min(count, 5)
    return max(1, min(5, math.ceil(5 * math.sqrt(count / most))))


@dataclass
class _Canvas:
    """One SVG picture being drawn: a root with a title, a description and the shared style."""

    root: ET.Element

    @classmethod
    def start(cls, key: str, width: float, height: float, title: str, desc: str) -> _Canvas:
        w, h = math.ceil(width), math.ceil(height)
        root = ET.Element("svg", {
            "xmlns": SVG_NS, "class": f"pra-chart pra-chart--{key}", "viewBox": f"0 0 {w} {h}",
            "width": str(w), "height": str(h), "role": "group",
            "aria-labelledby": f"pra-{key}-title", "aria-describedby": f"pra-{key}-desc",
        })
        ET.SubElement(root, "title", id=f"pra-{key}-title").text = xml_text(title)
        ET.SubElement(root, "desc", id=f"pra-{key}-desc").text = xml_text(desc)
        ET.SubElement(root, "style").text = STYLE
        return cls(root)

    def text(self, parent: ET.Element | None, x: float, y: float, label: str, **attrs: str) -> ET.Element:
        element = ET.SubElement(self.root if parent is None else parent, "text",
                                {"x": _n(x), "y": _n(y), **attrs})
        element.text = xml_text(label)
        return element

    def group(self, cls: str, hidden: bool = False) -> ET.Element:
        """A group; a `hidden` one repeats what labelled links and the page's table say."""
        attrs = {"class": cls} | ({"aria-hidden": "true"} if hidden else {})
        return ET.SubElement(self.root, "g", attrs)

    def link(self, href: str, label: str | None = None, parent: ET.Element | None = None,
             hidden: bool = False) -> ET.Element:
        """A link; `hidden` ones (inside a hidden group) stay out of the tab order."""
        attrs = {"href": href} | ({"tabindex": "-1"} if hidden else {})
        element = ET.SubElement(self.root if parent is None else parent, "a", attrs)
        if label:
            _title(element, label)
        return element

    def rect(self, parent: ET.Element | None, x: float, y: float, w: float, h: float, **attrs: str) -> ET.Element:
        return ET.SubElement(self.root if parent is None else parent, "rect",
                             {"x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h), **attrs})

    def line(self, x1: float, y1: float, x2: float, y2: float, cls: str) -> None:
        ET.SubElement(self.root, "line", {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "class": cls})

    def svg(self) -> str:
        return ET.tostring(self.root, encoding="unicode")


def _title(parent: ET.Element, text: str) -> None:
    """A tooltip (and accessible name, where the element is not hidden)."""
    ET.SubElement(parent, "title").text = xml_text(text)


def _n(value: float) -> str:
    """Coordinates with at most one decimal, so output is small and stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _column_labels(canvas: _Canvas, xs: Sequence[float], y: float, labels: Sequence[tuple[str, str, str]],
                   angle: int = 45) -> None:
    """Column headings slanted above `y`, each a link: (href, label, full name).

    Neighbours stand `spacing * sin(angle)` apart across their baselines, so narrow
    columns need a steeper angle to keep labels from touching.
    """
    for x, (href, label, full) in zip(xs, labels, strict=True):
        anchor = canvas.link(href)
        text = canvas.text(anchor, x, y, label, transform=f"rotate(-{angle} {_n(x)} {_n(y)})")
        if label != full:
            _title(text, full)


def _row_label(canvas: _Canvas, x: float, y: float, href: str, name: str) -> None:
    anchor = canvas.link(href)
    text = canvas.text(anchor, x, y, _fit(name), **{"class": "e"})
    if len(name) > MAX_LABEL:
        _title(text, name)


def _legend(canvas: _Canvas, x: float, y: float, steps: Sequence[tuple[int, str]], caption: str) -> float:
    """Heat swatches with labels; returns the legend's right edge."""
    canvas.text(None, x, y + 11, caption, **{"class": "caption"})
    x += _width(caption) + 10
    for level, label in steps:
        canvas.rect(None, x, y, 14, 14, **{"class": f"h{level}"})
        canvas.text(None, x + 19, y + 11, label)
        x += 19 + _width(label) + 14
    return x


# --- who reviewed whom ---------------------------------------------------------------


def network_matrix(network: Network, archive: Archive, link: Link) -> str:
    """Rows: authorities reviewed; columns: peer authorities; a cell per pair that exists.

    Authorities are grouped by region (most reviewing is regional, so the cells gather
    near the diagonal) and sorted by name within it; a small gap separates regions.
    """
    names = {a.id: a.name for a in archive.authorities.values()}
    order = network.authorities
    n = len(order)
    cell = 18 if n <= 40 else 14
    gap = 8
    longest = max((_width(_fit(names[a])) for a in order), default=0)
    left = longest + 16
    angle = 65
    top = math.ceil(longest * math.sin(math.radians(angle))) + 44
    xs: dict[str, float] = {}
    ys: dict[str, float] = {}
    x, y = float(left), float(top)
    for index, (_, members) in enumerate(network.regions):
        x += gap if index else 0
        y += cell + 4  # a row for the region's name
        for member in members:
            xs[member], ys[member] = x, y
            x += cell
            y += cell
    matrix_right = (max(xs.values()) + cell) if xs else left
    matrix_bottom = (max(ys.values()) + cell) if ys else top
    most = max((len(p.visits) for p in network.pairs.values()), default=1)
    width = max(matrix_right + longest * math.cos(math.radians(angle)) + 24, 520)
    height = matrix_bottom + 56
    visits = sum(len(p.visits) for p in network.pairs.values())
    desc = (f"A matrix of {n} authorities that took part in peer reviews, grouped by region. Each row is an "
            f"authority that was reviewed; each column is a peer authority that reviewed others. A filled cell "
            f"means the column's authority visited the row's as a peer, for a review or a follow-up visit; "
            f"the stronger the colour, the more visits. {len(network.pairs)} pairs, {visits} visits in all. "
            f"The network's table page gives the same information.")
    canvas = _Canvas.start("network", width, height, "Who reviewed whom", desc)

    canvas.text(None, 8, 16, "Rows: authority reviewed", **{"class": "caption"})
    canvas.text(None, 8, 32, "Columns: peer authority (reviewer)", **{"class": "caption"})
    for region, members in network.regions:
        canvas.text(None, 8, ys[members[0]] - 8, region, **{"class": "strong"})
    for position, authority_id in enumerate(order):
        if position % 2 == 0:
            canvas.rect(None, 8, ys[authority_id], matrix_right - 8, cell, **{"class": "band"})
    for authority_id in order:
        x, y = xs[authority_id], ys[authority_id]
        canvas.rect(None, x, y, cell, cell, **{"class": "diag"})
        canvas.line(x, top, x, matrix_bottom, "grid")
    if xs:
        canvas.line(matrix_right, top, matrix_right, matrix_bottom, "grid")
    for authority_id in order:
        href = link(urls.authority_url(authority_id))
        _row_label(canvas, left - 6, ys[authority_id] + cell / 2 + 4, href, names[authority_id])
    _column_labels(canvas, [xs[a] + cell / 2 + 3 for a in order], top - 4,
                   [(link(urls.authority_url(a)), _fit(names[a]), names[a]) for a in order], angle)

    # Cells are drawn, not linked: a link and a tooltip per pair made the picture grow with
    # the pairs (663 kB at 4,000 reviews); the row and column names link, and the table page
    # says what each cell holds.
    cells = canvas.group("cells", hidden=True)
    for (host, peer), pair in network.pairs.items():
        count = len(pair.visits)
        level = _visit_level(count)
        canvas.rect(cells, xs[peer] + 1, ys[host] + 1, cell - 2, cell - 2, **{"class": f"h{level}"})
        if count > 1:
            canvas.text(cells, xs[peer] + cell / 2, ys[host] + cell / 2 + 4, str(count),
                        **{"class": f"h{level}t n"})

    steps = [(3, "1 visit"), (4, "2 visits"), (5, "3 or more")][: min(most, 3)]
    _legend(canvas, 8, matrix_bottom + 24, steps, "Visits per cell:")
    return canvas.svg()


# --- themes by authority ---------------------------------------------------------------


@dataclass(frozen=True)
class ThemeCounts:
    """Findings per authority and theme, in the order the picture and its table show them."""

    rows: tuple[str, ...]  # authorities with findings, by name
    columns: tuple[str, ...]  # themes, most findings first
    counts: dict[str, Counter[str]]  # authority -> theme -> findings
    findings: Counter[str]  # authority -> findings in all (a finding counts once)


def theme_counts(archive: Archive, graph: Graph) -> ThemeCounts:
    names = {a.id: a.name for a in archive.authorities.values()}
    counts = graph.themes_by_authority
    rows = sorted((a for a, c in counts.items() if sum(c.values())), key=lambda a: (names[a].casefold(), a))
    totals: Counter[str] = Counter()
    for authority_id in rows:
        totals.update(counts[authority_id])
    registry = list(archive.themes)
    columns = sorted(archive.themes, key=lambda t: (-totals[t], registry.index(t)))
    findings = Counter(entry.authority for entry in graph.findings.values())
    return ThemeCounts(tuple(rows), tuple(columns), {a: counts[a] for a in rows}, findings)


def theme_matrix(archive: Archive, table: ThemeCounts, link: Link) -> str:
    """Rows: authorities with findings, by name; columns: themes, most findings first.

    Each cell counts the authority's findings on the theme (a finding with two themes
    counts in both); the last column counts its findings once each.
    """
    names = {a.id: a.name for a in archive.authorities.values()}
    rows, columns, counts, findings = table.rows, table.columns, table.counts, table.findings

    cell_w, cell_h, angle = 26, 22, 60
    total_w = 44  # "All" comes first, so it shows without scrolling sideways
    longest_row = max((_width(_fit(names[a])) for a in rows), default=0)
    longest_col = max((_width(_fit(archive.themes[t].name)) for t in columns), default=0)
    left = longest_row + 16
    top = math.ceil(longest_col * math.sin(math.radians(angle))) + 24
    first = left + total_w + 6
    right = first + len(columns) * cell_w
    width = right + longest_col * math.cos(math.radians(angle)) + 8
    height = top + len(rows) * cell_h + 56
    most = max((c for a in rows for c in counts[a].values()), default=1)
    desc = (f"A matrix of {len(rows)} authorities (rows, by name) against {len(columns)} themes (columns, "
            f"most findings first). The first column gives each authority's findings in all; each other cell "
            f"gives how many of them are on the theme, in a stronger colour for more. A finding with several "
            f"themes counts once for each. The table that follows gives the same numbers.")
    canvas = _Canvas.start("themes", width, height, "Findings by authority and theme", desc)

    xs = [first + i * cell_w for i in range(len(columns))]
    _column_labels(canvas, [x + cell_w / 2 + 3 for x in xs], top - 4,
                   [(link(urls.theme_url(t)), _fit(archive.themes[t].name), archive.themes[t].name)
                    for t in columns], angle)
    canvas.text(None, left + total_w - 6, top - 6, "All", **{"class": "strong e"})
    cells = canvas.group("cells", hidden=True)
    for i, authority_id in enumerate(rows):
        y = top + i * cell_h
        if i % 2 == 0:
            canvas.rect(None, 8, y, right - 8, cell_h, **{"class": "band"})
        _row_label(canvas, left - 6, y + cell_h / 2 + 4, link(urls.authority_url(authority_id)), names[authority_id])
        canvas.text(None, left + total_w - 6, y + cell_h / 2 + 4, str(findings[authority_id]),
                    **{"class": "strong e"})
        # One tooltip per row, not per cell: the cell prints its count, the column its theme
        # above (per-cell tooltips were a third of the picture's bytes at national scale).
        box = ET.SubElement(cells, "g")
        _title(box, names[authority_id])
        for x, theme_id in zip(xs, columns, strict=True):
            count = counts[authority_id].get(theme_id, 0)
            if not count:
                continue
            level = _level(count, most)
            canvas.rect(box, x + 1, y + 1, cell_w - 2, cell_h - 2, **{"class": f"h{level}"})
            canvas.text(box, x + cell_w / 2, y + cell_h / 2 + 4, str(count), **{"class": f"h{level}t n"})
    _legend(canvas, 8, top + len(rows) * cell_h + 24, _heat_steps(most), "Findings per cell:")
    return canvas.svg()


def _heat_steps(most: int) -> list[tuple[int, str]]:
    """Legend labels: the range of counts each heat level stands for."""
    if most <= 5:
        return [(c, str(c)) for c in range(1, most + 1)]
    steps = []
    low = 1
    for level in range(1, 6):
        high = max((c for c in range(1, most + 1) if _level(c, most) == level), default=low - 1)
        if high >= low:
            steps.append((level, f"{low}" if high == low else f"{low}–{high}"))
            low = high + 1
    return steps


# --- reviews by year --------------------------------------------------------------------


def review_timeline(archive: Archive, link: Link) -> str:
    """One row per year, oldest first, its year linking to the page of that year's reviews.

    While every year has a few reviews, each is a block named after its host and linking to
    its page; when a year has more than fit, the row is a bar of the year's count, in
    segments by programme, so that the picture is bounded by the years and programmes, not
    the reviews (each year's page names them).
    """
    names = {a.id: a.name for a in archive.authorities.values()}
    reviews = sorted(archive.reviews.values(), key=lambda r: (r.date, names[r.host].casefold(), r.id))
    by_year: dict[str, list] = {}
    for review in reviews:
        by_year.setdefault(review.date[:4], []).append(review)
    years = [str(y) for y in range(int(min(by_year)), int(max(by_year)) + 1)] if by_year else []
    programmes = list(archive.programmes)
    used = sorted(dict.fromkeys(r.programme for r in reviews),
                  key=lambda p: programmes.index(p) if p else len(programmes))
    colour = {p: PROGRAMME_COLOURS[programmes.index(p) % len(PROGRAMME_COLOURS)] if p else NO_PROGRAMME_COLOUR
              for p in used}
    busiest = max((len(v) for v in by_year.values()), default=0)
    named = busiest <= 6
    block_w, block_h, gap = (150, 22, 6) if named else (0, 18, 6)
    # Bars: the year, its count, then the bar (the busiest 250 px), so that the picture fits
    # a phone's column (358 px) without scrolling.
    bar_x, bar_w = 44, 250
    left, top = 56, 12
    rows = [(year, top + i * (block_h + gap + 8)) for i, year in enumerate(years)]
    width = max(left + busiest * (block_w + gap) + 100, 420) if named else left + bar_x + bar_w + 8
    legend_y = top + len(years) * (block_h + gap + 8) + 12
    height = legend_y + max(1, len(used)) * 20 + 8
    spans = f"from {years[0]} to {years[-1]}" if years else "none yet"
    shape = "one block per review" if named else "the year's count and a bar of that length, in segments by programme"
    desc = (f"A timeline of the {len(reviews)} reviews in the archive, {spans}, one row per year and {shape}, "
            f"coloured by programme. The table of reviews by year that follows gives the same numbers, and "
            f"each year's page lists its reviews.")
    canvas = _Canvas.start("timeline", width, height, "Reviews by year", desc)
    if not named:  # sized to fit a phone's column (archive.css), not scaled up like the blocks
        canvas.root.set("class", "pra-chart pra-chart--timeline pra-chart--bars")
    blocks = canvas.group("blocks", hidden=not named)
    for year, row_y in rows:
        in_year = by_year.get(year, [])
        label_parent = canvas.link(link(urls.reviews_year_url(year))) if in_year else None
        canvas.text(label_parent, left - 10, row_y + block_h / 2 + 4, year, **{"class": "strong e"})
        if named:
            for i, review in enumerate(in_year):
                x = left + i * (block_w + gap)
                fill = colour[review.programme]
                label = f"{review.title} ({names[review.host]}), {date_range(review.date, review.end_date)}"
                anchor = canvas.link(link(urls.review_url(review.id)), label, blocks)
                canvas.rect(anchor, x, row_y, block_w, block_h, rx="3", fill=fill)
                canvas.text(anchor, x + 6, row_y + block_h / 2 + 4, _fit(names[review.host], 20),
                            style=f"fill:{text_on(fill)}")
            end = left + len(in_year) * (block_w + gap)
            canvas.text(None, end + 4, row_y + block_h / 2 + 4,
                        f"{len(in_year)} review{'s' if len(in_year) != 1 else ''}" if in_year else "no review recorded",
                        **{"class": "caption"})
        else:
            canvas.text(None, left + bar_x - 8, row_y + block_h / 2 + 4, str(len(in_year)), **{"class": "caption e"})
            counts = Counter(r.programme for r in in_year)
            x = float(left + bar_x)
            for programme_id in used:
                if counts[programme_id]:
                    w = bar_w * counts[programme_id] / busiest
                    canvas.rect(blocks, x, row_y, w, block_h, fill=colour[programme_id])
                    x += w
    for i, programme_id in enumerate(used):
        ly = legend_y + i * 20
        canvas.rect(None, left, ly, 14, 14, rx="3", fill=colour[programme_id])
        label = archive.programmes[programme_id].name if programme_id else "No programme named"
        canvas.text(None, left + 20, ly + 11, label)
    return canvas.svg()
