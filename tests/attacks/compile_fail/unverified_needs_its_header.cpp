// ATK-API-MISUSE: reading a token without verifying it needs its own, loudly named include
// (<jot/unverified.hpp>); the umbrella header does not offer it, so it never shows up in code
// completion next to verify().
// expect-error: unverified.* is not a member|unverified.* has not been declared|named .unverified

#include <jot/jot.hpp>
#ifdef JOT_COMPILE_FAIL_CONTROL
#include <jot/unverified.hpp>
#endif

bool looks_like_a_token(std::string_view token) {
  return jot::unverified::decode(token).has_value();
}
