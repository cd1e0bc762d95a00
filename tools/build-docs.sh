#!/usr/bin/env bash
# Builds jot's API reference (HTML) from the public headers with doxygen: include/jot/**/*.hpp
# without the detail/ folders and detail namespaces, titled with the version in
# include/jot/config.hpp. Any doxygen warning fails it, and an undocumented public class,
# function, enum, alias or member is a warning. Installs what a fresh Debian 12 machine lacks.
# Usage, from anywhere: bash tools/build-docs.sh [OUTPUT_DIR]   (default: build/docs)
# Then open OUTPUT_DIR/html/index.html.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/ensure-packages.sh
jot_ensure_packages doxygen cmake python3

out="${1:-build/docs}"
mkdir -p "${out}"
out="$(cd "${out}" && pwd)"
# Stale pages of a removed header must not survive a rebuild.
rm -rf "${out}/html"
cmake "-DJOT_DOCS_OUTPUT_DIR=${out}" -P cmake/jotDoxyfile.cmake
# WARN_AS_ERROR = FAIL_ON_WARNINGS: doxygen reports every warning, then exits non-zero.
if ! doxygen "${out}/Doxyfile"; then
  echo "error: doxygen reported the warnings above; document what they name (see" \
    "tools/doxygen-filter.py for how // comments are read)" >&2
  exit 1
fi
echo "API reference: ${out}/html/index.html"
