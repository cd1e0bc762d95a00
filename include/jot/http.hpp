#pragma once

// jot's HTTP helpers, which need no HTTP library: RFC 6750 Bearer parsing, challenges and status
// mapping (http/bearer.hpp) and refresh-token cookies (http/cookies.hpp). The cpp-httplib adapter
// is <jot/http/httplib.hpp> (CMake target jot::httplib).

#include "jot/http/bearer.hpp"
#include "jot/http/cookies.hpp"
