# shellcheck shell=bash
# Sourced by tools/run-demo.sh, tools/run-tests.sh and .ci/run; not run on its own.
#
# jot_ensure_packages <debian-package>...
#   Installs whichever of the given Debian packages are missing, with apt-get, as root or via
#   sudo. When all are present it returns at once without touching apt, so the scripts rerun
#   fast and work offline. On a system without dpkg it only warns: the packages have other
#   names there and the build will say what is missing.

jot_ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "note: not a Debian system; make sure the equivalents of these are installed: $*" >&2
    return 0
  fi

  local missing=() package
  for package in "$@"; do
    # "ii " = wanted and installed; anything else (absent, removed, half-configured) gets fixed.
    if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" != "ii "* ]]; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  local as_root=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "error: missing packages (${missing[*]}); run this script as root or install sudo" >&2
      return 1
    fi
    as_root=(sudo)
  fi

  echo "Installing missing packages: ${missing[*]}"
  # `env` rather than a VAR=value prefix: sudo drops the caller's environment by default.
  # noninteractive: CI has no stdin, and no package here needs a question answered.
  # The package lists are fetched once per run, even when scripts call each other.
  if [[ "${JOT_APT_UPDATED:-}" != 1 ]]; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    export JOT_APT_UPDATED=1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}
