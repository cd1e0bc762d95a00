// ATK-API-MISUSE: only jot::verifier can make a verified_token (its constructor is private, the
// verifier its one friend), so holding one proves that verification happened. Building one by
// hand from claims a builder made must not compile.
// expect-error: is private within this context|calling a private constructor

#include <optional>
#include <string_view>

#include <jot/jot.hpp>

jot::result<jot::verified_token> trust(const jot::verifier& verifier, std::string_view token) {
#ifdef JOT_COMPILE_FAIL_CONTROL
  return verifier.verify(token);  // the only way to get one
#else
  (void)verifier;
  (void)token;
  auto claims = jot::claims::builder{}.subject("admin").allow_missing_expiration().build().value();
  return jot::verified_token(jot::algorithm::hs256, std::nullopt, std::move(claims));
#endif
}
