# jot's version is written once, in include/jot/config.hpp (JOT_VERSION_MAJOR/MINOR/PATCH). This
# file reads it into JOT_VERSION for project(); the Conan recipe and the vcpkg port read the same
# header, so a release changes one line.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../include/jot/config.hpp" jot_version_lines
     REGEX "^#define JOT_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
foreach(part MAJOR MINOR PATCH)
  set(jot_version_${part} "")
  foreach(line IN LISTS jot_version_lines)
    if(line MATCHES "^#define JOT_VERSION_${part} ([0-9]+)$")
      set(jot_version_${part} "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(jot_version_${part} STREQUAL "")
    message(FATAL_ERROR "include/jot/config.hpp does not define JOT_VERSION_${part}")
  endif()
endforeach()
set(JOT_VERSION "${jot_version_MAJOR}.${jot_version_MINOR}.${jot_version_PATCH}")
