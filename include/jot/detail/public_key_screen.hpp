#pragma once

// The screen that keeps a public key from becoming an HMAC secret, run once per HMAC key
// (detail/hmac.hpp).

#include <string_view>

#include "jot/config.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// True when `bytes` is recognisably a public key or certificate in a common encoding. Such
// bytes are public, so an HMAC key made of them lets anyone forge tokens: the classic RS256 ->
// HS256 confusion (RFC 8725 §2.1). jot's typed keys already rule that out at verification; this
// refuses the mistake at key construction too.
// Decided by parsing, never by length or substrings of the encoded forms: an Ed25519 SPKI is
// only 60 base64 characters, and JSON can spell a member name in many ways.
JOT_INLINE result<bool> looks_like_public_key(std::string_view bytes);

}  // namespace detail
JOT_END_NAMESPACE

// The definitions, unless <jot/compile_once.hpp> compiles them once (JOT_INLINE, config.hpp).
#ifndef JOT_SEPARATE_COMPILATION
#include "jot/detail/public_key_screen_impl.hpp"
#endif
