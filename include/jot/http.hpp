#pragma once

// jot's HTTP helpers, which need no HTTP library: RFC 6750 Bearer parsing, challenges and status
// mapping (http/bearer.hpp), what a route requires (http/requirement.hpp), the decision every
// adapter shares (http/access.hpp) and refresh-token cookies (http/cookies.hpp). The adapters are
// <jot/http/httplib.hpp> (CMake target jot::httplib), <jot/http/beast.hpp> (jot::beast), and
// <jot/http/grpc.hpp> with <jot/http/grpc_credentials.hpp> (jot::grpc).

#include "jot/http/access.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/cookies.hpp"
#include "jot/http/requirement.hpp"
