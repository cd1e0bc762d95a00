// ATK-API-MISUSE: verified_token::key_id() returns a reference into the token, so it is
// lvalue-only (verified_token.hpp): on a temporary token it would dangle (ASan:
// stack-use-after-scope). key_id() on an rvalue must not compile.
// expect-error: use of deleted function|call to deleted member function

#include <optional>
#include <string>
#include <string_view>

#include <jot/jot.hpp>

std::string key_of(const jot::verifier& verifier, std::string_view token) {
#ifdef JOT_COMPILE_FAIL_CONTROL
  const auto verified = verifier.verify(token).value();
  const std::optional<std::string>& kid = verified.key_id();
#else
  const std::optional<std::string>& kid = verifier.verify(token).value().key_id();
#endif
  return kid.value_or("");
}
