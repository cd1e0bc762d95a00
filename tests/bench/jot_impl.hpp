#pragma once

// jot_impl.cpp's implementation with a claim policy of the caller's: what the revocation
// benchmarks (revocation_impl.cpp) time. Apart from bench.hpp, which the peers' translation units
// include and which therefore names no jot type.

#include <memory>
#include <optional>

#include <jot/jot.hpp>

#include "bench.hpp"

namespace jot_bench {

// make_jot's implementation, its verifier built with `policy` as its validator (nullopt: the
// verifier_builder's default, which is make_jot itself). nullptr when the key does not load.
std::unique_ptr<token_implementation> make_jot_verifying_with(const jws_algorithm& alg,
                                                              const key_material& key,
                                                              std::optional<jot::validator> policy);

}  // namespace jot_bench
