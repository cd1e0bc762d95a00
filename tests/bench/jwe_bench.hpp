#pragma once

// The encrypted-token rows of jot_bench (jwe_bench.cpp): decrypt and decrypt_and_verify, jot
// against a strict floor measured in the same run.

namespace jot_bench {

// Makes the keys and tokens and checks that jot and the floor decrypt them to the same bytes;
// false (nothing may be timed) otherwise.
bool set_up_jwe();

// Registers the rows set_up_jwe prepared.
void register_jwe_benchmarks();

}  // namespace jot_bench
