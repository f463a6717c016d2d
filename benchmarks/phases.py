"""Where a build's time goes, without a profiler: one `mkdocs build` in this process with a
timer around each plugin event, each page body (by page kind), Material's template and
the writing of each page. A profiler slows Python 1.4-2x and unevenly; this does not.

    python -m benchmarks.phases PROJECT        # a project made by benchmarks.bench
    python -m benchmarks.phases PROJECT --site DIR

Prints wall seconds per phase and the CPU seconds of this process (the search indexer and
Pagefind run in processes of their own beside it; their CPU is not counted here).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMES: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)  # this thread's CPU seconds: steadier on a busy machine
COUNTS: dict[str, int] = defaultdict(int)


def timed(name: str | Callable[..., str], function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        label = name(*args, **kwargs) if callable(name) else name
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - start
            CPU[label] += time.thread_time() - cpu
            COUNTS[label] += 1

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--site", type=Path, help="site folder (default: a fresh temporary one)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page
    from mkdocs.utils import templates  # noqa: F401 (loaded before patching)
    from peer_review_archive.adapter.plugin import ArchivePlugin

    for event in ("on_config", "on_files", "on_nav", "on_env", "on_post_build"):
        if hasattr(ArchivePlugin, event):  # the events the plugin defines now
            setattr(ArchivePlugin, event, timed(f"plugin {event}", getattr(ArchivePlugin, event)))
    ArchivePlugin.body = timed(lambda self, planned: f"bodies: {planned.kind}", ArchivePlugin.body)
    Page.render = timed("Markdown (hand-written pages)", Page.render)
    mkdocs_build._build_page = timed("pages: all of _build_page", mkdocs_build._build_page)
    mkdocs_build.utils.write_file = timed("pages: writing files", mkdocs_build.utils.write_file)
    original = mkdocs_build._build_theme_template
    mkdocs_build._build_theme_template = timed("theme templates (404, sitemap)", original)

    site = args.site or Path(tempfile.mkdtemp(prefix="phases-"))
    config = load_config(config_file=str(args.project / "mkdocs.yml"), site_dir=str(site))
    os.chdir(args.project)
    wall, cpu = time.perf_counter(), time.process_time()
    mkdocs_build.build(config)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    def rest(times: dict[str, float], total: float) -> tuple[float, float]:
        bodies = sum(v for k, v in times.items() if k.startswith("bodies"))
        page_total = times["pages: all of _build_page"]
        events = sum(v for k, v in times.items() if k.startswith("plugin"))
        return page_total - bodies - times["pages: writing files"], total - events - page_total

    print(f"build {wall:.1f} s wall, {cpu:.1f} s CPU (this process), load average "
          f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"  {'phase':<34} {'wall':>7} {'CPU':>7}")
    for label, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<34} {seconds:6.2f}s {CPU[label]:6.2f}s  ({COUNTS[label]} calls)")
    (material, outside), (material_cpu, outside_cpu) = rest(TIMES, wall), rest(CPU, cpu)
    print(f"  {'pages: Material template + rest':<34} {material:6.2f}s {material_cpu:6.2f}s  "
          "(_build_page less bodies and writing)")
    print(f"  {'outside these':<34} {outside:6.2f}s {outside_cpu:6.2f}s  (MkDocs: config, files, nav, copying)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
