// Replaces the global operator new and delete for the whole jot_bench binary. libstdc++ routes
// the array and nothrow forms through these, so they see every C++ allocation.

#include "allocation_counter.hpp"

#include <cstddef>
#include <cstdlib>
#include <new>

#include <openssl/crypto.h>

namespace jot_bench {
namespace {

thread_local allocation_counts counts;

void* counting_openssl_malloc(std::size_t size, const char*, int) {
  ++counts.openssl;
  return std::malloc(size);
}

// A realloc counts as an allocation: it may move the block, and OpenSSL grows buffers with it.
void* counting_openssl_realloc(void* block, std::size_t size, const char*, int) {
  ++counts.openssl;
  return std::realloc(block, size);
}

void openssl_free(void* block, const char*, int) { std::free(block); }

void* counted_allocation(std::size_t size) {
  ++counts.cpp;
  // malloc(0) may return nullptr, which operator new must not.
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}

void* counted_aligned_allocation(std::size_t size, std::align_val_t alignment) {
  ++counts.cpp;
  const auto align = static_cast<std::size_t>(alignment);
  // aligned_alloc wants a size that is a multiple of the alignment.
  const std::size_t rounded = (size + align - 1) / align * align;
  if (void* block = std::aligned_alloc(align, rounded == 0 ? align : rounded)) return block;
  throw std::bad_alloc();
}

}  // namespace

allocation_counts allocations_so_far() noexcept { return counts; }

bool count_openssl_allocations() noexcept {
  return CRYPTO_set_mem_functions(counting_openssl_malloc, counting_openssl_realloc,
                                  openssl_free) == 1;
}

}  // namespace jot_bench

void* operator new(std::size_t size) { return jot_bench::counted_allocation(size); }
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void* operator new(std::size_t size, std::align_val_t alignment) {
  return jot_bench::counted_aligned_allocation(size, alignment);
}
void operator delete(void* block, std::align_val_t) noexcept { std::free(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { std::free(block); }
