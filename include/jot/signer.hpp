#pragma once

// The two interfaces behind every key: a `signer` produces JWS signatures for one algorithm and a
// `signature_verifier` checks them. jot's built-in keys implement them; an application can too,
// for a private key that lives in an HSM or a remote KMS (wrap it with signing_key::from_signer).
//
// Contract for implementations: immutable after construction and safe to call from many threads
// at once; `alg()` never changes; a verifier returns errc::invalid_signature for any signature it
// does not accept and must compare in constant time.

#include <string>
#include <string_view>

#include "jot/algorithm.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// Makes signatures for one algorithm; see the top of this file for the contract.
class signer {
 public:
  virtual ~signer() = default;
  // The one algorithm it signs with; the `alg` header of every token signed by it.
  virtual algorithm alg() const noexcept = 0;
  // Signs the JWS signing input, ASCII(BASE64URL(header) '.' BASE64URL(payload))
  // (RFC 7515 §5.1), and returns the raw signature bytes in their JWS form.
  virtual result<std::string> sign(std::string_view signing_input) const = 0;
};

// Checks signatures of one algorithm; see the top of this file for the contract.
class signature_verifier {
 public:
  virtual ~signature_verifier() = default;
  // The one algorithm it checks; a token naming another is refused before it is called.
  virtual algorithm alg() const noexcept = 0;
  // `signature` is the decoded third segment. Success only if it is exactly the JWS form of a
  // valid signature over `signing_input` (RFC 7515 §5.2 step 8).
  virtual result<void> verify(std::string_view signing_input, std::string_view signature) const = 0;
};

JOT_END_NAMESPACE
