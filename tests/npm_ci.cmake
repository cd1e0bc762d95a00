# cmake -DJOT_NPM=<npm> -DPEER_DIR=<dir> -DPACKAGE=<name> -DVERSION=<x.y.z> -P npm_ci.cmake
#
# The setup test (a CTest fixture) of the tests that run a node script: installs what
# PEER_DIR/package-lock.json pins (PACKAGE at VERSION: jose, beside dpop, for tests/interop;
# playwright-core for tests/web) into PEER_DIR/node_modules with `npm ci`, beside the script that
# CMake copied there.
# The build tree, not the source tree, holds node_modules, so nothing downloaded is ever
# committed. Failing here is deliberate: those tests must fail, not skip, on a machine without
# npm or without the registry.

if(NOT JOT_NPM OR JOT_NPM MATCHES "NOTFOUND$")
  message(FATAL_ERROR
    "jot: CMake found no npm when it configured this build, so ${PACKAGE} cannot be installed for "
    "the tests that need it. Install node and npm (Debian 12: apt-get install nodejs npm; with "
    "NodeSource's nodejs, npm is already included) and reconfigure.")
endif()

# A rerun with every package of package-lock.json already installed at its pinned version does
# nothing, so a developer can rerun the tests offline. Every package, not only PACKAGE: a lock
# that gained one (tests/interop pins dpop beside jose) installs again.
file(READ "${PEER_DIR}/package-lock.json" lock_text)
string(JSON locked_count ERROR_VARIABLE ignored LENGTH "${lock_text}" packages)
set(all_installed TRUE)
if(NOT locked_count)
  set(all_installed FALSE)
else()
  math(EXPR last "${locked_count} - 1")
  foreach(index RANGE ${last})
    string(JSON path MEMBER "${lock_text}" packages ${index})
    if(NOT path MATCHES "^node_modules/")
      continue()
    endif()
    string(JSON pinned GET "${lock_text}" packages "${path}" version)
    set(manifest "${PEER_DIR}/${path}/package.json")
    set(installed "")
    if(EXISTS "${manifest}")
      file(READ "${manifest}" manifest_text)
      string(JSON installed ERROR_VARIABLE ignored GET "${manifest_text}" version)
    endif()
    if(NOT installed STREQUAL pinned)
      set(all_installed FALSE)
    endif()
  endforeach()
endif()
if(all_installed)
  message(STATUS "${PACKAGE} ${VERSION} and the rest of package-lock.json are already installed "
                 "in ${PEER_DIR}")
  return()
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
