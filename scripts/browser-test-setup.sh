#!/usr/bin/env bash
# Installs playwright-core (the npm package only: it drives Debian's
# /usr/bin/chromium, no browser download) into tests/browser/node_modules
# when it is missing. Idempotent.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../tests/browser" && pwd)"
if [[ -f "$dir/node_modules/playwright-core/package.json" ]]; then
  exit 0
fi
cd "$dir"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
