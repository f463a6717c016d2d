"""The build budgets of DESIGN.md §6, measured in one run on this machine. Prints; asserts nothing.

1. Generates the national-scale archive (benchmarks/generate.py) and builds it with our
   plugin in a fresh project (the repo's mkdocs.yml, content/ and theme/): build seconds,
   peak memory of the build process, pages, output bytes, median review page size.
2. Writes the same pages as hand-written Markdown (benchmarks/baseline.py) and builds
   them with plain MkDocs + Material and no plugin, same config and nav policy: the ratio.
3. Builds 250 and 4,000 reviews too: how time, memory and bytes grow.
4. Times the `mkdocs serve` rebuild after editing one record at national scale, the way
   serve does it: the same plugin instance, config reloaded, `build()` called again.

    python benchmarks/bench.py            # everything, about 5-10 minutes on 2 cores
    python benchmarks/bench.py --quick    # 250 and 1,000 reviews, baseline and serve
    python benchmarks/bench.py --profile  # also write a cProfile of the national build

Each build runs in its own process; its peak memory (max RSS, including any process it
starts) comes from os.wait4, so one build's peak never hides another's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import write_baseline_docs  # noqa: E402
from generate import NATIONAL, generate_archive  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "out"
SIZES = (250, 1000, 4000)
BUDGET = {"ratio": 0.5, "growth": 4.4, "memory_mb": 1024, "median_kb": 60, "rebuild_s": 2.0}


@dataclass
class Build:
    label: str
    seconds: float
    peak_mb: float
    pages: int
    bytes: int
    median_review_kb: float
    returncode: int
    log: str


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    out["NO_MKDOCS_2_WARNING"] = "1"
    return out


def run_measured(command: list[str], cwd: Path, log: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (the child and what it starts) and exit status."""
    with log.open("w") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    return seconds, usage.ru_maxrss / 1024, child.returncode


def site_stats(site: Path) -> tuple[int, int, float]:
    """HTML pages written, total output bytes, median review page in kB."""
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    total = sum(p.stat().st_size for p in files)
    reviews = [p.stat().st_size for p in (site / "reviews").glob("*/index.html")]
    return pages, total, (statistics.median(reviews) / 1000 if reviews else 0.0)


def make_project(dest: Path, records: Path) -> Path:
    """The repo's site configuration, pages and theme, with `records` as reviews/."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "theme"):
        shutil.copytree(REPO / folder, dest / folder)
    shutil.copytree(records, dest / "reviews")
    return dest


def mkdocs_build(label: str, project: Path, config: Path, profile: Path | None = None) -> Build:
    site = project / "site"
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += ["-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    seconds, peak, status = run_measured(command, project, project / "build.log")
    pages, size, median = site_stats(site) if site.is_dir() else (0, 0, 0.0)
    return Build(label, seconds, peak, pages, size, median, status, (project / "build.log").read_text())


def build_ours(work: Path, reviews: int, seed: int, profile: bool = False) -> tuple[Build, Path]:
    findings = reviews * NATIONAL["findings"] // NATIONAL["reviews"]
    records = generate_archive(work / f"records-{reviews}", authorities=NATIONAL["authorities"],
                               reviews=reviews, findings=findings, seed=seed).records
    project = make_project(work / f"ours-{reviews}", records)
    prof = work / f"ours-{reviews}.prof" if profile else None
    return mkdocs_build(f"plugin, {reviews} reviews", project, project / "mkdocs.yml", prof), project


def build_baseline(work: Path, ours: Path, plugins: tuple[str, ...] = ()) -> Build:
    """Plain MkDocs + Material over the same pages as Markdown: our config minus our plugin.

    By default with no plugin at all, as the issue puts it (the stricter comparison: our
    build also writes a search index); `plugins=("search",)` is Material's stock setup.
    """
    project = work / ("baseline" + "".join(f"-{p}" for p in plugins))
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    write_baseline_docs(ours / "site", REPO / "content", project / "docs")
    shutil.copytree(REPO / "theme", project / "theme")
    # INHERIT keeps every setting of the real mkdocs.yml (theme, extensions, nav, validation);
    # lists are replaced, so `plugins: []` is MkDocs + Material with no plugin at all.
    (project / "mkdocs.yml").write_text(
        f"INHERIT: {ours / 'mkdocs.yml'}\ndocs_dir: docs\nplugins: {json.dumps(list(plugins))}\n", encoding="utf-8")
    label = "plain MkDocs + Material" + (f" + {', '.join(plugins)}" if plugins else "")
    return mkdocs_build(label, project, project / "mkdocs.yml")


# --- the serve rebuild -------------------------------------------------------------------


def serve_rebuild(project: Path) -> dict[str, float | str]:
    """What `mkdocs serve` does on a change, timed (benchmarks/serve.py): the first build,
    a rebuild with nothing changed, a rebuild after editing one record, and how long until
    the downloads and search index made in the background are in the site too."""
    from serve import ServeSession

    session = ServeSession(project, project / "serve-site")
    try:
        first = session.build()
        unchanged = session.build()
        records = sorted(p for p in (project / "reviews").glob("*.yml")
                         if p.name not in ("authorities.yml", "themes.yml", "programmes.yml"))
        record = records[len(records) // 2]
        text = record.read_text(encoding="utf-8")
        marker = "\n  text: "
        at = text.index(marker) + len(marker)
        record.write_text(text[:at] + "Edited for the benchmark. " + text[at:], encoding="utf-8")
        edited = session.build()
        pages = session.plugin.pages_cache
        rendered, reused = pages.rendered, pages.reused
        settled, rebuilds = session.settle()
        record.write_text(text, encoding="utf-8")
        page = (session.site / "reviews" / record.stem / "index.html").read_text(encoding="utf-8")
        assert "Edited for the benchmark." in page, "the edit did not reach the page"
    finally:
        session.close()
    return {"first": first, "unchanged": unchanged, "edited": edited, "record": record.name,
            "bodies_rendered": rendered, "bodies_reused": reused, "settled": edited + settled,
            "settle_rebuilds": rebuilds}


def measure_serve(project: Path) -> dict[str, float | str]:
    log = project / "serve.log"
    command = [sys.executable, str(Path(__file__).resolve()), "--serve-rebuild", str(project)]
    _, peak, status = run_measured(command, project, log)
    output = log.read_text()
    if status != 0:
        raise SystemExit(f"serve rebuild failed:\n{output}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = peak
    return result


# --- report ------------------------------------------------------------------------------


def fmt(build: Build) -> str:
    return (f"{build.label:<28} {build.seconds:7.1f} s {build.peak_mb:7.0f} MB {build.pages:6d} pages "
            f"{build.bytes / 1e6:8.1f} MB out   median review page {build.median_review_kb:5.1f} kB")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="250 and 1,000 reviews only (no 4,000)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"scratch folder (default {DEFAULT_WORK})")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the national build into WORK/")
    parser.add_argument("--serve-rebuild", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve_rebuild:
        print(json.dumps(serve_rebuild(args.serve_rebuild)))
        return 0

    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = SIZES[:2] if args.quick else SIZES
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; work folder {work}\n")

    builds: dict[int, Build] = {}
    national_project: Path | None = None
    for reviews in (1000, *[s for s in sizes if s != 1000]):
        build, project = build_ours(work, reviews, args.seed, profile=args.profile and reviews == 1000)
        if build.returncode != 0:
            print(build.log)
            raise SystemExit(f"the build of {reviews} reviews failed")
        builds[reviews] = build
        print(fmt(build), flush=True)
        if reviews == 1000:
            national_project = project
    assert national_project is not None
    national = builds[1000]

    base: Build | None = None
    if not args.no_baseline:
        base = build_baseline(work, national_project)
        print(fmt(base), flush=True)
        if base.returncode != 0:
            print(base.log[-3000:])

    serve: dict[str, float | str] | None = None
    if not args.no_serve:
        serve = measure_serve(national_project)
        print(f"{'serve, 1000 reviews':<28} first build {serve['first']:.1f} s, rebuild with no change "
              f"{serve['unchanged']:.2f} s, after editing {serve['record']} {serve['edited']:.2f} s "
              f"(peak {serve['peak_mb']:.0f} MB)", flush=True)

    print("\nGrowth (relative to 1,000 reviews):")
    for reviews, build in sorted(builds.items()):
        print(f"  {reviews:5d} reviews: time x{build.seconds / national.seconds:4.2f}, "
              f"memory x{build.peak_mb / national.peak_mb:4.2f}, bytes x{build.bytes / national.bytes:4.2f}, "
              f"pages x{build.pages / national.pages:4.2f}")

    print("\nBudgets (DESIGN.md §6):")
    if base is not None and base.returncode == 0:
        ratio = national.seconds / base.seconds
        print(f"  build at national scale / plain MkDocs: {national.seconds:.1f} s / {base.seconds:.1f} s "
              f"= {ratio:.2f} (budget <= {BUDGET['ratio']}): {verdict(ratio <= BUDGET['ratio'])}")
    if 4000 in builds:
        big = builds[4000]
        for name, a, b in (("time", big.seconds, national.seconds), ("memory", big.peak_mb, national.peak_mb),
                           ("bytes", big.bytes, national.bytes)):
            print(f"  4,000 / 1,000 reviews, {name}: x{a / b:.2f} (budget <= {BUDGET['growth']}): "
                  f"{verdict(a / b <= BUDGET['growth'])}")
        print(f"  peak memory at 4,000 reviews: {big.peak_mb:.0f} MB (budget <= {BUDGET['memory_mb']} MB): "
              f"{verdict(big.peak_mb <= BUDGET['memory_mb'])}")
    print(f"  median review page: {national.median_review_kb:.1f} kB (budget <= {BUDGET['median_kb']} kB): "
          f"{verdict(national.median_review_kb <= BUDGET['median_kb'])}")
    if serve is not None:
        edited = float(serve["edited"])
        print(f"  serve rebuild after editing one record: {edited:.2f} s (budget <= {BUDGET['rebuild_s']} s): "
              f"{verdict(edited <= BUDGET['rebuild_s'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
