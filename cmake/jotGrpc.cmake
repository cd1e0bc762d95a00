# The jot::grpc target: jot::jot plus gRPC C++ (Debian 12: libgrpc++-dev, gRPC 1.51), found with
# pkg-config as grpc++. JOT_BUILD_GRPC defaults to whether grpc++ is there; set to ON it makes it
# required, so that a missing package fails the configure step instead of skipping the tests.
# gRPC's headers and generated code are the slowest part of jot's build, so CMakePresets.json
# turns JOT_BUILD_GRPC off in every preset but dev: the tests and the example are built once.
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

# jot_grpc_generate(<target> <proto>): a static library of the C++ messages and gRPC stubs that
# protoc and grpc_cpp_plugin generate from <proto> at build time, for jot's own tests and example.
# Generated code is not ours to warn about, so it builds without jot's strict flags.
function(jot_grpc_generate target proto)
  pkg_check_modules(PROTOBUF REQUIRED IMPORTED_TARGET GLOBAL protobuf)
  find_program(JOT_PROTOC protoc REQUIRED)
  find_program(JOT_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
  get_filename_component(name ${proto} NAME_WE)
  get_filename_component(proto_dir ${proto} DIRECTORY)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(sources ${out}/${name}.pb.cc ${out}/${name}.grpc.pb.cc)
  add_custom_command(
    OUTPUT ${sources} ${out}/${name}.pb.h ${out}/${name}.grpc.pb.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
    COMMAND ${JOT_PROTOC} --proto_path=${proto_dir} --cpp_out=${out} --grpc_out=${out}
            --plugin=protoc-gen-grpc=${JOT_GRPC_CPP_PLUGIN} ${proto}
    DEPENDS ${proto}
    COMMENT "protoc: ${name}.proto")
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${out})
  target_link_libraries(${target} PUBLIC jot::grpc PkgConfig::PROTOBUF)
  # One translation unit: the two files are compiled together, which saves parsing the
  # protobuf and gRPC headers twice.
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
endfunction()
