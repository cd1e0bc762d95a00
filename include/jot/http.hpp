#pragma once

// jot's HTTP helpers, which need no HTTP library: RFC 6750 Bearer and RFC 9449 DPoP parsing,
// challenges and status mapping (http/bearer.hpp, http/dpop.hpp), what a route requires
// (http/requirement.hpp), the decision every adapter shares and its refusals (http/access.hpp,
// http/refusal.hpp) and refresh-token cookies (http/cookies.hpp). The adapters are
// <jot/http/httplib.hpp> (CMake target jot::httplib), <jot/http/beast.hpp> (jot::beast), and
// <jot/http/grpc.hpp> with <jot/http/grpc_credentials.hpp> (jot::grpc).

#include "jot/http/access.hpp"
#include "jot/http/bearer.hpp"
#include "jot/http/cookies.hpp"
#include "jot/http/dpop.hpp"
#include "jot/http/refusal.hpp"
#include "jot/http/requirement.hpp"
