"""Test projects: the repository's own mkdocs.yml, content/ and theme/ with a records folder of
the test's choosing, built by the `mkdocs` command in a subprocess, as an editor or CI would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_FIXTURE = ROOT / "tests" / "fixtures" / "site"
TINY_RECORDS = SITE_FIXTURE / "reviews"


# --- projects and builds ---------------------------------------------------------------


def make_project(dest: Path, records: Path = TINY_RECORDS) -> Path:
    """A copy of the site's configuration, pages and theme, with `records` as reviews/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "theme"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copytree(records, dest / "reviews")
    return dest


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def build(project: Path, site: Path | None = None, *, strict: bool = True) -> BuildResult:
    """Run `mkdocs build` on `project` (its mkdocs.yml) into `site` (default project/site)."""
    site = site or project / "site"
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
               "--site-dir", str(site)]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          timeout=600)
    return BuildResult(done.returncode, done.stdout + done.stderr, site)


def build_generated(folder: Path, **sizes: int) -> tuple[Path, Path]:
    """A generated archive (benchmarks/generate.py, `sizes` as it takes them) built strictly
    in `folder`: its records folder and its site."""
    from benchmarks.generate import generate_archive

    records = generate_archive(folder / "records", **sizes).records
    done = build(make_project(folder / "project", records))
    assert done.ok, done.output[-3000:]
    return records, done.site
