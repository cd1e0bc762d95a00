#pragma once

// jot's optional separately compiled mode. jot is templates over the nlohmann::basic_json type,
// so by default every translation unit that uses a verifier or an encoder compiles their code for
// nlohmann::json again. In a program with many such units, define JOT_SEPARATE_COMPILATION in
// all of them (e.g. target_compile_definitions(app PRIVATE JOT_SEPARATE_COMPILATION)) and add one
// source file that includes <jot/compile_once.hpp>: the templates below are then compiled for
// nlohmann::json in that file alone, and the others only declare them. So are the non-template
// functions that key loading, JWK import and export and JWKS reading use (JOT_INLINE, config.hpp):
// the other files neither parse nor compile them. Other Json types (ordered_json, your own
// basic_json) are still compiled where they are used.
// Included by <jot/jot.hpp>; the declarations need the templates' headers first. The session
// layer's templates have their own pair: <jot/session/separate_compilation.hpp> (included by
// <jot/session.hpp>) and <jot/session/compile_once.hpp>.

#include "jot/claims.hpp"
#include "jot/claims_builder.hpp"
#include "jot/encoder.hpp"
#include "jot/jwks_cache.hpp"
#include "jot/validator.hpp"
#include "jot/verified_token.hpp"
#include "jot/verifier.hpp"
#include "jot/verifier_builder.hpp"

// The class templates that the separately compiled mode compiles once, for nlohmann::json.
#define JOT_SEPARATELY_COMPILED_TEMPLATES(X) \
  X(basic_claims)                            \
  X(basic_claims_builder)                    \
  X(basic_encoder)                           \
  X(basic_jwks_cache)                        \
  X(basic_validator)                         \
  X(basic_validator_builder)                 \
  X(basic_verified_token)                    \
  X(basic_verifier)                          \
  X(basic_verifier_builder)

// How a list of the kind above is declared, and compiled, for nlohmann::json.
#define JOT_DECLARE_COMPILED_ELSEWHERE(name) extern template class name<nlohmann::json>;
#define JOT_COMPILE_HERE(name) template class name<nlohmann::json>;

#ifdef JOT_SEPARATE_COMPILATION
JOT_BEGIN_NAMESPACE
JOT_SEPARATELY_COMPILED_TEMPLATES(JOT_DECLARE_COMPILED_ELSEWHERE)
JOT_END_NAMESPACE
#endif
