# cmake -DJOT_DOCS_OUTPUT_DIR=<folder> -P cmake/jotDoxyfile.cmake
#
# Writes <folder>/Doxyfile from docs/Doxyfile.in, with jot's version read from
# include/jot/config.hpp by jotVersion.cmake, as project() reads it: the reference's title names
# the same version as the CMake package and jot.pc. tools/build-docs.sh runs doxygen on it.
cmake_minimum_required(VERSION 3.19...3.25)

if(NOT JOT_DOCS_OUTPUT_DIR)
  message(FATAL_ERROR "jotDoxyfile.cmake: set JOT_DOCS_OUTPUT_DIR")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/jotVersion.cmake)
get_filename_component(JOT_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
get_filename_component(JOT_DOCS_OUTPUT_DIR ${JOT_DOCS_OUTPUT_DIR} ABSOLUTE)
configure_file(${JOT_SOURCE_DIR}/docs/Doxyfile.in ${JOT_DOCS_OUTPUT_DIR}/Doxyfile @ONLY)
