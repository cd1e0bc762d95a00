# Install rules and the CMake package: find_package(jot CONFIG) + jot::jot.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS jot EXPORT jotTargets)
# Only headers: an editor backup or a stray file in include/ must not end up in a package.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/jot DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")

# share/, not lib/: a header-only package is the same on every architecture, and find_package
# searches <prefix>/share/cmake/<name>/ as well.
set(JOT_CONFIG_DIR ${CMAKE_INSTALL_DATADIR}/cmake/jot)
install(EXPORT jotTargets NAMESPACE jot:: DESTINATION ${JOT_CONFIG_DIR})

# configure_package_config_file makes the installed package relocatable (paths relative to the
# config file), which the package test checks by moving the installed tree.
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/jotConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/jotConfig.cmake
                              INSTALL_DESTINATION ${JOT_CONFIG_DIR})
# Header-only: one package serves every architecture; 0.x and 1.x are not compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/jotConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/jotConfig.cmake ${PROJECT_BINARY_DIR}/jotConfigVersion.cmake
        DESTINATION ${JOT_CONFIG_DIR})

# Lets a build tree be consumed directly too.
export(EXPORT jotTargets NAMESPACE jot:: FILE ${PROJECT_BINARY_DIR}/jotTargets.cmake)

# jot::redis, jot::beast and jot::grpc each in an export set of its own: jotConfig.cmake loads one
# only when the consumer has its dependency (hiredis, Boost, gRPC C++), so find_package(jot) keeps
# working without it.
foreach(part Redis Beast Grpc)
  string(TOLOWER "${part}" target)
  if(TARGET jot_${target})
    install(TARGETS jot_${target} EXPORT jot${part}Targets)
    install(EXPORT jot${part}Targets NAMESPACE jot:: DESTINATION ${JOT_CONFIG_DIR})
    export(EXPORT jot${part}Targets NAMESPACE jot::
           FILE ${PROJECT_BINARY_DIR}/jot${part}Targets.cmake)
  endif()
endforeach()

# pkg-config files, for builds that do not use CMake: `pkg-config --cflags --libs jot` (and
# jot-redis, jot-httplib, jot-beast, jot-grpc where those targets exist). Like the CMake package
# they go to share/, not lib/: jot.pc names no library of its own, only an include folder and its
# dependencies, so one file serves every architecture, and pkg-config searches
# <prefix>/share/pkgconfig by default.
set(JOT_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where jot's pkg-config files are installed (relative to the install prefix, or absolute)")
# Relocatable where both folders are relative to the prefix: the prefix is then found from the
# .pc file's own folder (${pcfiledir}), so moving the installed tree, or `cmake --install
# --prefix` somewhere else than CMAKE_INSTALL_PREFIX, keeps it right. With an absolute folder
# there is no such relation and the file names the configured paths as they are.
if(IS_ABSOLUTE "${JOT_INSTALL_PKGCONFIGDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(JOT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(JOT_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH jot_pc_up "/prefix/${JOT_INSTALL_PKGCONFIGDIR}" "/prefix")
  string(REGEX REPLACE "/$" "" jot_pc_up "${jot_pc_up}")
  set(JOT_PC_PREFIX "\${pcfiledir}/${jot_pc_up}")
  set(JOT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(JOT_ED25519_LIBSODIUM)
  set(JOT_PC_SODIUM_REQUIRES ", libsodium >= 1.0.18")
  set(JOT_PC_SODIUM_CFLAGS " -DJOT_ED25519_LIBSODIUM")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/jot.pc.in ${PROJECT_BINARY_DIR}/jot.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/jot.pc DESTINATION ${JOT_INSTALL_PKGCONFIGDIR})
# The optional libraries' files exist only where their targets do, as with jotRedisTargets.cmake.
foreach(part redis httplib beast grpc)
  if(TARGET jot_${part})
    configure_file(${PROJECT_SOURCE_DIR}/cmake/jot-${part}.pc.in ${PROJECT_BINARY_DIR}/jot-${part}.pc
                   @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/jot-${part}.pc DESTINATION ${JOT_INSTALL_PKGCONFIGDIR})
  endif()
endforeach()
