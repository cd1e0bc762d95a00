// ATK-API-MISUSE: the same guarantee reached through result<T>::operator-> on a temporary
// result. The result (and the claims inside it) dies at the end of the statement, so the view
// dangles exactly as with the rvalue claims of rvalue_claims_subject.cpp; and on a rejected
// token operator-> is unchecked. This must not compile either.
// expect-error: use of deleted function|call to deleted member function

#include <string_view>

#include <jot/jot.hpp>

std::string_view subject_of(const jot::verifier& verifier, std::string_view token) {
#ifdef JOT_COMPILE_FAIL_CONTROL
  static thread_local jot::result<jot::verified_token> kept = jot::errc::invalid_signature;
  kept = verifier.verify(token);  // an lvalue that outlives the view
  if (!kept) return {};
  return kept->claims().subject().value_or("");
#else
  return verifier.verify(token)->claims().subject().value_or("");
#endif
}
