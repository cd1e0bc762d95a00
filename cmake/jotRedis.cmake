# The jot::redis target: jot::jot plus hiredis (0.14 in Debian 12), found with pkg-config.
# JOT_BUILD_REDIS defaults to whether hiredis is there; set to ON it makes hiredis required (CI
# does this, so that a missing libhiredis-dev fails the build instead of skipping the tests).
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(HIREDIS QUIET IMPORTED_TARGET GLOBAL hiredis)
endif()
option(JOT_BUILD_REDIS "Define jot::redis (needs hiredis) and build its tests" ${HIREDIS_FOUND})

if(JOT_BUILD_REDIS)
  if(NOT HIREDIS_FOUND)
    message(FATAL_ERROR "JOT_BUILD_REDIS is ON but hiredis was not found with pkg-config "
                        "(Debian: apt-get install libhiredis-dev pkg-config)")
  endif()
  add_library(jot_redis INTERFACE)
  add_library(jot::redis ALIAS jot_redis)
  # Exported as jot::redis.
  set_target_properties(jot_redis PROPERTIES EXPORT_NAME redis)
  target_link_libraries(jot_redis INTERFACE jot PkgConfig::HIREDIS)
endif()
