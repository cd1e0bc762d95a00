#pragma once

// Encrypted tokens (JWE, RFC 7516 / RFC 7518), compact serialization only: keys bound to one key
// management algorithm, the encrypter (sign then encrypt, `cty: JWT`) and the decrypter
// (decrypt_and_verify). Not part of <jot/jot.hpp>: include this header where tokens are
// encrypted or decrypted. docs/jwe.md says when to encrypt and which algorithms to choose.

#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/decrypted_token.hpp"
#include "jot/jwe/decrypter.hpp"
#include "jot/jwe/decrypter_builder.hpp"
#include "jot/jwe/encrypter.hpp"
#include "jot/jwe/jwk.hpp"
#include "jot/jwe/keys.hpp"
