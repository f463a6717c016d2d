"""`mkdocs serve`'s rebuilds, driven from Python: for timing them and for checking them.

On a change, serve reloads the config and calls MkDocs' `build()` again with the same
plugin instance (MkDocs keeps plugins that define `on_startup`), into a cleaned site
folder. `ServeSession` does exactly that, minus the HTTP server and the file watcher,
so a test can edit a record, rebuild, and compare the site with a clean build.
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
    def __init__(self, project: Path, site: Path) -> None:
        logging.getLogger("mkdocs").setLevel(logging.ERROR)
        self.project, self.site = project.resolve(), site.resolve()
        MkDocsConfig.plugins.plugin_cache.clear()  # a fresh plugin, as a new `mkdocs serve`
        self.config: MkDocsConfig | None = self._config()
        self.config.plugins.on_startup(command="serve", dirty=False)
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
        build(config, serve_url=SERVE_URL)
        self.builds += 1
        self.cpu = time.thread_time() - cpu
        return time.perf_counter() - start

    def settle(self) -> tuple[float, int]:
        """Let the background work finish and rebuild as serve would when it signals,
        until downloads and search index are current: seconds taken and rebuilds run."""
        start, rebuilds = time.perf_counter(), 0
        while not (self.plugin.files_current and self.plugin.search_current):
            self.plugin.derived.wait()
            self.build()
            rebuilds += 1
        return time.perf_counter() - start, rebuilds

    def close(self) -> None:
        self.plugin.on_shutdown()
        MkDocsConfig.plugins.plugin_cache.clear()
