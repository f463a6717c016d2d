"""`mkdocs serve` with bad records, for real (a subprocess, HTTP requests): it never hangs,
never serves an empty archive, says what is wrong on every page, and recovers once fixed.
And `mkdocs build` publishes a whole site or none."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from support.builds import build, make_project

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
WAIT = 90  # seconds a rebuild may take on a loaded machine before the test gives up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    """Status and body; a request that does not answer in 20 s fails the test (a hung serve)."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"serve never got there: {what}")
        time.sleep(0.5)


def test_serve_with_bad_records(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    review = project / "reviews" / "thurrock-2016.yml"
    good = review.read_text(encoding="utf-8")
    review.write_text(good + LAUGHS, encoding="utf-8")  # a cold start on a bad record
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                             env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)},
                             stdout=log, stderr=subprocess.STDOUT)
    try:
        def answering() -> bool:
            try:
                return get(base)[0] == 200
            except OSError:
                return False
        until(answering, "the first page")

        # Cold start: every generated page is the list of problems, hand-written ones carry it.
        line = good.count("\n") + 1
        problem = f"reviews/thurrock-2016.yml:{line}:4</code> a: an anchor (&amp;a) names a value to repeat"
        for url in ("reviews/thurrock-2016/", "reviews/cambridgeshire-2014/", "reviews/", "authorities/"):
            status, page = get(base + url)
            assert status == 200 and problem in page and "Nothing can be shown until they are fixed" in page, url
        status, about = get(base + "about/")
        assert status == 200 and problem in about

        # Fixed: the archive is back, and the banner gone.
        review.write_text(good, encoding="utf-8")
        until(lambda: "The records have" not in get(base + "reviews/thurrock-2016/")[1], "the fix")
        status, page = get(base + "reviews/thurrock-2016/")
        assert status == 200 and "Thurrock" in page and "pra-problems" not in page

        # A record that would hang a reader (a named pipe): the last good archive, with the banner.
        os.mkfifo(project / "reviews" / "pipe-2016.yml")
        until(lambda: "a named pipe" in get(base + "reviews/thurrock-2016/")[1], "the pipe reported")
        status, page = get(base + "reviews/thurrock-2016/")
        assert status == 200 and "This preview shows the last records that loaded cleanly" in page
        assert "<h1" in page and "Thurrock" in page
        (project / "reviews" / "pipe-2016.yml").unlink()
        until(lambda: "The records have" not in get(base + "about/")[1], "the pipe removed")
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in output, output
    assert "Shutting down" in output  # SIGTERM became a clean stop ...
    assert list(temp.iterdir()) == []  # ... which removed every temporary folder


def test_failing_search_indexer_keeps_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "project")
    first = build(project)
    assert first.ok, first.output
    before = sorted(p.relative_to(first.site) for p in first.site.rglob("*"))
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    (project / "content" / "about.md").write_text("# Changed\n\nThis build fails.\n")
    failed = build(project)
    assert not failed.ok
    assert "the search indexer (pagefind) failed" in failed.output and "Traceback" not in failed.output
    assert sorted(p.relative_to(first.site) for p in first.site.rglob("*")) == before
    assert "This build fails" not in (first.site / "about" / "index.html").read_text()
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_a_killed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    first = build(project)
    assert first.ok, first.output
    before = sorted(p.relative_to(first.site) for p in first.site.rglob("*"))
    # Slow the pages down (an MkDocs hook of the test's own), so the signal lands mid-build
    # however loaded the machine is, not after a tiny build has already finished.
    (project / "slow_pages.py").write_text("import time\n\n\ndef on_post_page(output, **kwargs):\n"
                                           "    time.sleep(0.1)\n    return output\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "\nhooks:\n  - slow_pages.py\n")
    for how in (signal.SIGTERM, signal.SIGKILL):
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(first.site)],
                                   cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        until(lambda: any(p.name.startswith(".site.pra-staging-") for p in project.iterdir()), "the build started")
        process.send_signal(how)
        output = process.communicate(timeout=60)[0].decode()
        assert process.returncode != 0
        assert sorted(p.relative_to(first.site) for p in first.site.rglob("*")) == before, how
        if how == signal.SIGTERM:  # a clean stop: one line, and nothing left behind
            assert "stopped (SIGTERM)" in output and "Traceback" not in output, output
            assert not [p for p in project.iterdir() if p.name.startswith(".site.pra-staging-")]
    config.write_text(config.read_text().replace("\nhooks:\n  - slow_pages.py\n", ""))
    again = build(project)  # the next build removes what the killed one left
    assert again.ok, again.output
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]
