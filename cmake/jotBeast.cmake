# The jot::beast target: jot::jot plus Boost's headers (Boost.Beast and Boost.Asio, 1.74 in Debian
# 12: libboost1.74-dev), found with Boost's own CMake package, and the threads Asio runs on.
# JOT_BUILD_BEAST defaults to whether Boost is there; ON makes Boost required (CI's dev build, so
# that a missing Boost fails the build instead of leaving the adapter's example and tests out);
# OFF leaves them out (the sanitizer, clang and no-exceptions builds, which would only spend time
# compiling Beast). A project that adds jot as a subdirectory may link jot::beast from its own
# folder: the generators look its dependencies up in this one (CMP0079).
find_package(Boost 1.74 CONFIG QUIET)
option(JOT_BUILD_BEAST "Define jot::beast (needs Boost.Beast) and build its example and tests"
       ${Boost_FOUND})

if(JOT_BUILD_BEAST)
  if(NOT TARGET Boost::headers)
    message(FATAL_ERROR "JOT_BUILD_BEAST is ON but Boost 1.74 or later was not found "
                        "(Debian: apt-get install libboost1.74-dev)")
  endif()
  find_package(Threads REQUIRED)
  add_library(jot_beast INTERFACE)
  add_library(jot::beast ALIAS jot_beast)
  # Exported as jot::beast.
  set_target_properties(jot_beast PROPERTIES EXPORT_NAME beast)
  target_link_libraries(jot_beast INTERFACE jot Boost::headers Threads::Threads)
endif()
