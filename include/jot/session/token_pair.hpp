#pragma once

// token_pair: what a session manager hands out at a login and at every refresh
// (session_manager.hpp).

#include <string>

#include "jot/claims.hpp"
#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// The expiries are the tokens' `exp`, for a cookie's Max-Age or an OAuth `expires_in` (RFC 6749
// §5.1).
struct token_pair {
  // The two tokens with their expiry times, and the session's id (the `sid` claim), which
  // end_session_by_id() takes.
  std::string access_token;
  sys_seconds access_expires_at{};
  std::string refresh_token;
  sys_seconds refresh_expires_at{};
  std::string session_id;
};

JOT_END_NAMESPACE
