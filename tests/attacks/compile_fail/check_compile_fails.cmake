# cmake -DCOMPILER=<c++> -DFLAGS=<flags separated by |> -DSOURCE=<file>
#       -P check_compile_fails.cmake
#
# Passes when SOURCE compiles with -DJOT_COMPILE_FAIL_CONTROL (so the file, its includes and
# flags are fine) and does NOT compile without it, with a diagnostic matching the regular
# expression on the file's "// expect-error: " line (so the forbidden line, and nothing else, is
# what fails). The expression covers GCC's and Clang's wording.
foreach(var COMPILER FLAGS SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_compile_fails.cmake: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" flags "${FLAGS}")
file(STRINGS ${SOURCE} expect_lines REGEX "^// expect-error: ")
list(LENGTH expect_lines expect_count)
if(NOT expect_count EQUAL 1)
  message(FATAL_ERROR "${SOURCE} needs exactly one '// expect-error: <regex>' line")
endif()
string(REGEX REPLACE "^// expect-error: " "" EXPECT "${expect_lines}")

execute_process(COMMAND ${COMPILER} ${flags} -DJOT_COMPILE_FAIL_CONTROL ${SOURCE}
                RESULT_VARIABLE control_result OUTPUT_VARIABLE control_output
                ERROR_VARIABLE control_output)
if(NOT control_result EQUAL 0)
  message(FATAL_ERROR "The control variant of ${SOURCE} must compile, but:\n${control_output}")
endif()

execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but the API must make it impossible.")
endif()
if(NOT output MATCHES "${EXPECT}")
  message(FATAL_ERROR
          "${SOURCE} failed to compile, but not with a diagnostic matching '${EXPECT}':\n${output}")
endif()
message(STATUS "${SOURCE} does not compile, as required ('${EXPECT}').")
