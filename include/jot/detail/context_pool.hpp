#pragma once

// A handful of ready OpenSSL contexts kept by one key, so that a sign or verify reuses one
// instead of allocating a new context each time (for HMAC, the digest context each MAC resumes
// the key's absorbed states in). Lock-free and without shared writes in the common case: each
// thread has its own slot (one cache line each), so two threads verifying with one key do not
// contend; threads beyond the number of slots share slots, and one that finds its slot empty simply
// makes a new context. The contexts die with the pool, that is with the key, so no key material
// outlives the key in a cache somewhere else.

#include <atomic>
#include <cstddef>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

template <typename Context, void (*Free)(Context*)>
class context_pool {
 public:
  static constexpr std::size_t slot_count = 8;

  context_pool() = default;
  context_pool(const context_pool&) = delete;
  context_pool& operator=(const context_pool&) = delete;
  ~context_pool() {
    for (auto& slot : slots_) Free(slot.context.load(std::memory_order_acquire));
  }

  // This thread's pooled context, or nullptr when its slot is empty. The caller owns it until
  // it gives it back.
  Context* take() noexcept { return own_slot().exchange(nullptr, std::memory_order_acquire); }

  // Returns a context for reuse, or frees it when the slot is already full.
  void give_back(Context* context) noexcept {
    Context* empty = nullptr;
    if (!own_slot().compare_exchange_strong(empty, context, std::memory_order_release,
                                            std::memory_order_relaxed)) {
      Free(context);
    }
  }

 private:
  struct alignas(64) slot {
    std::atomic<Context*> context{nullptr};
  };

  std::atomic<Context*>& own_slot() noexcept {
    return slots_[thread_number() % slot_count].context;
  }

  // Threads are numbered in the order they first use any pool of this kind.
  static std::size_t thread_number() noexcept {
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t number = next.fetch_add(1, std::memory_order_relaxed);
    return number;
  }

  slot slots_[slot_count];
};

}  // namespace detail
JOT_END_NAMESPACE
