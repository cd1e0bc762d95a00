# cmake -DJOT_PKG_MODE=installed|fetchcontent|subdirectory -DJOT_PKG_SOURCE_DIR=... \
#       -DJOT_PKG_WORK_DIR=... [-DJOT_PKG_...=...] -P run_consumer.cmake
#
# Configures, builds and runs tests/package/consumer against jot obtained one way. Everything
# happens in JOT_PKG_WORK_DIR, which is wiped first: a stale cache would hide a broken package.
# Commands run through jot_pkg_run rather than COMMAND_ERROR_IS_FATAL so that a failure shows
# the command's captured output in the CTest log.

foreach(var JOT_PKG_MODE JOT_PKG_SOURCE_DIR JOT_PKG_WORK_DIR JOT_PKG_VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: ${var} is required")
  endif()
endforeach()

set(here ${CMAKE_CURRENT_LIST_DIR})
set(work ${JOT_PKG_WORK_DIR})
string(REPLACE "|" ";" prefix_path "${JOT_PKG_PREFIX_PATH}")

# Runs a command; on failure shows its output and stops the test.
function(jot_pkg_run what)
  string(TIMESTAMP started "%s")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  string(TIMESTAMP finished "%s")
  math(EXPR seconds "${finished} - ${started}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  message(STATUS "${what}: ok (${seconds}s)")
endfunction()

# The toolchain of the jot build that runs this test, so both sides use the same compiler and
# flags. Only non-empty settings are passed: an empty CMAKE_MAKE_PROGRAM would break a configure.
set(toolchain_args)
if(JOT_PKG_GENERATOR)
  list(APPEND toolchain_args -G ${JOT_PKG_GENERATOR})
endif()
foreach(pair CMAKE_MAKE_PROGRAM=JOT_PKG_MAKE_PROGRAM CMAKE_CXX_COMPILER=JOT_PKG_CXX_COMPILER
             CMAKE_CXX_FLAGS=JOT_PKG_CXX_FLAGS CMAKE_EXE_LINKER_FLAGS=JOT_PKG_EXE_LINKER_FLAGS
             CMAKE_BUILD_TYPE=JOT_PKG_CONFIG OPENSSL_ROOT_DIR=JOT_PKG_OPENSSL_ROOT_DIR)
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 cmake_var)
  list(GET pair 1 our_var)
  if(NOT "${${our_var}}" STREQUAL "")
    list(APPEND toolchain_args "-D${cmake_var}=${${our_var}}")
  endif()
endforeach()
set(config_args)
if(JOT_PKG_CONFIG)
  set(config_args --config ${JOT_PKG_CONFIG})
endif()

file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})

set(consumer_args -DJOT_CONSUME=${JOT_PKG_MODE} -DJOT_SOURCE_DIR=${JOT_PKG_SOURCE_DIR})

if(JOT_PKG_MODE STREQUAL "installed")
  # A jot build of its own with only the install rules: this test must not depend on, or race
  # with, whatever else the enclosing build tree contains.
  jot_pkg_run("configure jot for install"
    ${CMAKE_COMMAND} -S ${JOT_PKG_SOURCE_DIR} -B ${work}/jot-build ${toolchain_args}
    "-DCMAKE_PREFIX_PATH=${prefix_path}" -DJOT_BUILD_TESTS=OFF -DJOT_BUILD_EXAMPLES=OFF
    -DJOT_BUILD_TOOLS=OFF -DJOT_INSTALL=ON)
  jot_pkg_run("install jot"
    ${CMAKE_COMMAND} --install ${work}/jot-build ${config_args} --prefix ${work}/staging)

  # Install to one place, consume from another: proves the package has no absolute paths.
  file(RENAME ${work}/staging ${work}/prefix)
  set(prefix ${work}/prefix)
  foreach(file include/jot/jot.hpp share/cmake/jot/jotConfig.cmake
               share/cmake/jot/jotConfigVersion.cmake share/cmake/jot/jotTargets.cmake)
    if(NOT EXISTS ${prefix}/${file})
      message(FATAL_ERROR "the installed tree lacks ${file}")
    endif()
  endforeach()
  file(GLOB_RECURSE not_headers RELATIVE ${prefix}/include ${prefix}/include/*)
  list(FILTER not_headers EXCLUDE REGEX "\\.hpp$")
  if(not_headers)
    message(FATAL_ERROR "non-header files were installed: ${not_headers}")
  endif()

  # The installed package must not point back into the source or build tree.
  file(GLOB config_files ${prefix}/share/cmake/jot/*.cmake)
  foreach(file ${config_files})
    file(READ ${file} text)
    foreach(tree ${JOT_PKG_SOURCE_DIR} ${work}/jot-build ${work}/staging)
      string(FIND "${text}" "${tree}" at)
      if(NOT at EQUAL -1)
        message(FATAL_ERROR "${file} refers to ${tree}")
      endif()
    endforeach()
  endforeach()

  # The version file: jot X.Y.Z must refuse a request for (X+1).0 and accept X.Y.
  jot_pkg_run("check jot's package version"
    ${CMAKE_COMMAND} -S ${here}/version_check -B ${work}/version-check ${toolchain_args}
    "-DJOT_EXPECTED_VERSION=${JOT_PKG_VERSION}"
    "-DCMAKE_PREFIX_PATH=${prefix};${prefix_path}")

  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix};${prefix_path}")
elseif(JOT_PKG_MODE STREQUAL "fetchcontent" OR JOT_PKG_MODE STREQUAL "subdirectory")
  # Offline by construction: the consumer points FetchContent at this checkout (SOURCE_DIR).
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix_path}")
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown JOT_PKG_MODE '${JOT_PKG_MODE}'")
endif()

jot_pkg_run("configure the consumer (${JOT_PKG_MODE})"
  ${CMAKE_COMMAND} -S ${here}/consumer -B ${work}/consumer-build ${toolchain_args}
  ${consumer_args})
jot_pkg_run("build the consumer"
  ${CMAKE_COMMAND} --build ${work}/consumer-build ${config_args})
# The consumer registers itself with CTest, which knows where each generator put the program.
set(ctest_config)
if(JOT_PKG_CONFIG)
  set(ctest_config -C ${JOT_PKG_CONFIG})
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} ${ctest_config} --output-on-failure
                WORKING_DIRECTORY ${work}/consumer-build RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer did not verify its token (${rc}):\n${out}")
endif()
message(STATUS "run the consumer: ok")
