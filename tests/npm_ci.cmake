# cmake -DJOT_NPM=<npm> -DPEER_DIR=<dir> -DPACKAGE=<name> -DVERSION=<x.y.z> -P npm_ci.cmake
#
# The setup test (a CTest fixture) of the tests that run a node script: installs what
# PEER_DIR/package-lock.json pins (PACKAGE at VERSION: jose for tests/interop, playwright-core for
# tests/web) into PEER_DIR/node_modules with `npm ci`, beside the script that CMake copied there.
# The build tree, not the source tree, holds node_modules, so nothing downloaded is ever
# committed. Failing here is deliberate: those tests must fail, not skip, on a machine without
# npm or without the registry.

if(NOT JOT_NPM OR JOT_NPM MATCHES "NOTFOUND$")
  message(FATAL_ERROR
    "jot: CMake found no npm when it configured this build, so ${PACKAGE} cannot be installed for "
    "the tests that need it. Install node and npm (Debian 12: apt-get install nodejs npm; with "
    "NodeSource's nodejs, npm is already included) and reconfigure.")
endif()

# A rerun with the pinned version already installed does nothing, so a developer can rerun the
# tests offline.
set(manifest "${PEER_DIR}/node_modules/${PACKAGE}/package.json")
if(EXISTS "${manifest}")
  file(READ "${manifest}" manifest_text)
  string(JSON installed ERROR_VARIABLE ignored GET "${manifest_text}" version)
  if(installed STREQUAL VERSION)
    message(STATUS "${PACKAGE} ${installed} is already installed in ${PEER_DIR}")
    return()
  endif()
endif()

# --ignore-scripts: no install script of any package runs (jose and playwright-core have none;
# keep it that way: the browser test uses Debian's chromium, never a downloaded browser).
# The cache lives in the build tree so that the install does not depend on a writable $HOME.
execute_process(
  COMMAND "${JOT_NPM}" ci --no-audit --no-fund --ignore-scripts --cache "${PEER_DIR}/.npm-cache"
  WORKING_DIRECTORY "${PEER_DIR}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR
    "jot: `npm ci` failed (${status}) in ${PEER_DIR}. The tests need ${PACKAGE} ${VERSION} "
    "from the npm registry; see npm's output above.")
endif()
