#pragma once

// Random identifiers: 128 bits from the OpenSSL CSPRNG, base64url. The session layer's `jti` and
// `sid`, and the `jti` of a DPoP proof, are made here.

#include <string>
#include <string_view>

#include <openssl/rand.h>

#include "jot/base64url.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// 128 random bits from the OpenSSL CSPRNG, base64url: a `jti` or `sid` no one can guess or
// collide with (RFC 7519 §4.1.7; RFC 9449 §4.2 asks at least 96 bits of a DPoP proof's jti).
inline result<std::string> random_token_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return errc::crypto_failure;
  JOT_TRY {
    std::string id;
    base64url_encode_append(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes),
                            id);
    return id;
  }
  JOT_CATCH_ALL { return errc::out_of_memory; }
}

}  // namespace detail
JOT_END_NAMESPACE
