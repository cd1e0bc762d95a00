# cmake -DSOURCE_DIR=<jot> -DBINARY_DIR=<build tree> -DWORK_DIR=<scratch folder> -P ...
#
# The files generated from include/jot/config.hpp's version name that version: jot.pc (and
# jot-redis.pc, jot-httplib.pc where configured) as configured in the build tree, and the
# Doxyfile cmake/jotDoxyfile.cmake writes for tools/build-docs.sh, whose PROJECT_NUMBER is the
# API reference's title.
cmake_minimum_required(VERSION 3.19...3.25)
include("${SOURCE_DIR}/cmake/jotVersion.cmake")

# Returns in `out` the value of the first line of `file` that starts with `prefix`.
function(jot_read_field file prefix out)
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "${file} does not exist")
  endif()
  file(STRINGS "${file}" lines REGEX "^${prefix}")
  list(LENGTH lines count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "${file}: expected one line starting with '${prefix}', found ${count}")
  endif()
  string(REGEX REPLACE "^${prefix}" "" value "${lines}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

jot_read_field("${BINARY_DIR}/jot.pc" "Version: " pc_version)
if(NOT pc_version STREQUAL JOT_VERSION)
  message(FATAL_ERROR "jot.pc says ${pc_version}, include/jot/config.hpp says ${JOT_VERSION}")
endif()
foreach(part redis httplib)
  set(pc_file "${BINARY_DIR}/jot-${part}.pc")
  if(EXISTS "${pc_file}")
    jot_read_field("${pc_file}" "Version: " part_version)
    jot_read_field("${pc_file}" "Requires: " part_requires)
    if(NOT part_version STREQUAL JOT_VERSION OR NOT part_requires MATCHES "^jot = ${JOT_VERSION},")
      message(FATAL_ERROR "jot-${part}.pc: version ${part_version}, requires '${part_requires}'; "
                          "expected ${JOT_VERSION} and 'jot = ${JOT_VERSION}'")
    endif()
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND "${CMAKE_COMMAND}" "-DJOT_DOCS_OUTPUT_DIR=${WORK_DIR}" -P
                        "${SOURCE_DIR}/cmake/jotDoxyfile.cmake"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake/jotDoxyfile.cmake failed (${rc}):\n${out}")
endif()
jot_read_field("${WORK_DIR}/Doxyfile" "PROJECT_NUMBER *= *" doxygen_version)
jot_read_field("${WORK_DIR}/Doxyfile" "PROJECT_NAME *= *" doxygen_name)
if(NOT doxygen_version STREQUAL JOT_VERSION OR NOT doxygen_name STREQUAL "jot")
  message(FATAL_ERROR "the API reference is titled '${doxygen_name} ${doxygen_version}', "
                      "expected 'jot ${JOT_VERSION}'")
endif()
message(STATUS "jot ${JOT_VERSION}: jot.pc and the API reference's title agree with config.hpp")
