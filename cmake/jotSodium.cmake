# JOT_ED25519_BACKEND: which library signs and verifies Ed25519 (include/jot/detail/
# sodium_ed25519.hpp). `auto` (the default) takes libsodium where pkg-config finds it (Debian:
# libsodium-dev), else OpenSSL; `libsodium` makes it required; `openssl` never uses it. Ed448 and
# every other algorithm are always OpenSSL's. With libsodium, jot::jot carries the definition
# JOT_ED25519_LIBSODIUM and links libsodium, and the installed package requires it.
set(JOT_ED25519_BACKEND auto CACHE STRING "Ed25519 backend: auto, openssl or libsodium")
set_property(CACHE JOT_ED25519_BACKEND PROPERTY STRINGS auto openssl libsodium)
if(NOT JOT_ED25519_BACKEND MATCHES "^(auto|openssl|libsodium)$")
  message(FATAL_ERROR "JOT_ED25519_BACKEND must be auto, openssl or libsodium, not "
                      "'${JOT_ED25519_BACKEND}'")
endif()

set(JOT_ED25519_LIBSODIUM OFF)
if(NOT JOT_ED25519_BACKEND STREQUAL "openssl")
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    # GLOBAL: a project that adds jot as a subdirectory links jot::jot from its own folder.
    pkg_check_modules(SODIUM QUIET IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
  endif()
  if(SODIUM_FOUND)
    set(JOT_ED25519_LIBSODIUM ON)
  elseif(JOT_ED25519_BACKEND STREQUAL "libsodium")
    message(FATAL_ERROR "JOT_ED25519_BACKEND is libsodium but pkg-config does not find libsodium "
                        "1.0.18 or later (Debian: apt-get install libsodium-dev pkg-config)")
  endif()
endif()

if(JOT_ED25519_LIBSODIUM)
  target_link_libraries(jot INTERFACE PkgConfig::SODIUM)
  target_compile_definitions(jot INTERFACE JOT_ED25519_LIBSODIUM)
  message(STATUS "jot: Ed25519 on libsodium ${SODIUM_VERSION}")
else()
  message(STATUS "jot: Ed25519 on OpenSSL")
endif()
