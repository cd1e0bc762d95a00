# The jot::grpc target: jot::jot plus gRPC C++ (Debian 12: libgrpc++-dev, gRPC 1.51), found with
# pkg-config as grpc++. JOT_BUILD_GRPC defaults to whether grpc++ is there; set to ON it makes it
# required, so that a missing package fails the configure step instead of skipping the tests.
# gRPC's headers and generated code are slow to compile, so the presets CI runs besides dev
# (sanitizers, clang, no exceptions, fuzz) turn JOT_BUILD_GRPC off: its tests and example are
# built once.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(GRPCPP QUIET IMPORTED_TARGET GLOBAL grpc++)
endif()
option(JOT_BUILD_GRPC "Define jot::grpc (needs gRPC C++) and build its tests and example"
       ${GRPCPP_FOUND})

if(JOT_BUILD_GRPC)
  if(NOT GRPCPP_FOUND)
    message(FATAL_ERROR "JOT_BUILD_GRPC is ON but grpc++ was not found with pkg-config "
                        "(Debian: apt-get install libgrpc++-dev protobuf-compiler-grpc pkg-config)")
  endif()
  add_library(jot_grpc INTERFACE)
  add_library(jot::grpc ALIAS jot_grpc)
  # Exported as jot::grpc.
  set_target_properties(jot_grpc PROPERTIES EXPORT_NAME grpc)
  target_link_libraries(jot_grpc INTERFACE jot PkgConfig::GRPCPP)
endif()
