"""Publishing (issue 5): the GitHub workflows, the lock file, the link checker, the 404 page.

The workflows are linted with actionlint and audited with zizmor (offline: no GitHub
API), then their security properties are asserted on the parsed YAML, so that a later
edit cannot quietly widen a permission, unpin an action or deploy from a pull request.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
LINKS = WORKFLOWS / "links.yml"
LOCK = ROOT / "requirements" / "test.lock"

SHA_PIN = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})"
    r"\s+#\s+(?P<version>v\d+\.\d+\.\d+)\s*$"
)
MAIN_ONLY = "github.ref == 'refs/heads/main'"


def tool_path() -> str:
    """PATH with this interpreter's bin first: the tools from the test extra live there."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def tool(name: str) -> str:
    """Path of a command-line tool from the test extra."""
    found = shutil.which(name, path=tool_path())
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed: install requirements/test.lock")
        pytest.skip(f"{name} is not installed (pip install --require-hashes -r {LOCK.name})")
    return found


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    # YAML 1.1 reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflows() -> list[Path]:
    found = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
    assert SITE in found and LINKS in found
    return found


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


# --- linters ----------------------------------------------------------------------


def test_actionlint_passes():
    env = dict(os.environ, PATH=tool_path())
    result = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, workflows())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline_finds_nothing():
    env = {k: v for k, v in os.environ.items() if k not in {"GH_TOKEN", "GITHUB_TOKEN"}}
    result = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-progress",
            "--persona",
            "pedantic",
            "--format",
            "plain",
            "--color",
            "never",
            str(WORKFLOWS),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


# --- triggers ---------------------------------------------------------------------


def test_site_workflow_runs_on_pull_requests_pushes_to_main_and_by_hand():
    on = load(SITE)["on"]
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert "pull_request_target" not in on and "workflow_run" not in on


def test_links_workflow_is_weekly_report_only():
    workflow = load(LINKS)
    assert workflow["on"]["schedule"] and "workflow_dispatch" in workflow["on"]
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    check = [s for _, s in steps(workflow) if "check_external_links" in s.get("run", "")]
    assert len(check) == 1 and check[0].get("continue-on-error") is True


# --- permissions ------------------------------------------------------------------


@pytest.mark.parametrize("path", [SITE, LINKS], ids=lambda p: p.name)
def test_top_level_permissions_are_contents_read_only(path):
    assert load(path)["permissions"] == {"contents": "read"}


def test_only_the_deploy_job_can_write():
    for path in workflows():
        for job_id, job in load(path)["jobs"].items():
            perms = job.get("permissions", {})
            assert perms != "write-all" and perms != "read-all", (path.name, job_id)
            writes = {k for k, v in perms.items() if v == "write"}
            if path == SITE and job_id == "deploy":
                assert perms == {"pages": "write", "id-token": "write"}
            else:
                assert not writes, f"{path.name}: job {job_id} may write {writes}"


def test_no_secrets_and_no_persisted_credentials():
    for path in workflows():
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text, path.name
        for job_id, step in steps(load(path)):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, (path.name, job_id)


# --- pinning ----------------------------------------------------------------------


def test_every_action_is_pinned_to_a_commit_sha_with_its_version():
    pinned = 0
    for path in workflows():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(?:-\s+)?uses:", line):
                assert SHA_PIN.match(line), f"{path.name}:{number}: not pinned: {line.strip()}"
                pinned += 1
        for job_id, step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), (path.name, job_id)
        for job_id, job in load(path)["jobs"].items():
            assert "uses" not in job, f"{path.name}: reusable workflow in {job_id} is not allowed"
            assert "services" not in job, (path.name, job_id)
            if "container" in job:  # only an image pinned by digest
                assert re.fullmatch(r"[\w./:-]+@sha256:[0-9a-f]{64}", job["container"]["image"]), job_id
    assert pinned >= 6


def test_one_release_per_action():
    seen: dict[str, set[tuple[str, str]]] = {}
    for path in workflows():
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := SHA_PIN.match(line):
                seen.setdefault(match["action"], set()).add((match["sha"], match["version"]))
    assert {a for a, pins in seen.items() if len(pins) > 1} == set(), seen


# --- jobs -------------------------------------------------------------------------


def test_deploy_runs_only_from_main_after_the_tests():
    jobs = load(SITE)["jobs"]
    deploy, build = jobs["deploy"], jobs["build-pages"]
    needs = deploy["needs"] if isinstance(deploy["needs"], list) else [deploy["needs"]]
    assert "test" in needs and "build-pages" in needs
    assert build["needs"] in ("test", ["test"])
    for job in (deploy, build):
        condition = job["if"]
        assert MAIN_ONLY in condition and "github.event_name == 'push'" in condition
        assert "pull_request" not in condition
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    uses = [s["uses"].split("@")[0] for s in deploy["steps"]]
    assert uses == ["actions/deploy-pages"], "the deploy job runs nothing but deploy-pages"


def test_pages_build_uses_the_configured_pages_url():
    build = load(SITE)["jobs"]["build-pages"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    configure = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages@"))
    built = next(s for s in build["steps"] if "mkdocs build --strict" in s.get("run", ""))
    expected = "${{ steps." + configure["id"] + ".outputs.base_url }}"
    assert built["env"]["SITE_URL"] == expected
    assert "scripts/check_links.sh" in built["run"]


def test_deployments_queue_and_are_never_cancelled():
    concurrency = load(SITE)["concurrency"]
    assert concurrency["group"].startswith("pages")
    assert concurrency["cancel-in-progress"] is False


def test_pull_requests_run_the_readme_test_command_and_upload_the_site():
    test = load(SITE)["jobs"]["test"]
    assert "if" not in test
    runs = [s.get("run", "") for s in test["steps"]]
    assert "bash scripts/test.sh" in runs
    assert any("--require-hashes -r requirements/test.lock" in r for r in runs)
    assert any(re.search(r"apt-get install -y .*chromium", r) for r in runs)
    upload = next(s for s in test["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "github.event_name == 'pull_request'" and upload["with"]["path"] == "site/"


def test_properdocs_build_never_blocks():
    jobs = load(SITE)["jobs"]
    assert jobs["properdocs"]["continue-on-error"] is True
    for job_id, job in jobs.items():
        needs = job.get("needs", [])
        assert "properdocs" not in (needs if isinstance(needs, list) else [needs]), job_id


def test_ci_entry_point_runs_the_same_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    assert "--require-hashes -r" in ci and "scripts/test.sh" in ci
    test_sh = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    for command in ("ruff check", "pra check reviews", "mkdocs build --strict", "scripts/check_links.sh", "pytest"):
        assert command in test_sh, command


# --- lock file --------------------------------------------------------------------


def locked() -> dict[str, list[tuple[str, str]]]:
    """name -> [(version, marker)] from requirements/test.lock."""
    pins: dict[str, list[tuple[str, str]]] = {}
    text = LOCK.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.splitlines()[0]
        if first.startswith("#") or not first.strip():
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+))?", first)
        assert match, f"not an exact pin: {first}"
        assert "--hash=sha256:" in block, f"no hash for {first}"
        name = canonicalize_name(match[1])
        pins.setdefault(name, []).append((match[2], (match[3] or "").strip()))
    return pins


def test_lock_pins_every_dependency_and_test_extra_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = locked()
    for spec in wanted:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from {LOCK.name}: run scripts/lock.sh"
        for version, _ in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name}=={version} does not satisfy {spec!r}: run scripts/lock.sh"
            )


# --- link checker -----------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>t</title>
<link rel="canonical" href="{canonical}"></head><body>
<h1 id="top">Top</h1>{links}</body></html>"""


def make_site(root: Path, links_on_home: str, links_on_404: str) -> Path:
    site = root / "site"
    (site / "reviews" / "kent-2016").mkdir(parents=True)
    base = "https://example.org/peer-review-archive/"
    (site / "index.html").write_text(PAGE.format(canonical=base, links=links_on_home))
    (site / "reviews" / "kent-2016" / "index.html").write_text(
        PAGE.format(canonical=base + "reviews/kent-2016/", links='<p id="recommendation-1">r</p>')
    )
    (site / "404.html").write_text(PAGE.format(canonical=base, links=links_on_404))
    locs = "".join(f"<url><loc>{base}{path}</loc></url>" for path in ("", "reviews/kent-2016/"))
    (site / "sitemap.xml").write_text(f"<urlset>{locs}</urlset>")
    return site


def run_check_links(site: Path) -> subprocess.CompletedProcess:
    tool("lychee")
    env = dict(os.environ, PATH=tool_path())
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "check_links.sh"), str(site)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_link_checker_accepts_good_links_at_any_depth(tmp_path):
    site = make_site(
        tmp_path,
        '<a href="reviews/kent-2016/#recommendation-1">r</a> <a href="#top">top</a>'
        ' <a href="https://example.org/peer-review-archive/reviews/kent-2016/">abs</a>',
        '<a href="/peer-review-archive/reviews/kent-2016/#recommendation-1">r</a>'
        ' <a href="/peer-review-archive/">home</a>',
    )
    result = run_check_links(site)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("home", "not_found"),
    [
        ('<a href="reviews/kent-2016/#recommendation-9">r</a>', ""),
        ('<a href="reviews/kent-2017/">r</a>', ""),
        ('<a href="https://example.org/peer-review-archive/reviews/nope/">r</a>', ""),
        ("", '<a href="/peer-review-archive/themes/">themes</a>'),
        ("", '<a href="/reviews/kent-2016/">outside the project path</a>'),
    ],
    ids=["missing-anchor", "missing-page", "bad-canonical", "404-missing-page", "404-wrong-base"],
)
def test_link_checker_rejects_broken_internal_links(tmp_path, home, not_found):
    result = run_check_links(make_site(tmp_path, home, not_found))
    assert result.returncode != 0, result.stdout + result.stderr


# --- the site as GitHub Pages serves it: under /<repository>/ ----------------------

PAGES_URL = "https://example.org/peer-review-archive/"


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory) -> Path:
    """The real site, built as the deploy job builds it (SITE_URL from configure-pages)."""
    out = tmp_path_factory.mktemp("pages") / "site"
    env = dict(os.environ, PATH=tool_path(), SITE_URL=PAGES_URL.rstrip("/"), NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_404_page_template_links_through_the_url_filter():
    page = (ROOT / "theme" / "404.html").read_text(encoding="utf-8")
    targets = re.findall(r'(?:href|action)="([^"]*)"', page)
    assert targets
    for target in targets:
        # A 404 page is served at any depth: every link goes through the `url` filter,
        # which MkDocs resolves against site_url's path for error pages.
        assert re.fullmatch(r"\{\{ ('[^']*'|path) \| url \}\}", target), target


def test_404_page_works_at_any_depth_under_the_repository_path(pages_site):
    html = (pages_site / "404.html").read_text(encoding="utf-8")
    base = "/peer-review-archive/"
    hrefs = set(re.findall(r'<a[^>]*\shref="([^"]+)"', html))
    internal = {h for h in hrefs if not re.match(r"[a-z]+:", h) and not h.startswith("#")}
    assert internal, "the 404 page links into the site"
    assert all(h.startswith(base) for h in internal), sorted(internal)
    for index in ("authorities/", "reviews/", "themes/"):
        assert base + index in hrefs, index
    if (pages_site / "recommendations" / "index.html").exists():
        assert base + "recommendations/" in hrefs
        assert f'action="{base}recommendations/"' in html and 'role="search"' in html


def test_canonical_urls_and_sitemap_use_the_pages_url(pages_site):
    home = (pages_site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PAGES_URL}">' in home
    review = next((pages_site / "reviews").glob("*/index.html"))
    url = PAGES_URL + review.parent.relative_to(pages_site).as_posix() + "/"
    assert f'<link rel="canonical" href="{url}">' in review.read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", (pages_site / "sitemap.xml").read_text(encoding="utf-8"))
    assert PAGES_URL in locs and url in locs
    assert all(loc.startswith(PAGES_URL) for loc in locs)


def test_every_internal_link_of_the_pages_build_resolves(pages_site):
    result = run_check_links(pages_site)
    assert result.returncode == 0, result.stdout + result.stderr
