"""Shared test fixtures: real builds of small sites in a temporary folder, and an HTML reader.

A test project is the repository's own mkdocs.yml, content/ and theme/ with a records
folder of the test's choosing (by default the tiny archive in tests/fixtures/site/), so
what is tested is the site as configured, not a stand-in. Builds run the `mkdocs` command
in a subprocess, as an editor or CI would.

    def test_something(build_site, site_project):
        result = build_site(site_project)          # a fresh copy in tmp_path
        assert result.ok, result.output
        page = read_page(result.site / "reviews" / "thurrock-2016" / "index.html")

`tiny_site` is the tiny archive built once per session, for read-only assertions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.browser import base, browser, site, tab  # noqa: F401 - the browser tests' (support/browser.py)
from support.builds import BuildResult, build, make_project
from support.pages import Page, read_page


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the tiny project: change its records, then build it."""
    return make_project(tmp_path / "project")


@pytest.fixture
def build_site() -> Callable[..., BuildResult]:
    return build


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny archive, built once with --strict: read it, never change it."""
    project = make_project(tmp_path_factory.mktemp("tiny") / "project")
    result = build(project)
    assert result.ok, result.output
    return result.site


@pytest.fixture
def page_reader() -> Callable[[Path], Page]:
    return read_page
