// ATK-API-MISUSE: claims come only from a claims_builder (about to be signed) or a verifier
// (already checked). Wrapping decoded, unverified JSON in jot::claims must not compile, so no
// code path can hand unchecked claims to code that expects checked ones. (There is no constructor
// from JSON at all; the private one takes the shared claim set a builder or verifier made.)
// expect-error: no matching|is private within this context|calling a private constructor

#include <jot/jot.hpp>

jot::result<jot::claims> claims_of(const nlohmann::json& decoded) {
#ifdef JOT_COMPILE_FAIL_CONTROL
  auto builder = jot::claims::builder{};
  if (decoded.contains("sub")) builder.subject(decoded.at("sub").get<std::string>());
  return builder.allow_missing_expiration().build();  // the builder applies its rules
#else
  return jot::claims(decoded);
#endif
}
