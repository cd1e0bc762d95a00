include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS jot EXPORT jotTargets)
install(DIRECTORY include/jot DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(JOT_CONFIG_DIR ${CMAKE_INSTALL_DATADIR}/cmake/jot)
install(EXPORT jotTargets NAMESPACE jot:: DESTINATION ${JOT_CONFIG_DIR})

configure_package_config_file(cmake/jotConfig.cmake.in ${PROJECT_BINARY_DIR}/jotConfig.cmake
                              INSTALL_DESTINATION ${JOT_CONFIG_DIR})
# Header-only: one package serves every architecture; 0.x and 1.x are not compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/jotConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/jotConfig.cmake ${PROJECT_BINARY_DIR}/jotConfigVersion.cmake
        DESTINATION ${JOT_CONFIG_DIR})

# Lets a build tree be consumed directly too.
export(EXPORT jotTargets NAMESPACE jot:: FILE ${PROJECT_BINARY_DIR}/jotTargets.cmake)
