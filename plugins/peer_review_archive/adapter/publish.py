"""`mkdocs build` publishes a whole site or none: the site folder is replaced only once complete.

MkDocs empties the site folder first and writes into it as it goes, so a build that fails
late (the search indexer failing, a warning under --strict, a kill) used to leave half a
site where the last good one was, ready to be deployed. So the plugin points MkDocs at a
fresh hidden sibling folder (`.site.pra-staging-…`), and only when the build has written
everything, its search index included, swaps it into place (`StagedSite.publish`): until
then the site folder is exactly the previous build's. A failed build removes its staging
folder; a killed one leaves it, and the next build removes it. Two renames in one folder:
between them, for an instant, there is no site, never part of one.

SIGTERM (CI cancelling a job) is turned into a clean stop: a build error under
`mkdocs build`, a KeyboardInterrupt under `mkdocs serve` (which then shuts down and calls
every plugin's `on_shutdown`), so temporary folders are removed on that path too.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

_STAGING = ".pra-staging-"
_OLD = ".pra-old-"


class StagedSite:
    """The folder a build writes into, beside the site folder it will replace."""

    def __init__(self, site_dir: Path):
        self.site = Path(os.path.abspath(site_dir))
        self.site.parent.mkdir(parents=True, exist_ok=True)
        for leftover in self.site.parent.glob(f".{self.site.name}{_STAGING}*"):  # a killed build's
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.site.name}{_STAGING}", dir=self.site.parent))
        umask = os.umask(0)
        os.umask(umask)
        self.staging.chmod(0o777 & ~umask)  # as a folder MkDocs made would be, not mkdtemp's 0700
        self.published = False

    def publish(self) -> None:
        """Put the finished site in place of the previous one."""
        old = None
        if self.site.is_symlink() or self.site.exists():
            old = self.site.with_name(f".{self.site.name}{_OLD}{os.getpid()}")
            shutil.rmtree(old, ignore_errors=True)
            os.rename(self.site, old)
        os.rename(self.staging, self.site)
        self.published = True
        if old is not None:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink()

    def discard(self) -> None:
        """A build that failed: the site folder stays as it was."""
        if not self.published:
            shutil.rmtree(self.staging, ignore_errors=True)


class WarningCount(logging.Handler):
    """Warnings MkDocs logs: under --strict any one fails the build after on_post_build,
    so a build with one must not publish."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def stop_cleanly_on_sigterm(raise_instead: Callable[[], BaseException]) -> None:
    """Turn SIGTERM into an exception in the main thread, so `finally` blocks and MkDocs'
    shutdown events run (the default action kills the process where it stands)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None):
        return  # someone else's handler: leave it

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM kills, as usual
        raise raise_instead()

    signal.signal(signal.SIGTERM, handler)
