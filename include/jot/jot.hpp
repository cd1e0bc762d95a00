#pragma once

// jot's token core: keys bound to their algorithm, claims and their builder, the encoder, the
// validator (the claim policy) and the verifier, JWK/JWKS, key sets, key rotation, the JWKS cache,
// and the error model. Sessions are <jot/session.hpp>, HTTP helpers <jot/http.hpp>, the Redis
// stores <jot/redis/redis.hpp>. Reading a token without verifying it is kept apart on purpose:
// <jot/unverified.hpp>.

#include "jot/algorithm.hpp"
#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/claims_builder.hpp"
#include "jot/config.hpp"
#include "jot/encoder.hpp"
#include "jot/errc.hpp"
#include "jot/error.hpp"
#include "jot/json.hpp"
#include "jot/jwk.hpp"
#include "jot/jwks_cache.hpp"
#include "jot/key_rotation.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/numeric_date.hpp"
#include "jot/pem.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/sensitive_claims.hpp"
#include "jot/separate_compilation.hpp"
#include "jot/signer.hpp"
#include "jot/token_check.hpp"
#include "jot/validator.hpp"
#include "jot/verified_token.hpp"
#include "jot/verifier.hpp"
#include "jot/verifier_builder.hpp"
