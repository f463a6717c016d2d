"""The site in real headless Chromium: search, the explorer, and accessibility (issue 4).

The real archive (reviews/) is built once per session with the repository's config and
served on 127.0.0.1; every test drives Debian's Chromium through Playwright. Expected
counts come from the records themselves, never from the page. Outside CI the module skips
(saying why) when Chromium or Playwright is missing; with CI set it fails instead.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

import pytest
from peer_review_archive.graph.indexes import build_graph
from peer_review_archive.records.assembly import load_archive
from peer_review_archive.search.records import finding_filters
from support.browser import PAGES, REASON, Tab, scheme_of, settled
from support.builds import ROOT

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

if REASON and not os.environ.get("CI"):
    print(f"\ntests/test_browser.py skipped: {REASON}")
    pytest.skip(REASON, allow_module_level=True)


# --- expected values, from the records ---------------------------------------------------


@pytest.fixture(scope="session")
def filters() -> list[dict[str, list[str]]]:
    """Every finding's facet values, as the index is given them."""
    graph = build_graph(load_archive(ROOT / "reviews"))
    return [finding_filters(entry, graph.archive, graph.trails) for entry in graph.findings.values()]


def expected(filters: list[dict[str, list[str]]], **chosen: list[str]) -> list[dict[str, list[str]]]:
    """Findings matching every chosen facet (any of its values)."""
    return [f for f in filters if all(set(values) & set(f.get(key, [])) for key, values in chosen.items())]


def counts(found: list[dict[str, list[str]]], key: str) -> Counter[str]:
    return Counter(value for f in found for value in f.get(key, []))


# --- the explorer ------------------------------------------------------------------------


def shown_count(page: Any) -> int:
    return int(page.locator(".pra-explorer__status").get_attribute("data-count"))


def facet_counts(page: Any, key: str) -> dict[str, int]:
    return page.evaluate("""key => Object.fromEntries([...document.querySelectorAll(`input[name="${key}"]`)]
        .map(box => [box.value, Number(box.closest('label').querySelector('.pra-facet__count')
        .textContent.replace(/[()]/g, ''))]))""", key)


THURROCK_16 = "reviews/thurrock-2016/#recommendation-1-6"


def choose(page: Any, key: str, value: str) -> None:
    """Tick a facet value as a reader would: "Show all" first if the list is shortened."""
    box = page.locator(f'input[name="{key}"][value="{value}"]')
    more = page.locator(f'[data-facet="{key}"] .pra-facet__all[aria-expanded="false"]')
    if not box.is_visible() and more.count():
        more.click()
    box.check()


def test_search_finds_thurrock_recommendation_and_lands_on_it(tab: Tab) -> None:
    page = tab.open("recommendations/")
    page.fill("#pra-explorer-q", "vulnerable groups")
    link = page.locator(f'.pra-explorer__results a[href$="{THURROCK_16}"]')
    link.wait_for()
    result = link.locator("xpath=ancestor::li[1]")
    assert "Develop a cross-service strategy to improve outcomes for vulnerable groups." in result.inner_text()
    assert "Thurrock" in result.inner_text() and "28 June 2016" in result.inner_text()
    themes = result.locator(".pra-result__themes a")
    assert [a.inner_text() for a in themes.all()] == ["Vulnerable groups", "Strategy and priorities"]
    assert themes.first.get_attribute("href").endswith("themes/vulnerable-groups/")
    # made in the browser from the permalink and the filters' ids (search-engine.js finding)
    where = [a.get_attribute("href") for a in result.locator(".pra-result__meta a").all()]
    assert where[0].endswith("/authorities/thurrock/") and where[1].endswith("/reviews/thurrock-2016/"), where
    link.click()
    page.wait_for_url(re.compile(r"/reviews/thurrock-2016/#recommendation-1-6$"))
    target = page.locator("#recommendation-1-6")
    assert target.is_visible()
    assert page.evaluate("() => document.querySelector(':target')?.id") == "recommendation-1-6"
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    assert not tab.errors


def test_theme_and_authority_facets_narrow_with_correct_counts(tab: Tab, filters: list[dict[str, list[str]]]) -> None:
    page = tab.open("recommendations/")
    settled(page)
    assert facet_counts(page, "theme") == {k: v for k, v in counts(filters, "theme").items()}

    choose(page, "theme", "vulnerable-groups")
    settled(page)
    by_theme = expected(filters, theme=["vulnerable-groups"])
    assert shown_count(page) == len(by_theme)
    hosts = facet_counts(page, "host")
    assert {k: v for k, v in hosts.items() if v} == dict(counts(by_theme, "host"))
    assert "theme=vulnerable-groups" in page.url

    choose(page, "host", "thurrock")
    settled(page)
    both = expected(filters, theme=["vulnerable-groups"], host=["thurrock"])
    assert 0 < shown_count(page) == len(both) < len(by_theme)
    # A facet's own counts ignore its own choice: themes are counted over Thurrock's findings.
    themes = facet_counts(page, "theme")
    assert {k: v for k, v in themes.items() if v} == dict(counts(expected(filters, host=["thurrock"]), "theme"))
    kinds = facet_counts(page, "kind")
    assert {k: v for k, v in kinds.items() if v} == dict(counts(both, "kind"))
    assert len(page.locator(".pra-explorer__results > li").all()) == min(20, len(both))

    choose(page, "theme", "use-of-data")  # one facet's values widen
    settled(page)
    assert shown_count(page) == len(expected(filters, theme=["vulnerable-groups", "use-of-data"], host=["thurrock"]))
    assert not tab.errors


def test_a_shared_url_restores_query_and_filters(tab: Tab) -> None:
    page = tab.open("recommendations/")
    page.fill("#pra-explorer-q", "vulnerable groups")
    choose(page, "host", "thurrock")
    settled(page)
    shared = page.url
    assert "q=vulnerable+groups" in shared and "host=thurrock" in shared

    for visit in ("open the shared URL", "reload"):
        page = tab.open(shared.removeprefix(tab.base)) if visit.startswith("open") else page
        if visit == "reload":
            page.reload(wait_until="networkidle")
        settled(page)
        assert page.input_value("#pra-explorer-q") == "vulnerable groups", visit
        assert page.is_checked('input[name="host"][value="thurrock"]'), visit
        assert page.locator(f'.pra-explorer__results a[href$="{THURROCK_16}"]').count() == 1, visit
        hosts = {a.inner_text() for a in page.locator(".pra-result__meta a:first-of-type").all()}
        assert hosts == {"Thurrock"}, visit
    assert not tab.errors


def test_explorer_searches_nothing_for_one_letter(tab: Tab) -> None:
    """One letter narrows nothing: the explorer asks for words and fetches no index for it."""
    page = tab.open("recommendations/")
    page.fill("#pra-explorer-q", "vulnerable groups")
    settled(page)
    assert page.locator(".pra-explorer__results li").count() > 0
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.fill("#pra-explorer-q", "v")
    settled(page)
    assert page.locator(".pra-explorer__results li").count() == 0
    assert page.locator(".pra-explorer__status").inner_text().startswith("Type words to search for")
    assert [url for url in fetched if "/pagefind/" in url] == []
    assert not tab.errors


def test_explorer_works_from_the_keyboard(tab: Tab) -> None:
    page = tab.open("recommendations/")
    page.focus("#pra-explorer-q")
    page.keyboard.type("vulnerable groups")
    page.locator(f'.pra-explorer__results a[href$="{THURROCK_16}"]').wait_for()
    status = page.locator(".pra-explorer__status")
    assert status.get_attribute("role") == "status"
    settled(page)
    assert re.match(r"1–20 of \d+ findings for “vulnerable groups”", status.inner_text())
    page.keyboard.press("Tab")  # the order of the results, then the results themselves
    assert page.evaluate("() => document.activeElement.id") == "pra-explorer-sort"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.pra-result') !== null")
    page.focus('input[name="host"]')  # the filters follow the results
    page.keyboard.press("Space")
    settled(page)
    assert "host=" in page.url
    assert not tab.errors


def test_explorer_without_javascript_links_to_the_findings(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "recommendations/")
    assert not page.locator("#pra-explorer-form").is_visible()
    themes = page.locator(".pra-explorer__themes a")
    assert themes.count() > 5
    assert page.locator('a[href$="reviews/"]').count() >= 1
    with page.expect_navigation(wait_until="load"):
        themes.first.click()
    assert "/themes/" in page.url and page.locator("li.pra-finding").count() > 0
    context.close()


# --- the header search -----------------------------------------------------------------------


def test_header_search_on_a_review_page(tab: Tab) -> None:
    page = tab.open("reviews/east-sussex-2012/")
    page.fill("#pra-search-input", "vulnerable groups")
    link = page.locator(f'#pra-search-results a[href$="{THURROCK_16}"]')
    link.wait_for()
    page.wait_for_function("() => /results? for/.test(document.querySelector('#pra-search-status').textContent)")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('#pra-search-results') !== null")
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == "pra-search-input"
    assert page.locator("#pra-search-panel").is_hidden()

    page.fill("#pra-search-input", "Thurrock")  # pages too, once the rest of the index is in
    page.locator('#pra-search-results a[href$="authorities/thurrock/"]').wait_for()
    explorer = page.locator("#pra-search-explorer")
    assert explorer.get_attribute("href").endswith("recommendations/?q=Thurrock")
    page.locator('#pra-search-results a[href$="authorities/thurrock/"]').click()
    page.wait_for_url(re.compile(r"/authorities/thurrock/$"))
    assert not tab.errors


def test_header_search_without_javascript_goes_to_the_explorer(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "themes/")
    page.fill("#pra-search-input", "governors")
    page.press("#pra-search-input", "Enter")
    page.wait_for_url(re.compile(r"/recommendations/\?q=governors$"))
    context.close()


# --- what happened next, who else faced it, and the compare view (issue 13) --------------------


def test_a_recommendation_shows_its_council_action_and_status(tab: Tab) -> None:
    page = tab.open("reviews/thurrock-2016/")
    trail = page.locator("#recommendation-1-3 .pra-trail")
    assert trail.locator(".pra-trail__status").inner_text() == (
        "What happened next: Council action reported (20 December 2016)")
    step = trail.locator(".pra-trail__steps li")
    assert step.count() == 1 and "Key issue 3.2 (council response, 20 December 2016)" in step.inner_text()
    step.locator("a").click()  # linked both ways: to the action, and from it back
    assert page.url.endswith("#action-3-2")
    page.locator("#action-3-2 .pra-finding__links a").click()
    assert page.url.endswith("#recommendation-1-3")
    none = page.locator("#recommendation-1-6 .pra-trail__status").inner_text()
    assert none == "What happened next: No later record in this archive"
    assert page.locator("#recommendation-1-6 .pra-trail__steps").count() == 0
    assert not tab.errors


def test_what_happened_next_facet_counts_and_filters(tab: Tab, filters: list[dict[str, list[str]]]) -> None:
    page = tab.open("recommendations/")
    settled(page)
    assert facet_counts(page, "next") == dict(counts(filters, "next"))
    page.check('input[name="next"][value="council-action"]')
    settled(page)
    acted = expected(filters, next=["council-action"])
    assert 0 < shown_count(page) == len(acted)
    assert "next=council-action" in page.url
    page.check('input[name="host"][value="thurrock"]')
    settled(page)
    assert shown_count(page) == len(expected(filters, next=["council-action"], host=["thurrock"])) == 3
    assert not tab.errors


def test_a_quality_assurance_area_for_development_lists_other_authorities(tab: Tab) -> None:
    page = tab.open("reviews/thurrock-2016/")
    other = page.locator("#development-7 details.pra-elsewhere")
    assert not other.locator(".pra-elsewhere__items").first.is_visible()  # closed until asked
    other.locator("summary").focus()
    page.keyboard.press("Enter")  # opens from the keyboard
    told = other.locator(".pra-elsewhere__items li")
    texts = [told.nth(i).inner_text() for i in range(told.count())]
    # each match: its first words (its link), its authority, the kind of document and year
    assert "In the longer term the LA needs to embrace the…, Cambridgeshire (peer review, 2014)" in texts
    assert any(t.endswith(", East Sussex (follow-up visit, 2013)") and "evaluate progress" in t for t in texts)
    assert "No other authority is praised for this in the archive." in other.inner_text()
    link = other.locator('a[href$="cambridgeshire-2014/#development-13"]')
    link.click()
    assert page.url.endswith("/reviews/cambridgeshire-2014/#development-13")
    assert not tab.errors


def test_compare_thurrock_beside_cambridgeshire(tab: Tab) -> None:
    page = tab.open("authorities/thurrock/")
    page.select_option("#pra-compare-with", "cambridgeshire")
    page.locator("#pra-compare-with").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the form's button, from the keyboard
    page.wait_for_selector("#compared")
    assert "a=thurrock" in page.url and "b=cambridgeshire" in page.url
    assert page.locator("#compared").inner_text() == "Thurrock and Cambridgeshire"
    assert page.locator(".pra-compare__status").inner_text() == "Thurrock and Cambridgeshire side by side."
    tables = page.locator(".pra-compare__table")
    heads = tables.first.locator("thead th").all_inner_texts()
    assert heads == ["Thurrock", "Cambridgeshire"]
    follow = tables.nth(1).locator("tbody tr").all_inner_texts()
    assert any("Of 6 recommendations, 3 with a reported council action" in row for row in follow)
    themes = tables.nth(2).locator("tbody th").all_inner_texts()
    assert "Quality assurance of support" in themes
    # Cambridgeshire reviewed Thurrock: listed among Thurrock's peer authorities
    assert "Cambridgeshire" in tables.first.locator("tbody tr").nth(1).inner_text()
    # Choosing again from the keyboard updates the address
    page.select_option("#pra-compare-b", "east-sussex")
    page.locator("#pra-compare-form button").press("Enter")
    page.wait_for_function("() => document.querySelector('#compared').textContent.includes('East Sussex')")
    assert "b=east-sussex" in page.url
    assert not tab.errors


def test_compare_without_javascript_leads_to_the_authority_pages(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "compare/?a=thurrock&b=cambridgeshire")
    assert not page.locator("#pra-compare-form").is_visible()
    assert page.locator('.pra-compare__fallback a[href$="authorities/thurrock/"]').count() == 1
    context.close()


# --- every page kind: no console errors, no axe violations -----------------------------------



def test_no_console_errors_404s_or_other_hosts_on_any_page_kind(tab: Tab) -> None:
    """Every page kind, as a reader opens it: no script error, no missing file (a 404 for a
    sitemap beside a feed used to be one), no request to any other host (web fonts, the
    GitHub API). Searching from the header counts too."""
    for path in PAGES.values():
        page = tab.open(path)
        if path.startswith("recommendations/?"):
            settled(page)
    page = tab.open("reviews/thurrock-2016/")
    page.fill("#pra-search-input", "governors")
    page.wait_for_function("() => /for “governors”/.test(document.querySelector('#pra-search-status').textContent)")
    assert not tab.foreign, "requests to other hosts:\n" + "\n".join(tab.foreign)
    assert not tab.errors, "\n".join(tab.errors)
    assert tab.failed == [], tab.failed


def _axe(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG)
    return result["violations"]


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_axe_violations(tab: Tab, kind: str, scheme: str) -> None:
    page = tab.open(PAGES[kind])
    scheme_of(page, scheme)
    if kind == "explorer with results":
        settled(page)
    if kind == "compare":
        page.wait_for_selector("#compared")
    if kind == "review":  # with who else faced it open
        page.locator("#development-7 details.pra-elsewhere summary").click()
    violations = _axe(page)
    assert not violations, f"{kind}, {scheme}:\n{_report(violations)}"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_axe_violations_with_header_results_open(tab: Tab, scheme: str) -> None:
    page = tab.open("reviews/thurrock-2016/")
    scheme_of(page, scheme)
    page.fill("#pra-search-input", "vulnerable groups")
    page.wait_for_function(
        "() => /for “vulnerable groups”/.test(document.querySelector('#pra-search-status').textContent)")
    violations = _axe(page)
    assert not violations, f"header results, {scheme}:\n{_report(violations)}"
