# Overlay port that builds jot from the source tree it sits in:
#   vcpkg install jot --overlay-ports=<jot>/packaging/vcpkg/ports
# For a registry, replace SOURCE_PATH with vcpkg_from_git(...) at a release tag.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

# vcpkg.json must spell the version; the one jot builds is the one in include/jot/config.hpp
# (cmake/jotVersion.cmake reads it), and a port that says otherwise is refused here.
include("${SOURCE_PATH}/cmake/jotVersion.cmake")
if(NOT VERSION STREQUAL JOT_VERSION)
  message(FATAL_ERROR "vcpkg.json says ${VERSION}, include/jot/config.hpp says ${JOT_VERSION}")
endif()

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  # Ed25519 on OpenSSL: the port declares no libsodium, so the package must not need it.
  OPTIONS -DJOT_BUILD_TESTS=OFF -DJOT_BUILD_EXAMPLES=OFF -DJOT_BUILD_TOOLS=OFF -DJOT_INSTALL=ON
          -DJOT_ED25519_BACKEND=openssl)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME jot CONFIG_PATH share/cmake/jot)

# Header-only: nothing is built per configuration.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug" "${CURRENT_PACKAGES_DIR}/lib")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
