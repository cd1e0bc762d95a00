#pragma once

// jot::dpop, sender-constrained tokens (RFC 9449, DPoP): a client proves on every request that it
// holds a private key, and a token bound to that key's thumbprint (`cnf.jkt`) is useless without
// it. docs/dpop.md says what it protects against and what it costs.
//  - verifier (verifier.hpp, verifier_builder.hpp): checks a proof against its request;
//  - proof.hpp: the request and the verified proof, `ath`, oauth_error() for the RFC 9449 error
//    of each code; it brings the proven key a verified proof holds and check_binding() for a
//    token's `cnf.jkt`, which live in the session layer (the session manager binds to them);
//  - replay_store.hpp and nonce.hpp: the replay store (memory here, Redis in jot::redis) and
//    server nonces;
//  - proof_signer.hpp: the client side, for C++ services;
//  - htu.hpp: how `htu` and the request URI are compared.
// A layer above the token core: it uses the core (and the session layer's store conventions), and
// the core never includes it.

#include "jot/dpop/htu.hpp"
#include "jot/dpop/nonce.hpp"
#include "jot/dpop/proof.hpp"
#include "jot/dpop/proof_signer.hpp"
#include "jot/dpop/replay_store.hpp"
#include "jot/dpop/verifier.hpp"
#include "jot/dpop/verifier_builder.hpp"
