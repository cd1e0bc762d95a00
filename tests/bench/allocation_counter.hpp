#pragma once

// Heap allocations made by the calling thread, counted for the "allocations per op" counters:
// C++ allocations through a replaced global operator new, OpenSSL's own through its memory
// functions. Per thread, so that a two-thread benchmark counts each thread's work once and no
// counting needs an atomic on the hot path. C allocations by other libraries (libjwt's jansson and
// libb64) are not seen.

#include <cstdint>

namespace jot_bench {

struct allocation_counts {
  std::uint64_t cpp = 0;      // operator new (every form: libstdc++ routes them through ours)
  std::uint64_t openssl = 0;  // CRYPTO_malloc and CRYPTO_realloc
};

// This thread's counts so far.
allocation_counts allocations_so_far() noexcept;

// Routes OpenSSL's allocations through the counter. OpenSSL accepts this only before it has
// allocated anything, so main() calls it first; false when it was too late.
bool count_openssl_allocations() noexcept;

}  // namespace jot_bench
