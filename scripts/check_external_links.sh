#!/usr/bin/env bash
# Check the external links of the built site (sources' URLs, links in records)
# with lychee, online. Run weekly by .github/workflows/links.yml; report only.
#
#     scripts/check_external_links.sh [SITE_DIR] [REPORT.md]
# Exit status: lychee's (0: all links fine; 2: some links broken).
set -euo pipefail

site="${1:-site}"
report="${2:-lychee-report.md}"
if [[ ! -f "$site/index.html" ]]; then
  echo "check_external_links: $site/index.html not found; build the site first" >&2
  exit 2
fi

# The site's own pages (canonical URLs and the like) are checked offline by
# scripts/check_links.sh; the theme's font hosts answer 404 at their roots; the
# "edit this page" links (one per record) would only hit GitHub's rate limit.
# Many council sites answer 403 to programs and 429 when busy: not broken.
site_url="$(python3 - "$site/sitemap.xml" <<'PY'
import re, sys
try:
    locs = re.findall(r"<loc>\s*(https?://[^<\s]+)\s*</loc>", open(sys.argv[1], encoding="utf-8").read())
except FileNotFoundError:
    locs = []
print(min(locs, key=len) if locs else "")
PY
)"
args=(
  --no-progress
  --scheme https --scheme http
  --exclude '^https://fonts\.(googleapis|gstatic)\.com'
  --exclude '^https://github\.com/[^/]+/[^/]+/edit/'
  --root-dir "$(cd "$site" && pwd -P)"
  --max-concurrency 8
  --max-retries 3
  --retry-wait-time 5
  --timeout 30
  --accept '200..=299,403,429'
  --format markdown
  --output "$report"
)
if [[ -n "$site_url" ]]; then
  args+=(--exclude "^$(python3 -c 'import re, sys; print(re.escape(sys.argv[1]))' "$site_url")")
fi

status=0
lychee "${args[@]}" "$site/**/*.html" || status=$?
cat "$report"
exit "$status"
