"""Screenshots of every page kind at 1280 and 390 CSS px wide, light and dark, for a person
to look at (issue 14): `python scripts/screenshots.py [SITE] [OUT]`.

Serves a built site (default `site/`, from `mkdocs build`) on 127.0.0.1 and writes PNGs to
OUT (default `shots/`, git-ignored): `<kind>-<width>-<scheme>.png`, each the page from its
top to at most MAX_HEIGHT px, so a long page shows its opening screens and not 18,000 px.
`--only WORD` keeps page kinds whose name contains WORD; `--print` also prints a review
(East Sussex: its follow-up visit and response too) to PDF, as "Print this review" does
(`review-print.pdf`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
MAX_HEIGHT = 2400

PAGES = {
    "home": "",
    "authorities": "authorities/",
    "authority": "authorities/thurrock/",
    "reviews": "reviews/",
    "reviews-year": "reviews/2016/",
    "review": "reviews/thurrock-2016/",
    "review-followup": "reviews/east-sussex-2012/",
    "themes": "themes/",
    "theme": "themes/vulnerable-groups/",
    "theme-findings": "themes/governance/findings/",
    "source": "sources/east-sussex-2013-06-18-peer-challenge-update/",
    "context": "context/peterborough-vision-for-education-2013/",
    "explorer": "recommendations/",
    "explorer-results": "recommendations/?q=vulnerable+groups",
    "network": "network/",
    "network-table": "network/table/",
    "data": "data/",
    "record-format": "record-format/",
    "accessibility": "accessibility/",
    "not-found": "no-such-page/",
}
SIZES = {"1280": (1280, 800), "390": (390, 844), "320": (320, 700)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("out", nargs="?", default="shots", type=Path)
    parser.add_argument("--only", default="")
    parser.add_argument("--widths", default="1280,390")
    parser.add_argument("--schemes", default="light,dark")
    parser.add_argument("--print", action="store_true", dest="pdf")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(options.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for width in options.widths.split(","):
                for scheme in options.schemes.split(","):
                    w, h = SIZES[width]
                    context = browser.new_context(viewport={"width": w, "height": h},
                                                  color_scheme=scheme)  # type: ignore[arg-type]
                    page = context.new_page()
                    for kind, path in PAGES.items():
                        if options.only not in kind:
                            continue
                        page.goto(base + path, wait_until="networkidle")
                        page.wait_for_timeout(300)
                        total = page.evaluate("document.documentElement.scrollHeight")
                        # A phone's screens in pieces short enough to be read when shown.
                        piece = MAX_HEIGHT if w > 600 else 1200
                        for number, top in enumerate(range(0, min(total, MAX_HEIGHT), piece), 1):
                            suffix = "" if number == 1 else f"-{number}"
                            target = options.out / f"{kind}-{width}-{scheme}{suffix}.png"
                            clip = {"x": 0, "y": top, "width": w, "height": min(piece, total - top)}
                            page.screenshot(path=str(target), clip=clip, full_page=True)
                            print(target)
                    context.close()
            if options.pdf:
                page = browser.new_page()
                page.goto(base + "reviews/east-sussex-2012/", wait_until="networkidle")
                page.pdf(path=str(options.out / "review-print.pdf"), format="A4")
                print(options.out / "review-print.pdf")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
