"""`pra serve`'s rebuilds, driven from Python: for timing them and for checking them.

On a change, `pra serve` (`mkdocs serve --dirty`) reloads the config and calls MkDocs'
`build(config, dirty=True)` again with the same plugin instance (MkDocs keeps plugins
that define `on_startup`), into the same site folder. `ServeSession` does exactly that,
minus the HTTP server and the file watcher, so a test can edit a record, rebuild, and
compare the site with a clean build.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

SERVE_URL = "http://127.0.0.1:8000/"


class ServeSession:
    def __init__(self, project: Path, site: Path, dirty: bool = True) -> None:
        """`dirty=False`: plain `mkdocs serve`, a clean build on every change."""
        logging.getLogger("mkdocs").setLevel(logging.ERROR)
        self.project, self.site = project.resolve(), site.resolve()
        MkDocsConfig.plugins.plugin_cache.clear()  # a fresh plugin, as a new `mkdocs serve`
        self.config: MkDocsConfig | None = self._config()
        self.config.plugins.on_startup(command="serve", dirty=dirty)
        self.dirty = dirty
        self.plugin: Any = self.config.plugins["peer-review-archive"]
        self.builds = 0
        self.cpu = 0.0  # CPU seconds of the last build, this thread only (steadier than wall time)

    def _config(self) -> MkDocsConfig:  # as mkdocs.commands.serve.serve's get_config
        config = load_config(config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def build(self) -> float:
        """One serve rebuild; its seconds."""
        config, self.config = self.config or self._config(), None
        start, cpu = time.perf_counter(), time.thread_time()
        build(config, serve_url=SERVE_URL, dirty=self.dirty)
        self.builds += 1
        self.cpu = time.thread_time() - cpu
        return time.perf_counter() - start

    def settle(self) -> tuple[float, int]:
        """Let the background search index finish and link itself into the site: seconds
        taken, and rebuilds run (none: nothing rebuilds for the index)."""
        start = time.perf_counter()
        if self.plugin.index is None:  # plain serve: every build indexes the site itself
            return 0.0, 0
        self.plugin.index.wait()
        if self.plugin.index.errors:
            raise RuntimeError(self.plugin.index.errors[-1])
        return time.perf_counter() - start, 0

    def close(self) -> None:
        self.plugin.on_shutdown()
        MkDocsConfig.plugins.plugin_cache.clear()
