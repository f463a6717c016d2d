"""The site as a public service (issue 14), in real headless Chromium, beyond what axe checks.

Accessibility a person meets: a visible focus ring on every control in light and dark
(WCAG 2.4.7, 2.4.11), no sideways scrolling at 320 CSS px on any page kind (1.4.10), a skip
link on every page that lands on the content, the explorer's first result within three
Tabs of its words box. The explorer's working parts: pages, sort, the document-kind facet,
every facet value reachable, the narrow-screen filters, the CSV of the current findings.
Paper: a review printed to PDF reads as the review, with nothing of the site's menus.
Expected values come from the records, never from the page. Fixtures: tests/support/browser.py.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import pypdf
import pytest
from peer_review_archive.graph.indexes import FindingEntry, build_graph
from peer_review_archive.outputs.downloads import FINDING_COLUMNS
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.search.records import FACETS, finding_filters
from support.browser import PAGES, REASON, Tab, scheme_of, settled
from support.builds import ROOT

if REASON and not os.environ.get("CI"):
    pytest.skip(REASON, allow_module_level=True)

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ZOOMED = {"width": 320, "height": 640}  # 1280 px at 400%


@pytest.fixture(scope="module")
def entries() -> list[tuple[FindingEntry, dict[str, list[str]]]]:
    graph = build_graph(load_archive(ROOT / "reviews"))
    return [(entry, finding_filters(entry, graph.archive, graph.trails)) for entry in graph.findings.values()]


def matching(entries: list[tuple[FindingEntry, dict[str, list[str]]]], **chosen: list[str]) -> list[FindingEntry]:
    return [e for e, f in entries if all(set(v) & set(f.get(k, [])) for k, v in chosen.items())]


def opened(browser: Any, base: str, **context: Any) -> Iterator[Tab]:
    tab = Tab(browser, base, **context)
    yield tab
    tab.context.close()


@pytest.fixture
def wide(browser: Any, base: str) -> Iterator[Tab]:
    yield from opened(browser, base, viewport=WIDE)


@pytest.fixture
def phone(browser: Any, base: str) -> Iterator[Tab]:
    yield from opened(browser, base, viewport=PHONE)


def status(page: Any) -> str:
    return page.locator(".pra-explorer__status").inner_text()


def result_urls(page: Any) -> list[str]:
    return page.eval_on_selector_all(".pra-result__title a", "links => links.map(a => a.getAttribute('href'))")


def key_of(url: str) -> tuple[str, str]:
    """(document id, finding id) of a finding's permalink, /reviews/<id>/#<finding>."""
    match = re.search(r"/(?:reviews|context)/([a-z0-9-]+)/#([a-z0-9-]+)$", url)
    assert match, url
    return match.group(1), match.group(2)


# --- focus, reflow, skip links ------------------------------------------------------------

FOCUS = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 8), r.top + r.height / 2);
  const bar = '.md-header, .md-tabs';
  return {tag: e.tagName, id: e.id, text: (e.textContent || e.value || '').trim().slice(0, 40),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth),
          under: !!(hit && hit.closest(bar) && !e.closest(bar) && !e.contains(hit))}
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_control_shows_a_focus_ring(wide: Tab, scheme: str) -> None:
    """Tab through the explorer with results and a review page: every control focused has a
    solid outline at least 2 px wide, and is not hidden under the sticky header (2.4.11)."""
    seen = 0
    for path in ("recommendations/?q=vulnerable+groups", "reviews/thurrock-2016/", "themes/"):
        page = wide.open(path)
        scheme_of(page, scheme)
        if path.startswith("recommendations"):
            settled(page)
        for _ in range(45):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS)
            if focus["tag"] == "BODY":
                break
            seen += 1
            where = f"{path} {scheme}: {focus['tag']}#{focus['id']} {focus['text']!r}"
            assert focus["style"] not in ("none", "hidden") and focus["width"] >= 2, where
            assert not focus["under"], f"{where}: hidden under the header"
    assert seen > 100
    page = wide.open("recommendations/")
    scheme_of(page, scheme)
    page.focus("#pra-explorer-q")  # the words box, the first complaint
    focus = page.evaluate(FOCUS)
    assert focus["style"] == "solid" and focus["width"] >= 2, focus


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_sideways_scrolling_at_320_css_px(browser: Any, base: str, kind: str) -> None:
    """WCAG 1.4.10: at 320 px (1280 px at 400% zoom) the page itself never scrolls sideways;
    a wide table or picture scrolls inside its own box."""
    for tab in opened(browser, base, viewport=ZOOMED):
        page = tab.open(PAGES[kind])
        if kind == "explorer with results":
            settled(page)
        sizes = page.evaluate("""() => ({
            doc: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
            body: [document.body.scrollWidth, document.body.clientWidth],
            wide: [...document.querySelectorAll('.md-content *')].filter(e => {
              const r = e.getBoundingClientRect();
              if (!r.width || e.closest('.pra-table, .pra-figure__scroll, .md-typeset__scrollwrap, pre')) return false;
              return r.right > document.documentElement.clientWidth + 1;
            }).slice(0, 5).map(e => e.tagName + '.' + e.className)})""")
        assert sizes["doc"][0] <= sizes["doc"][1], f"{kind}: {sizes}"
        assert sizes["body"][0] <= sizes["body"][1], f"{kind}: {sizes}"
        assert not sizes["wide"], f"{kind}: cut off at the right edge: {sizes['wide']}"


def test_every_page_has_a_skip_link_to_its_content(wide: Tab) -> None:
    for kind, path in PAGES.items():
        page = wide.open(path.split("#")[0])  # from an anchor, Tab starts at the anchor
        page.keyboard.press("Tab")
        first = page.evaluate("() => [document.activeElement.textContent.trim(),"
                              " document.activeElement.getAttribute('href')]")
        assert first == ["Skip to main content", "#main-content"], kind
        assert page.locator("#main-content h1").count() == 1, kind
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main-content", kind
        page.keyboard.press("Tab")  # and on from there into the content, not back to the header
        assert page.evaluate("() => !document.activeElement.closest('.md-header, .md-tabs')"), kind


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280", "390"])
def test_explorer_first_result_within_three_tabs_of_the_words_box(browser: Any, base: str, viewport: dict) -> None:
    for tab in opened(browser, base, viewport=viewport):
        page = tab.open("recommendations/")
        page.focus("#pra-explorer-q")
        page.keyboard.type("vulnerable groups")
        page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'vulnerable groups'")
        settled(page)
        presses = 0
        while presses < 3 and not page.evaluate("() => document.activeElement.closest('.pra-result') !== null"):
            page.keyboard.press("Tab")
            presses += 1
        assert page.evaluate("() => document.activeElement.closest('li') === document.querySelector('.pra-result')"), (
            "the first result is more than 3 Tab presses from the words box")
        print(f"{viewport['width']} px: first result after {presses} Tab presses")


# --- the explorer -----------------------------------------------------------------------------


def test_explorer_pages_announce_their_range_and_keep_focus(wide: Tab, entries: list) -> None:
    reviews = matching(entries, document=["review"])
    assert len(reviews) > 40
    page = wide.open("recommendations/?document=review")
    settled(page)
    live = page.locator(".pra-explorer__status")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-atomic") == "true"
    assert status(page).startswith(f"1–20 of {len(reviews)} findings filtered by Review")
    first_page = result_urls(page)
    assert len(first_page) == 20

    page.get_by_role("button", name=re.compile("^Next page")).click()
    page.wait_for_function("() => /^21–40 of/.test(document.querySelector('.pra-explorer__status').textContent)")
    assert "page=2" in page.url
    assert page.evaluate("() => document.activeElement === document.querySelector('.pra-result a')")
    second_page = result_urls(page)
    assert len(second_page) == 20 and not set(second_page) & set(first_page)
    assert page.locator('.pra-pager [aria-current="page"]').inner_text() == "2"

    page.reload(wait_until="networkidle")  # the page number is in the address
    settled(page)
    assert status(page).startswith(f"21–40 of {len(reviews)}")
    assert result_urls(page) == second_page

    last = -(-len(reviews) // 20)
    page.get_by_role("button", name=f"Page {last}", exact=True).click()
    page.wait_for_function(f"() => /^{(last - 1) * 20 + 1}–{len(reviews)} of/.test("
                           "document.querySelector('.pra-explorer__status').textContent)")
    assert page.get_by_role("button", name=re.compile("^Next page")).count() == 0
    seen = {key_of(u) for u in first_page + second_page + result_urls(page)}
    assert seen <= {(e.owner_id, e.finding.id) for e in reviews}
    assert not wide.errors


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_explorer_sorts_by_date(wide: Tab, entries: list, order: str) -> None:
    by_key = {(e.owner_id, e.finding.id): e for e, _ in entries}
    page = wide.open(f"recommendations/?q=school&sort={order}")
    settled(page)
    assert page.input_value("#pra-explorer-sort") == order
    dates = [by_key[key_of(u)].date for u in result_urls(page)]
    assert len(dates) == 20
    assert dates == sorted(dates, reverse=order == "newest"), dates
    found = [e.date for e, f in entries if "school" in e.finding.text.lower()]
    assert dates[0] == (max(found) if order == "newest" else min(found))
    page.select_option("#pra-explorer-sort", "")  # best match: the order Pagefind scores
    settled(page)
    assert "sort=" not in page.url


def test_document_kind_facet_leaves_out_council_papers_that_are_not_reviews(wide: Tab, entries: list) -> None:
    page = wide.open("recommendations/")
    settled(page)
    kinds = page.eval_on_selector_all('input[name="document"]', "boxes => boxes.map(b => b.value)")
    assert kinds == ["review", "follow-up", "response", "context"]
    for kind in ("review", "follow-up", "response"):
        page.check(f'input[name="document"][value="{kind}"]')
    settled(page)
    wanted = matching(entries, document=["review", "follow-up", "response"])
    assert int(page.locator(".pra-explorer__status").get_attribute("data-count")) == len(wanted)
    assert len(wanted) < len(entries)  # Peterborough's Vision for Education is left out
    assert all(not key_of(u)[0].startswith("peterborough-vision") for u in result_urls(page))


def test_every_value_of_every_facet_is_reachable(wide: Tab, entries: list) -> None:
    page = wide.open("recommendations/")
    settled(page)
    for key, _ in FACETS:
        values = {v for _, f in entries for v in f.get(key, [])}
        boxes = page.locator(f'input[name="{key}"]')
        assert boxes.count() == len(values), key
        more = page.locator(f'[data-facet="{key}"] .pra-facet__all')
        if more.count():
            legend = page.locator(f'[data-facet="{key}"] legend').inner_text().lower()
            assert more.inner_text() == f"Show all {len(values)} ({legend})"
            more.click()
            assert more.get_attribute("aria-expanded") == "true"
        hidden = [b.get_attribute("value") for b in boxes.all() if not b.is_visible()]
        assert not hidden, f"{key}: {hidden}"
    # No list scrolls inside a box of its own: what is shown is all there is.
    assert page.evaluate("() => [...document.querySelectorAll('.pra-facet__values')]"
                         ".every(u => u.scrollHeight <= u.clientHeight + 1)")


def test_filters_sit_behind_a_button_on_a_phone(phone: Tab) -> None:
    page = phone.open("recommendations/?q=vulnerable+groups")
    settled(page)
    toggle = page.locator("[data-filters-toggle]")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator('input[name="theme"]').first.is_visible()
    assert page.locator(".pra-result").first.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.activeElement.id") == "pra-explorer-filters"
    page.locator('[data-facet="theme"] .pra-facet__all').click()  # Vulnerable groups is far down
    page.check('input[name="theme"][value="vulnerable-groups"]')
    settled(page)
    assert toggle.inner_text() == "Filters (1)"
    page.get_by_role("button", name="Show the results").click()
    assert page.evaluate("() => document.activeElement.id") == "pra-explorer-results"
    assert not page.locator('input[name="theme"]').first.is_visible()
    assert not phone.errors


def test_download_is_the_current_findings_with_the_columns_of_findings_csv(wide: Tab, entries: list) -> None:
    page = wide.open("recommendations/?theme=vulnerable-groups&document=review&document=follow-up")
    settled(page)
    wanted = matching(entries, theme=["vulnerable-groups"], document=["review", "follow-up"])
    button = page.locator("[data-download]")
    assert button.inner_text() == f"Download these {len(wanted)} findings (CSV)"
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "findings-filtered.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # as findings.csv: BOM, CRLF
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == [c.name for c in FINDING_COLUMNS]
    assert sorted((r["document_id"], r["finding_id"]) for r in rows) == sorted(
        (e.owner_id, e.finding.id) for e in wanted)
    # The rows are findings.csv's own, byte for byte (the CSV in findings.csv.zip).
    packed = page.context.request.get(wide.base + "data/findings.csv.zip").body()
    whole = zipfile.ZipFile(io.BytesIO(packed)).read("findings.csv").decode("utf-8-sig")
    assert all(line in whole for line in data.decode("utf-8-sig").split("\r\n")[1:] if line)
    assert not wide.errors


# --- paper ----------------------------------------------------------------------------------


def test_a_review_prints_as_the_review_with_its_follow_up_and_response(wide: Tab, tmp_path: Any) -> None:
    page = wide.open("reviews/east-sussex-2012/")
    assert page.get_by_role("button", name="Print this review").is_visible()
    pdf = tmp_path / "review.pdf"
    page.pdf(path=str(pdf), format="A4")
    reader = pypdf.PdfReader(str(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    assert "East Sussex" in flat and "Follow-up visit, 6 March 2013" in flat
    assert "Council response" in flat and "Sources" in flat
    for furniture in ("Skip to main content", "Search the archive", "Print this review", "On this page",
                      "Authorities Reviews Themes"):
        assert furniture not in flat, furniture
    assert "Peer Review Archive: " + wide.base + "reviews/east-sussex-2012/" in flat
    # Links print their address after their words (pypdf may break a long one across lines).
    assert re.search(r"Kent\(http://127\.0\.0\.1:\d+/authorities/kent/\)", "".join(text.split())), flat
    # Each main part starts a sheet: the follow-up's heading is at the top of its page.
    tops = [p.extract_text().strip().splitlines()[0] for p in reader.pages]
    assert any(t.startswith("Follow-up visits") for t in tops), tops
    print(f"printed review: {len(reader.pages)} A4 pages")


# --- what the pages say -----------------------------------------------------------------------


def test_counts_count_what_the_page_shows_and_sources_are_citations(site: Any) -> None:
    """East Sussex's review has no findings of its own, but 30 in its follow-up and response:
    the table of reviews says so. No source is shown as an archive file path."""
    graph = build_graph(load_archive(ROOT / "reviews"))
    review = graph.archive.reviews["east-sussex-2012"]
    later = sum(len(v.findings) for v in review.follow_ups) + sum(len(r.findings) for r in review.responses)
    assert len(review.findings) == 0 and later > 0
    index = (site / "reviews" / "index.html").read_text(encoding="utf-8")
    row = index[index.index('east-sussex-2012/">East Sussex Peer Challenge'):]
    row = row[:row.index("</tr>")]
    assert f"0<span class=\"pra-later\"> in the review, {later} in follow-ups and responses</span>" in row
    for page in site.glob("reviews/*/index.html"):
        html = page.read_text(encoding="utf-8")
        assert "Archive copy:" not in html and "seeds/" not in html, page
        assert ('class="pra-source__facts"' in html) == ('class="pra-sources"' in html), page
