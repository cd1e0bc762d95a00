# jot_warnings(<target>): warnings are errors. Every program in this repository builds with these,
# also the benchmark's peer adapters, which include OpenSSL's deprecated APIs through the peers'
# headers and so cannot take jot_strict_target's OpenSSL 3-only switch.
function(jot_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  # GCC 12 at -O2 reports -Wmaybe-uninitialized inside std::variant's destructor for a
  # result<std::string> that holds an error (the string alternative is never destroyed), which
  # broke the release preset. Still shown, no longer fatal; Debug builds never emit it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-error=maybe-uninitialized)
  endif()
endfunction()

# jot_strict_target(<target>): the flags jot's own programs (tests, examples, tools) build with.
# Warnings are errors, and only OpenSSL 3 APIs are visible. Consumers of jot::jot get none of this.
function(jot_strict_target target)
  jot_warnings(${target})
  target_compile_definitions(${target} PRIVATE OPENSSL_API_COMPAT=30000 OPENSSL_NO_DEPRECATED)
  target_link_libraries(${target} PRIVATE jot::jot)
endfunction()
