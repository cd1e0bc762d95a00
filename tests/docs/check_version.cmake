include("${SOURCE_DIR}/cmake/jotVersion.cmake")

file(READ "${SOURCE_DIR}/packaging/vcpkg/ports/jot/vcpkg.json" manifest)
string(JSON port_version GET "${manifest}" version)
if(NOT port_version STREQUAL JOT_VERSION)
  message(FATAL_ERROR "vcpkg.json says ${port_version}, include/jot/config.hpp says ${JOT_VERSION}")
endif()

# The README's find_package snippet asks for this major.minor version (the package tests run it,
# so a request the installed jot cannot meet fails there too), and the Conan line names the
# release. Any other version the README names (a release tag in the FetchContent snippet, which
# package_fetchcontent checks exists) must be this one too.
file(READ "${SOURCE_DIR}/README.md" readme)
foreach(snippet "find_package(jot ${jot_version_MAJOR}.${jot_version_MINOR} CONFIG REQUIRED)"
                "\"jot/${JOT_VERSION}\"")
  string(FIND "${readme}" "${snippet}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "README.md does not name the current version as '${snippet}'")
  endif()
endforeach()
string(REGEX MATCHALL "find_package\\(jot [0-9.]+|GIT_TAG v[0-9.]+|jot/[0-9]+\\.[0-9.]+" named
       "${readme}")
foreach(mention IN LISTS named)
  if(NOT mention MATCHES "^find_package\\(jot ${jot_version_MAJOR}\\.${jot_version_MINOR}$"
     AND NOT mention STREQUAL "jot/${JOT_VERSION}" AND NOT mention STREQUAL "GIT_TAG v${JOT_VERSION}")
    message(FATAL_ERROR "README.md names '${mention}', but jot is ${JOT_VERSION}")
  endif()
endforeach()
message(STATUS "jot ${JOT_VERSION}: config.hpp, vcpkg.json and README agree")
