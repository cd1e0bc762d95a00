#pragma once

// The refresh cookie's Max-Age, from the refresh token's expiry and the server's clock (the demo
// auth servers, examples/web_app and examples/beast_server).

#include <chrono>

namespace demo {

// Seconds until `expires_at`, rounded down so that the cookie never outlives its token, and 0
// (delete the cookie) once it has passed: a session's last second, or a token that expired while
// the answer was being made, must not become a negative Max-Age, which set_cookie() refuses.
inline std::chrono::seconds cookie_max_age(std::chrono::system_clock::time_point expires_at,
                                           std::chrono::system_clock::time_point now) {
  if (expires_at <= now) return std::chrono::seconds(0);
  return std::chrono::duration_cast<std::chrono::seconds>(expires_at - now);
}

}  // namespace demo
