// ATK-API-MISUSE: claim accessors return views into the claims object, so they are lvalue-only
// (claims.hpp): a view into a temporary would dangle. subject() on an rvalue must not compile.
// expect-error: use of deleted function|call to deleted member function

#include <string>
#include <string_view>

#include <jot/jot.hpp>

std::string subject_of(const jot::verifier& verifier, std::string_view token) {
  auto verified = verifier.verify(token).value();
#ifdef JOT_COMPILE_FAIL_CONTROL
  const jot::claims claims = std::move(verified).claims();
  return std::string(claims.subject().value_or(""));
#else
  return std::string(std::move(verified).claims().subject().value_or(""));
#endif
}
