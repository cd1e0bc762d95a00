#pragma once

// jot: JSON Web Tokens for C++17 where the secure way is the only easy way.
// This umbrella includes every public header except unverified.hpp, which must be asked for.

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
#include "jot/pem.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/sensitive_claims.hpp"
#include "jot/signer.hpp"
#include "jot/stores.hpp"
#include "jot/validator.hpp"
#include "jot/verified_token.hpp"
#include "jot/verifier.hpp"
#include "jot/verifier_builder.hpp"
