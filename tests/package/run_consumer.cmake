# cmake -DJOT_PKG_MODE=installed|fetchcontent|subdirectory|pkgconfig -DJOT_PKG_SOURCE_DIR=... \
#       -DJOT_PKG_WORK_DIR=... [-DJOT_PKG_...=...] -P run_consumer.cmake
#
# Configures, builds and runs tests/package/consumer against jot obtained one way, with the
# README's own CMake snippet for that way, run as written; in mode pkgconfig, installs jot and
# builds the same consumer/main.cpp with the plain Makefile of tests/package/makefile_consumer,
# make and pkg-config (JOT_PKG_PKG_CONFIG, JOT_PKG_MAKE) instead. Everything happens in
# JOT_PKG_WORK_DIR, which is wiped first: a stale cache would hide a broken package.
#
# The README's ```cmake blocks, each of which one mode runs (every mode checks that none is left
# over): find_package (installed, together with the separately compiled mode's block), FetchContent
# (fetchcontent), add_subdirectory (subdirectory). Only the repository URL is replaced: the
# FetchContent snippet clones a scratch mirror of this checkout whose branch named by GIT_TAG is
# the commit checked out here. The add_subdirectory snippet runs unchanged, with its folder a link
# to this source tree.
# Commands run through jot_pkg_run rather than COMMAND_ERROR_IS_FATAL so that a failure shows
# the command's captured output in the CTest log.

cmake_minimum_required(VERSION 3.19...3.25)  # policies for -P mode (while(TRUE))

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

# The README's ```cmake blocks, by what they do.
file(READ ${JOT_PKG_SOURCE_DIR}/README.md readme)
set(rest "${readme}")
foreach(way installed fetchcontent subdirectory separate)
  set(readme_${way} "")
endforeach()
while(TRUE)
  string(FIND "${rest}" "\n```cmake\n" open)
  if(open EQUAL -1)
    break()
  endif()
  math(EXPR open "${open} + 10")
  string(SUBSTRING "${rest}" ${open} -1 rest)
  string(FIND "${rest}" "\n```" close)
  if(close EQUAL -1)
    message(FATAL_ERROR "README.md: a ```cmake block is never closed")
  endif()
  math(EXPR close "${close} + 1")
  string(SUBSTRING "${rest}" 0 ${close} block)
  string(SUBSTRING "${rest}" ${close} -1 rest)
  set(ways)
  if(block MATCHES "find_package\\(jot[ )]")
    list(APPEND ways installed)
  endif()
  if(block MATCHES "FetchContent_Declare\\(jot[ \n]")
    list(APPEND ways fetchcontent)
  endif()
  if(block MATCHES "add_subdirectory\\(")
    list(APPEND ways subdirectory)
  endif()
  if(block MATCHES "JOT_SEPARATE_COMPILATION")
    list(APPEND ways separate)
  endif()
  list(LENGTH ways count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "README.md has a ```cmake block that no package test runs (or that "
                        "mixes ways in: ${ways}); show one way per block:\n${block}")
  endif()
  if(NOT readme_${ways} STREQUAL "")
    message(FATAL_ERROR "README.md shows two ```cmake blocks for '${ways}'; the package tests "
                        "run one:\n${readme_${ways}}\n${block}")
  endif()
  set(readme_${ways} "${block}")
endwhile()
foreach(way installed fetchcontent subdirectory separate)
  if(readme_${way} STREQUAL "")
    message(FATAL_ERROR "README.md shows no ```cmake block for '${way}'")
  endif()
endforeach()

# The consumer project, copied so that add_subdirectory's folder can be made inside it.
file(COPY ${here}/consumer/ DESTINATION ${work}/consumer)
set(snippets ${work}/consumer/readme_snippets.cmake)
set(consumer_args -DJOT_README_SNIPPETS=${snippets})

if(JOT_PKG_MODE STREQUAL "installed" OR JOT_PKG_MODE STREQUAL "pkgconfig")
  # jot::redis, jot::beast and jot::grpc as in the build under test (jot::httplib has no
  # switch: found the same way).
  set(optional_parts)
  foreach(part REDIS BEAST GRPC)
    if(NOT "${JOT_PKG_${part}}" STREQUAL "")
      list(APPEND optional_parts -DJOT_BUILD_${part}=${JOT_PKG_${part}})
    endif()
  endforeach()
  # A jot build of its own with only the install rules: this test must not depend on, or race
  # with, whatever else the enclosing build tree contains.
  jot_pkg_run("configure jot for install"
    ${CMAKE_COMMAND} -S ${JOT_PKG_SOURCE_DIR} -B ${work}/jot-build ${toolchain_args}
    "-DCMAKE_PREFIX_PATH=${prefix_path}" -DJOT_BUILD_TESTS=OFF -DJOT_BUILD_EXAMPLES=OFF
    -DJOT_BUILD_TOOLS=OFF -DJOT_INSTALL=ON ${optional_parts})
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
  file(GLOB config_files ${prefix}/share/cmake/jot/*.cmake ${prefix}/share/pkgconfig/*.pc)
  foreach(file ${config_files})
    file(READ ${file} text)
    foreach(tree ${JOT_PKG_SOURCE_DIR} ${work}/jot-build ${work}/staging)
      string(FIND "${text}" "${tree}" at)
      if(NOT at EQUAL -1)
        message(FATAL_ERROR "${file} refers to ${tree}")
      endif()
    endforeach()
  endforeach()

  if(JOT_PKG_MODE STREQUAL "pkgconfig")
    # Exactly the pkg-config files for the parts this jot has: jot-redis.pc only with
    # jot::redis, jot-httplib.pc only with jot::httplib, jot-beast.pc only with jot::beast,
    # jot-grpc.pc only with jot::grpc.
    set(pc_dir ${prefix}/share/pkgconfig)
    foreach(part redis httplib beast grpc)
      string(TOUPPER "${part}" part_var)
      set(has_part "${JOT_PKG_${part_var}}")
      if(has_part AND NOT EXISTS ${pc_dir}/jot-${part}.pc)
        message(FATAL_ERROR "jot::${part} exists but jot-${part}.pc was not installed")
      elseif(NOT has_part AND EXISTS ${pc_dir}/jot-${part}.pc)
        message(FATAL_ERROR "jot-${part}.pc was installed without jot::${part}")
      endif()
    endforeach()

    # pkg-config as the Makefile will call it, from the moved prefix: the flags must point into
    # it (the .pc file finds its prefix through ${pcfiledir}), and its version must be ours.
    set(pc_env ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir})
    foreach(query modversion cflags)
      execute_process(COMMAND ${pc_env} ${JOT_PKG_PKG_CONFIG} --print-errors --${query} jot
                      RESULT_VARIABLE rc OUTPUT_VARIABLE pc_${query} ERROR_VARIABLE pc_${query}
                      OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "pkg-config --${query} jot failed (${rc}):\n${pc_${query}}")
      endif()
    endforeach()
    if(NOT pc_modversion STREQUAL JOT_PKG_VERSION)
      message(FATAL_ERROR "jot.pc says version '${pc_modversion}', jot is ${JOT_PKG_VERSION}")
    endif()
    string(FIND "${pc_cflags}" "-I${prefix}/" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "pkg-config --cflags jot does not point into ${prefix}: ${pc_cflags}")
    endif()
    foreach(part redis httplib beast grpc)
      if(EXISTS ${pc_dir}/jot-${part}.pc)
        jot_pkg_run("pkg-config --cflags --libs jot-${part}"
          ${pc_env} ${JOT_PKG_PKG_CONFIG} --print-errors --cflags --libs jot-${part})
      endif()
    endforeach()

    # The plain Makefile consumer, built out of the source tree with this build's compiler and
    # flags (a sanitizer's flags must reach its link as well), from the CMake consumer's source.
    file(COPY ${here}/makefile_consumer/ DESTINATION ${work}/makefile-consumer)
    jot_pkg_run("make the Makefile consumer"
      ${pc_env} ${JOT_PKG_MAKE} -C ${work}/makefile-consumer "PKG_CONFIG=${JOT_PKG_PKG_CONFIG}"
      "CXX=${JOT_PKG_CXX_COMPILER}" "CXXFLAGS=${JOT_PKG_CXX_FLAGS}"
      "LDFLAGS=${JOT_PKG_EXE_LINKER_FLAGS}" "SOURCE=${here}/consumer/main.cpp")
    execute_process(COMMAND ${work}/makefile-consumer/consumer RESULT_VARIABLE rc
                    OUTPUT_VARIABLE out ERROR_VARIABLE out)
    string(FIND "${out}" "jot ${JOT_PKG_VERSION} signed and verified a token" at)
    if(NOT rc EQUAL 0 OR at EQUAL -1)
      message(FATAL_ERROR "the Makefile consumer did not verify its token (${rc}):\n${out}")
    endif()
    message(STATUS "run the Makefile consumer: ok (${out})")
    return()
  endif()

  # The version file: jot X.Y.Z must refuse a request for (X+1).0 and accept X.Y.
  jot_pkg_run("check jot's package version"
    ${CMAKE_COMMAND} -S ${here}/version_check -B ${work}/version-check ${toolchain_args}
    "-DJOT_EXPECTED_VERSION=${JOT_PKG_VERSION}"
    "-DCMAKE_PREFIX_PATH=${prefix};${prefix_path}")

  # The find_package snippet, whose comment says to pass CMAKE_PREFIX_PATH, and the separately
  # compiled mode's snippet (its jot_compile_once.cpp is in the consumer folder).
  file(WRITE ${snippets} "# README.md's find_package snippet\n${readme_installed}"
             "# README.md's separately compiled mode\n${readme_separate}")
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix};${prefix_path}")
  # The optional targets installed must come back with find_package(jot) (a comma-separated
  # list: a ';' would split the argument).
  set(expected_targets)
  foreach(part REDIS BEAST GRPC)
    if(JOT_PKG_${part})
      string(TOLOWER "jot::${part}" target)
      list(APPEND expected_targets ${target})
    endif()
  endforeach()
  list(JOIN expected_targets "," expected_targets)
  list(APPEND consumer_args "-DJOT_CONSUMER_EXPECTS=${expected_targets}")
elseif(JOT_PKG_MODE STREQUAL "fetchcontent")
  # Offline by construction: the URL becomes a mirror of this checkout made for the test, whose
  # branch (GIT_TAG) is the commit checked out here, so the clone gets what is being tested.
  if(NOT readme_fetchcontent MATCHES "GIT_REPOSITORY[ \n]+(<[^>]*>|[^ \n)]+)")
    message(FATAL_ERROR "README.md's FetchContent snippet has no GIT_REPOSITORY")
  endif()
  set(readme_url "${CMAKE_MATCH_1}")
  if(NOT readme_fetchcontent MATCHES "GIT_TAG[ \n]+([^ \n)]+)")
    message(FATAL_ERROR "README.md's FetchContent snippet has no GIT_TAG")
  endif()
  set(readme_tag "${CMAKE_MATCH_1}")
  if(readme_tag MATCHES "^[0-9a-f]+$")
    message(FATAL_ERROR "README.md's FetchContent snippet pins commit ${readme_tag}; this test "
                        "can give a branch or tag the commit under test, not a fixed hash")
  endif()
  find_program(JOT_PKG_GIT git)
  if(NOT JOT_PKG_GIT)
    message(FATAL_ERROR "package_fetchcontent runs the README's FetchContent snippet, which clones "
                        "jot with git, and there is no git here")
  endif()
  execute_process(COMMAND ${JOT_PKG_GIT} -C ${JOT_PKG_SOURCE_DIR} rev-parse --show-toplevel HEAD
                  RESULT_VARIABLE rc OUTPUT_VARIABLE git_out ERROR_VARIABLE git_err
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_STRIP_TRAILING_WHITESPACE)
  string(REPLACE "\n" ";" git_out "${git_out}")
  list(LENGTH git_out git_lines)
  if(rc EQUAL 0 AND git_lines EQUAL 2)
    list(GET git_out 0 git_top)
    list(GET git_out 1 git_head)
    file(REAL_PATH "${git_top}" git_top)
    file(REAL_PATH "${JOT_PKG_SOURCE_DIR}" source_real)
  endif()
  if(NOT rc EQUAL 0 OR NOT git_lines EQUAL 2 OR NOT git_top STREQUAL source_real)
    message(FATAL_ERROR "package_fetchcontent runs the README's FetchContent snippet, which clones "
                        "jot with git, but ${JOT_PKG_SOURCE_DIR} is not the top of a git checkout "
                        "with a commit (${git_err}). Test a clone of jot's repository (CI does).")
  endif()
  # The branch or tag must exist in jot's repository (a local or remote-tracking branch, or a tag
  # of this clone), or the snippet fails for everyone who copies it.
  execute_process(COMMAND ${JOT_PKG_GIT} -C ${JOT_PKG_SOURCE_DIR} for-each-ref "--format=%(refname)"
                          refs/heads/${readme_tag} refs/tags/${readme_tag}
                          refs/remotes/*/${readme_tag}
                  OUTPUT_VARIABLE tag_refs)
  if(tag_refs STREQUAL "")
    message(FATAL_ERROR "README.md's FetchContent snippet names GIT_TAG ${readme_tag}, but jot's "
                        "repository has no branch or tag ${readme_tag}")
  endif()
  set(mirror ${work}/jot-mirror.git)
  jot_pkg_run("make a mirror of this checkout"
    ${JOT_PKG_GIT} init --quiet --bare ${mirror})
  jot_pkg_run("give the mirror's ${readme_tag} commit ${git_head}"
    ${JOT_PKG_GIT} -C ${mirror} fetch --quiet --no-tags file://${JOT_PKG_SOURCE_DIR}
    +HEAD:refs/heads/${readme_tag})
  execute_process(COMMAND ${JOT_PKG_GIT} -C ${JOT_PKG_SOURCE_DIR} status --porcelain
                          --untracked-files=no
                  OUTPUT_VARIABLE git_changes)
  if(NOT git_changes STREQUAL "")
    message(STATUS "note: FetchContent gets commit ${git_head}; the uncommitted changes in "
                   "${JOT_PKG_SOURCE_DIR} are not part of it")
  endif()
  string(REPLACE "${readme_url}" "file://${mirror}" snippet "${readme_fetchcontent}")
  file(WRITE ${snippets} "# README.md's FetchContent snippet, its URL replaced by the mirror's\n"
             "${snippet}")
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix_path}")
elseif(JOT_PKG_MODE STREQUAL "subdirectory")
  # The folder the snippet names becomes a link to this source tree.
  if(NOT readme_subdirectory MATCHES "add_subdirectory\\(([^ )]+)")
    message(FATAL_ERROR "README.md's add_subdirectory snippet names no folder")
  endif()
  set(jot_folder ${work}/consumer/${CMAKE_MATCH_1})
  get_filename_component(jot_parent ${jot_folder} DIRECTORY)
  file(MAKE_DIRECTORY ${jot_parent})
  file(CREATE_LINK ${JOT_PKG_SOURCE_DIR} ${jot_folder} SYMBOLIC)
  file(WRITE ${snippets} "# README.md's add_subdirectory snippet\n${readme_subdirectory}")
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix_path}")
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown JOT_PKG_MODE '${JOT_PKG_MODE}'")
endif()

jot_pkg_run("configure the consumer (${JOT_PKG_MODE})"
  ${CMAKE_COMMAND} -S ${work}/consumer -B ${work}/consumer-build ${toolchain_args}
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
