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

# jot::redis in an export set of its own: jotConfig.cmake loads it only when the consumer has
# hiredis, so find_package(jot) keeps working without it.
if(TARGET jot_redis)
  install(TARGETS jot_redis EXPORT jotRedisTargets)
  install(EXPORT jotRedisTargets NAMESPACE jot:: DESTINATION ${JOT_CONFIG_DIR})
  export(EXPORT jotRedisTargets NAMESPACE jot:: FILE ${PROJECT_BINARY_DIR}/jotRedisTargets.cmake)
endif()
