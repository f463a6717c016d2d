#!/usr/bin/env bash
# Regenerate requirements/test.lock: exact versions with hashes for every
# distribution of every package, from pyproject.toml's dependencies plus the
# `test` extra. Run it after changing either:
#
#     scripts/lock.sh            # keep current pins where still allowed
#     scripts/lock.sh --upgrade  # move every package to its newest allowed version
#
# The lock is "universal" (resolved for every platform, hashes of every wheel),
# so the same file installs on CI's Debian, GitHub's Ubuntu runners and a
# developer's Mac. CI installs it with `pip install --require-hashes`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

UV_VERSION="${UV_VERSION:-0.13.9}"
if command -v uv >/dev/null 2>&1; then
  uv=(uv)
else
  # Bootstrap a private copy of uv (the resolver only; nothing else uses it).
  if [[ ! -x .venv-lock/bin/uv ]]; then
    python3 -m venv .venv-lock
    .venv-lock/bin/python -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
  fi
  uv=(.venv-lock/bin/uv)
fi

"${uv[@]}" pip compile pyproject.toml \
  --extra test \
  --universal \
  --python-version 3.11 \
  --generate-hashes \
  --index-url https://pypi.org/simple \
  --custom-compile-command "scripts/lock.sh" \
  --output-file requirements/test.lock \
  "$@"

echo "wrote requirements/test.lock; install it with:"
echo "  pip install --require-hashes -r requirements/test.lock && pip install --no-deps -e ."
