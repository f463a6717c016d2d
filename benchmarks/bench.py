"""The build budgets of DESIGN.md §6, measured in one run on this machine. Prints; asserts nothing.

1. Makes two national-scale archives (1,000 reviews, 150 authorities): `generated`
   (benchmarks/generate.py) and `clones` of the real records (benchmarks/clones.py), and
   builds each with our plugin in a fresh project (the repo's mkdocs.yml, content/ and
   theme/): build seconds, peak memory of the build and every process it starts, pages,
   output bytes, median review page, largest page.
2. Writes each site's pages back as hand-written Markdown (benchmarks/baseline.py) and
   builds them with plain MkDocs + Material and its own search plugin, same config and nav
   policy: the ratio, for each archive.
3. Builds 250 and 4,000 generated reviews too: how time, memory and bytes grow.
4. Times the `mkdocs serve` rebuild after editing one record at national scale, the way
   serve does it: the same plugin instance, config reloaded, `build()` called again.
5. Times what the cross-authority matching (graph/similarity.py) adds to building the
   graph of the national archive: `build_graph` with and without it, best of three.

    python -m benchmarks.bench            # everything, about 15-20 minutes on 2 cores
    python -m benchmarks.bench --quick    # 250 and 1,000 reviews, one round
    python -m benchmarks.bench --no-growth --no-serve   # the two ratios only
    python -m benchmarks.bench --profile  # also write a cProfile of each national build
    python -m benchmarks.bench --matching # only the matching's time: about a minute

Each build runs in its own process, so one build's peak never hides another's. Its peak
memory is the largest sum, sampled every 50 ms, of the resident memory of the build and
every process it started (the search indexer, Pagefind) where /proc allows, and never less
than os.wait4's max RSS, which counts one process at a time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .baseline import same_text, write_baseline_docs
from .clones import clone_archive
from .generate import NATIONAL, generate_archive

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "out"
ARCHIVES = ("generated", "clones")
BUDGET = {"ratio": 0.4, "growth": 4.2, "memory_mb": 800, "site_mb": 300, "page_kb": 500,
          "rebuild_s": 1.0, "serve_mb": 1024, "matching_s": 2.0}


@dataclass
class Build:
    label: str
    seconds: float
    cpu: float  # user + system seconds of the build and the processes it started
    peak_mb: float
    pages: int
    bytes: int
    median_review_kb: float
    largest: str  # the largest HTML page, site-relative
    largest_kb: float
    returncode: int
    log: str


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    out["NO_MKDOCS_2_WARNING"] = "1"
    # `python -m benchmarks.bench --serve-rebuild` runs from the project folder: find the package
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), out.get("PYTHONPATH")]))
    return out


def run_measured(command: list[str], cwd: Path, log: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak memory in MB (the child and what it starts), exit status."""
    with log.open("w") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env(), stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    return seconds, usage.ru_utime + usage.ru_stime, max(sampler.peak_mb, usage.ru_maxrss / 1024), child.returncode


class TreeMemory:
    """The peak of the summed resident memory of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb = pid, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            self.peak_mb = max(self.peak_mb, sum(_rss_kb(pid) for pid in _tree(self.pid)) / 1024)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class SiteStats:
    pages: int  # HTML files
    bytes: int  # every file's bytes (as published: not disk blocks)
    median_review_kb: float
    largest: str
    largest_kb: float


def site_stats(site: Path) -> SiteStats:
    if not site.is_dir():
        return SiteStats(0, 0, 0.0, "", 0.0)
    sizes = {p: p.stat().st_size for p in site.rglob("*") if p.is_file()}
    pages = {p: n for p, n in sizes.items() if p.suffix == ".html"}
    reviews = [n for p, n in pages.items() if p.parent.parent == site / "reviews" and p.name == "index.html"]
    largest = max(pages, key=pages.__getitem__) if pages else site
    return SiteStats(len(pages), sum(sizes.values()), statistics.median(reviews) / 1000 if reviews else 0.0,
                     largest.relative_to(site).as_posix() if pages else "", pages.get(largest, 0) / 1000)


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
    seconds, cpu, peak, status = run_measured(command, project, project / "build.log")
    stats = site_stats(site)
    return Build(label, seconds, cpu, peak, stats.pages, stats.bytes, stats.median_review_kb, stats.largest,
                 stats.largest_kb, status, (project / "build.log").read_text())


def generate(work: Path, reviews: int, seed: int) -> Path:
    findings = reviews * NATIONAL["findings"] // NATIONAL["reviews"]
    return generate_archive(work / f"records-{reviews}", authorities=NATIONAL["authorities"],
                            reviews=reviews, findings=findings, seed=seed).records


def make_records(work: Path, archive: str, reviews: int, seed: int) -> Path:
    """The records of one of the two archives: `generated` words, or `clones` of the real records."""
    if archive == "generated":
        return generate(work, reviews, seed)
    return clone_archive(work / f"clones-{reviews}", authorities=NATIONAL["authorities"], reviews=reviews,
                         seed=seed).records


def build_ours(work: Path, archive: str, reviews: int, records: Path, profile: bool = False) -> tuple[Build, Path]:
    project = make_project(work / f"ours-{archive}-{reviews}", records)
    prof = work / f"ours-{archive}-{reviews}.prof" if profile else None
    return mkdocs_build(f"plugin, {archive} {reviews}", project, project / "mkdocs.yml", prof), project


def build_baseline(work: Path, archive: str, ours: Path) -> Build:
    """Plain MkDocs + Material over the same pages as Markdown: our config with Material's
    own search plugin in place of ours (the same work a plain site with search does)."""
    project = work / f"baseline-{archive}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    write_baseline_docs(ours / "site", REPO / "content", project / "docs")
    shutil.copytree(REPO / "theme", project / "theme")
    # INHERIT keeps every setting of the real mkdocs.yml (theme, extensions, nav, validation);
    # lists are replaced, so `plugins: [search]` is MkDocs + Material with its search only.
    (project / "mkdocs.yml").write_text(
        f"INHERIT: {ours / 'mkdocs.yml'}\ndocs_dir: docs\nplugins: [search]\n", encoding="utf-8")
    return mkdocs_build(f"plain MkDocs, {archive}", project, project / "mkdocs.yml")


# --- the serve rebuild -------------------------------------------------------------------


def _rss_mb() -> float:
    """This process's resident memory now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve_rebuild(project: Path, site_parent: Path, edits: int = 20) -> dict[str, object]:
    """What `pra serve` does on a change, timed (benchmarks/serve.py): the first build, a
    rebuild with nothing changed, then `edits` successive one-finding edits of different
    records, each rebuilt and left until the background search index is in the site, with
    the serve process's memory after each. The site folder is made in `site_parent`, as
    serve makes its own with tempfile.mkdtemp()."""

    from .serve import ServeSession

    site = Path(tempfile.mkdtemp(prefix="mkdocs_", dir=site_parent))
    session = ServeSession(project, site)
    records = sorted(p for p in (project / "reviews").glob("*.yml")
                     if p.name not in ("authorities.yml", "themes.yml", "programmes.yml"))
    result: dict[str, object] = {"site": str(site_parent), "edited": [], "edited_cpu": [], "rendered": [],
                                 "settled": [], "rss_mb": []}
    originals: dict[Path, str] = {}
    inside: list[float] = []  # full collections Python started itself, in a rebuild (serve's own run on a timer thread)
    started: list[float] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2 and threading.current_thread() is threading.main_thread():
            if phase == "start":
                started.append(time.thread_time())
            elif started:
                inside.append(time.thread_time() - started.pop())

    try:
        result["first"] = session.build()
        session.settle()
        result["unchanged"], result["unchanged_cpu"] = session.build(), session.cpu
        gc.callbacks.append(count)
        for number in range(edits):
            record = records[(number + 1) * len(records) // (edits + 1)]
            text = originals.setdefault(record, record.read_text(encoding="utf-8"))
            marker = "\n  text: "
            at = text.index(marker) + len(marker)
            record.write_text(text[:at] + "Edited for the benchmark. " + text[at:], encoding="utf-8")
            seconds = session.build()
            result["edited"].append(seconds)  # type: ignore[union-attr]
            result["edited_cpu"].append(session.cpu)  # type: ignore[union-attr]
            result["rendered"].append(session.plugin.tracker.last[0])  # type: ignore[union-attr]
            page = (site / "reviews" / record.stem / "index.html").read_text(encoding="utf-8")
            assert "Edited for the benchmark." in page, "the edit did not reach the page"
            settled, _ = session.settle()
            result["settled"].append(seconds + settled)  # type: ignore[union-attr]
            result["rss_mb"].append(round(_rss_mb(), 1))  # type: ignore[union-attr]
        collector = session.plugin.collector
        result["idle_collections"], result["idle_collection_cpu"] = collector.runs, collector.seconds
        result["collections_inside"] = [round(x, 3) for x in inside]
    finally:
        if count in gc.callbacks:
            gc.callbacks.remove(count)
        for record, text in originals.items():
            record.write_text(text, encoding="utf-8")
        session.close()
        shutil.rmtree(site, ignore_errors=True)
    return result


def measure_serve(project: Path, site_parent: Path) -> dict[str, object]:
    log = project / "serve.log"
    command = [sys.executable, "-m", "benchmarks.bench", "--serve-rebuild", str(project),
               "--serve-site-parent", str(site_parent)]
    _, _, peak, status = run_measured(command, project, log)
    output = log.read_text()
    if status != 0:
        raise SystemExit(f"serve rebuild failed:\n{output[-3000:]}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = peak
    return result


# --- report ------------------------------------------------------------------------------


def measure_matching(records: Path, rounds: int = 3) -> dict[str, float]:
    """Seconds (wall and CPU) `build_graph` takes with and without the matching, best of `rounds`."""
    from peer_review_archive.graph.indexes import build_graph
    from peer_review_archive.records.assembly import load_archive

    archive = load_archive(records)
    best_of: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for matching in (False, True):
            wall, cpu = time.perf_counter(), time.process_time()
            graph = build_graph(archive, matching=matching)
            took = (time.perf_counter() - wall, time.process_time() - cpu)
            key = "with" if matching else "without"
            best_of[key] = min(best_of.get(key, took), took)
    return {"findings": graph.counts.findings, "asking": len(graph.trails),
            "without": best_of["without"][0], "with": best_of["with"][0],
            "without_cpu": best_of["without"][1], "with_cpu": best_of["with"][1]}


def fmt_matching(found: dict[str, float], name: str = "generated") -> str:
    added, added_cpu = found["with"] - found["without"], found["with_cpu"] - found["without_cpu"]
    return (f"  matching findings across authorities, {name} ({found['asking']:.0f} that ask for change, of "
            f"{found['findings']:.0f}): build_graph {found['without']:.2f} s without, {found['with']:.2f} s with: "
            f"adds {added:.2f} s ({added_cpu:.2f} s CPU) (budget <= {BUDGET['matching_s']} s): "
            f"{verdict(added <= BUDGET['matching_s'])}")


def fmt(build: Build) -> str:
    return (f"{build.label:<28} {build.seconds:6.1f} s ({build.cpu:6.1f} s CPU) {build.peak_mb:5.0f} MB peak "
            f"{build.pages:5d} pages {build.bytes / 1e6:6.1f} MB out, median review page "
            f"{build.median_review_kb:5.1f} kB, largest {build.largest_kb:6.0f} kB ({build.largest})")


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def best(builds: list[Build]) -> Build:
    """Of repeated builds, the fastest: noise from other work on the machine only adds time."""
    return min(builds, key=lambda b: b.seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="250 and 1,000 reviews only (no 4,000), one round")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"scratch folder (default {DEFAULT_WORK})")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--rounds", type=int, default=2, help="national builds and baselines, alternately (best kept)")
    parser.add_argument("--archives", nargs="+", choices=ARCHIVES, default=list(ARCHIVES),
                        help="the national archives to compare with the baseline (default: both)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-growth", action="store_true", help="national scale only: no 250 or 4,000 reviews")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the national builds into WORK/")
    parser.add_argument("--matching", action="store_true", help="only time the cross-authority matching")
    parser.add_argument("--serve-rebuild", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-site-parent", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve_rebuild:
        print(json.dumps(serve_rebuild(args.serve_rebuild, args.serve_site_parent)))
        return 0

    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = () if args.no_growth else (250,) if args.quick else (250, 4000)
    rounds = 1 if args.quick else max(1, args.rounds)
    started = time.perf_counter()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load()}; work folder {work}\n")

    if args.matching:
        print(fmt_matching(measure_matching(make_records(work, "generated", 1000, args.seed))))
        return 0
    national_records = {name: make_records(work, name, 1000, args.seed) for name in args.archives}
    runs: dict[str, list[Build]] = {name: [] for name in args.archives}
    baseline_runs: dict[str, list[Build]] = {name: [] for name in args.archives}
    projects: dict[str, Path] = {}
    matching = {name: measure_matching(records) for name, records in national_records.items()}
    for round_ in range(rounds):
        for name, records in national_records.items():
            build, projects[name] = build_ours(work, name, 1000, records, profile=args.profile and round_ == 0)
            if build.returncode != 0:
                print(build.log[-3000:])
                raise SystemExit(f"the national build ({name}) failed")
            runs[name].append(build)
            print(fmt(build), flush=True)
            if not args.no_baseline:
                base = build_baseline(work, name, projects[name])
                if base.returncode != 0:
                    print(base.log[-3000:])
                    raise SystemExit(f"the baseline build ({name}) failed")
                baseline_runs[name].append(base)
                print(fmt(base), flush=True)
    national = {name: best(builds) for name, builds in runs.items()}
    baselines = {name: best(builds) for name, builds in baseline_runs.items() if builds}
    for name in baselines:
        checked, same, different = same_text(projects[name] / "site", work / f"baseline-{name}" / "site")
        print(f"{name}: same article text in both sites: {same} of {checked} pages sampled"
              + (f" (different: {', '.join(different[:5])})" if different else ""))

    # Growth on every archive: cloned records repeat each other's words, which the matching
    # must not pay for (it once did: 8 GB at 4,000 cloned reviews, tests/test_trails.py).
    growths: dict[str, dict[int, Build]] = {}
    for name in national:
        growth = growths[name] = {1000: national[name]}
        for reviews in sizes:
            build, _ = build_ours(work, name, reviews, make_records(work, name, reviews, args.seed))
            if build.returncode != 0:
                print(build.log[-3000:])
                raise SystemExit(f"the {reviews}-review build ({name}) failed")
            growth[reviews] = build
            print(fmt(build), flush=True)
    growth_name = "generated" if "generated" in national else next(iter(national))

    serves: list[dict[str, object]] = []
    if not args.no_serve:
        project = projects[growth_name]
        parents = [Path(tempfile.gettempdir())] + ([Path("/dev/shm")] if Path("/dev/shm").is_dir() else [])
        for parent in parents:
            serve = measure_serve(project, parent)
            serves.append(serve)
            edited = [float(x) for x in serve["edited"]]  # type: ignore[union-attr]
            cpu = [float(x) for x in serve["edited_cpu"]]  # type: ignore[union-attr]
            settled = [float(x) for x in serve["settled"]]  # type: ignore[union-attr]
            rss = [float(x) for x in serve["rss_mb"]]  # type: ignore[union-attr]
            inside = [float(x) for x in serve["collections_inside"]]  # type: ignore[union-attr]
            print(f"serve, 1000 reviews, site in {parent}: first build {serve['first']:.1f} s; rebuild with no "
                  f"change {serve['unchanged']:.2f} s ({serve['unchanged_cpu']:.2f} s CPU); after each of "
                  f"{len(edited)} one-finding edits {', '.join(f'{x:.2f}' for x in edited)} s "
                  f"({', '.join(f'{x:.2f}' for x in cpu)} s CPU; files written {serve['rendered']}); search "
                  f"current after {', '.join(f'{x:.1f}' for x in settled)} s; serve process memory after each "
                  f"edit {', '.join(f'{x:.0f}' for x in rss)} MB; peak of all its processes "
                  f"{serve['peak_mb']:.0f} MB; between rebuilds, {serve['idle_collections']} full garbage "
                  f"collections took {serve['idle_collection_cpu']:.2f} s CPU in all; inside rebuilds, "
                  f"{len(inside)} ({', '.join(f'{x:.2f}' for x in inside) or 'none'} s CPU)", flush=True)

    for name, growth in growths.items():
        print(f"\nGrowth, {name} archive (relative to 1,000 reviews; wall time, best of {rounds} at 1,000):")
        base_build = growth[1000]
        for reviews, build in sorted(growth.items()):
            print(f"  {reviews:5d} reviews: time x{build.seconds / base_build.seconds:4.2f} "
                  f"(CPU x{build.cpu / base_build.cpu:4.2f}), memory x{build.peak_mb / base_build.peak_mb:4.2f}, "
                  f"bytes x{build.bytes / base_build.bytes:4.2f}, pages x{build.pages / base_build.pages:4.2f}")

    print("\nBudgets (DESIGN.md §6):")
    for name, base in baselines.items():
        ours = national[name]
        ratio, cpu_ratio = ours.seconds / base.seconds, ours.cpu / base.cpu
        print(f"  national build / plain MkDocs + Material, {name}: {ours.seconds:.1f} s / {base.seconds:.1f} s "
              f"= {ratio:.2f} (CPU {cpu_ratio:.2f}) (budget <= {BUDGET['ratio']}): {verdict(ratio <= BUDGET['ratio'])}")
    for name, growth in growths.items():
        if 4000 not in growth:
            continue
        big, base_build = growth[4000], growth[1000]
        for label, a, b in (("time", big.seconds, base_build.seconds), ("bytes", big.bytes, base_build.bytes)):
            print(f"  4,000 / 1,000 reviews, {name}, {label}: x{a / b:.2f} (budget <= {BUDGET['growth']}): "
                  f"{verdict(a / b <= BUDGET['growth'])}")
        print(f"  peak memory at 4,000 reviews, {name}: {big.peak_mb:.0f} MB, all processes "
              f"(budget <= {BUDGET['memory_mb']} MB): {verdict(big.peak_mb <= BUDGET['memory_mb'])}")
        print(f"  site at 4,000 reviews, {name}: {big.bytes / 1e6:.0f} MB (budget <= {BUDGET['site_mb']} MB): "
              f"{verdict(big.bytes / 1e6 <= BUDGET['site_mb'])}")
    largest = max((b for growth in growths.values() for b in growth.values()), key=lambda b: b.largest_kb)
    print(f"  largest HTML page: {largest.largest_kb:.0f} kB, {largest.largest} ({largest.label}) "
          f"(budget <= {BUDGET['page_kb']} kB at 4,000 reviews): {verdict(largest.largest_kb <= BUDGET['page_kb'])}")
    for name, build in national.items():
        print(f"  median review page, {name}: {build.median_review_kb:.1f} kB (a figure, not a DESIGN.md budget)")
    for name, found in matching.items():
        print(fmt_matching(found, name))
    for serve in serves:
        edited = [float(x) for x in serve["edited"]]  # type: ignore[union-attr]
        rss = [float(x) for x in serve["rss_mb"]]  # type: ignore[union-attr]
        print(f"  serve, every rebuild after a one-finding edit, site in {serve['site']}: max {max(edited):.2f} s, "
              f"median {statistics.median(edited):.2f} s (budget <= {BUDGET['rebuild_s']} s): "
              f"{verdict(max(edited) <= BUDGET['rebuild_s'])}")
        print(f"  serve, peak memory of all processes over {len(edited)} edits: {serve['peak_mb']:.0f} MB "
              f"(budget <= {BUDGET['serve_mb']} MB): {verdict(float(serve['peak_mb']) <= BUDGET['serve_mb'])}; "
              f"after the last edit / after the first: x{rss[-1] / rss[0]:.2f} (budget <= 1.10): "
              f"{verdict(rss[-1] / rss[0] <= 1.10)}")
    print(f"\nTotal {time.perf_counter() - started:.0f} s; load average at the end {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
