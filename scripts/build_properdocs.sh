#!/usr/bin/env bash
# Build the site with ProperDocs (PyPI `properdocs`, a continuation of MkDocs 1.x)
# instead of MkDocs, and check its links offline: shows whether the project could
# move to it. ProperDocs reads mkdocs.yml, loads plugins registered under the
# `mkdocs.plugins` entry point, and aliases `import mkdocs...` to its own modules.
#
#     scripts/build_properdocs.sh [SITE_DIR]   (default: a temporary folder)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ $# -ge 1 ]]; then
  out="$1"
else
  out="$(mktemp -d)/site"
fi

properdocs --version
properdocs build --strict --config-file mkdocs.yml --site-dir "$out"
bash scripts/check_links.sh "$out"
echo "ProperDocs build OK: $out"
