# jot_strict_target(<target>): the flags jot's own programs (tests, examples, tools) build with.
# Warnings are errors, and only OpenSSL 3 APIs are visible. Consumers of jot::jot get none of this.
function(jot_strict_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  target_compile_definitions(${target} PRIVATE OPENSSL_API_COMPAT=30000 OPENSSL_NO_DEPRECATED)
  target_link_libraries(${target} PRIVATE jot::jot)
endfunction()
