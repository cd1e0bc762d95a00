// ATK-API-MISUSE: verified_token::header() returns a reference into the token, so it is
// lvalue-only (verified_token.hpp): on a temporary token it would dangle (ASan:
// stack-use-after-scope). header() on an rvalue must not compile.
// expect-error: use of deleted function|call to deleted member function

#include <string>
#include <string_view>

#include <jot/jot.hpp>

std::string type_of(const jot::verifier& verifier, std::string_view token) {
#ifdef JOT_COMPILE_FAIL_CONTROL
  const auto verified = verifier.verify(token).value();
  const nlohmann::json& header = verified.header();
#else
  const nlohmann::json& header = verifier.verify(token).value().header();
#endif
  return header.value("typ", "");
}
