#!/usr/bin/env bash
# Regenerates docs/images/demo.png, the README's picture of the web demo (examples/web_app), on
# Debian 12: builds the demo in the dev preset and runs its browser test
# (tests/web/browser/browser_test.mjs), which walks every button of the page in headless chromium
# and saves a screenshot of each state in the build tree; the one taken after a refresh becomes
# the README's. The picture therefore always shows the page as the test last saw it pass.
# Installs what a fresh machine lacks first.
# Usage, from anywhere: bash tools/demo-screenshot.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh

# The web demo's packages (as tools/run-demo.sh), what configuring the dev preset needs (Catch2,
# python3), and the browser test's: Debian's chromium, and node with npm for the pinned
# playwright-core (any node already on PATH will do, as in tools/test-packages.sh).
packages=(g++ cmake ninja-build libssl-dev nlohmann-json3-dev pkg-config libcpp-httplib-dev
  catch2 python3 chromium)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
jot_ensure_packages "${packages[@]}"

cmake --preset dev
cmake --build --preset dev -j "$(nproc)" --target web_app
# jot_browser_setup installs playwright-core with `npm ci`; jot_browser_test takes the pictures.
ctest --preset dev -R '^jot_browser_(setup|test)$' --output-on-failure
mkdir -p docs/images
cp build/dev/tests/web/screenshots/refreshed.png docs/images/demo.png
echo "docs/images/demo.png updated from build/dev/tests/web/screenshots/refreshed.png"
