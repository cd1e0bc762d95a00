#pragma once

// An atomically replaceable std::shared_ptr: std::atomic<std::shared_ptr<T>> where the standard
// library has it (C++20), the free atomic_load/atomic_store functions otherwise (C++17; they are
// deprecated in C++20). Readers get a pointer that stays valid for as long as they hold it.

#include <atomic>
#include <memory>
#include <utility>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

template <typename T>
class atomic_shared_ptr {
 public:
  atomic_shared_ptr() = default;
  explicit atomic_shared_ptr(std::shared_ptr<T> initial) : value_(std::move(initial)) {}
  atomic_shared_ptr(const atomic_shared_ptr&) = delete;
  atomic_shared_ptr& operator=(const atomic_shared_ptr&) = delete;

#if defined(__cpp_lib_atomic_shared_ptr) && __cpp_lib_atomic_shared_ptr >= 201711L
  std::shared_ptr<T> load() const noexcept { return value_.load(); }
  void store(std::shared_ptr<T> next) noexcept { value_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<T>> value_;
#else
  std::shared_ptr<T> load() const noexcept { return std::atomic_load(&value_); }
  void store(std::shared_ptr<T> next) noexcept { std::atomic_store(&value_, std::move(next)); }

 private:
  std::shared_ptr<T> value_;
#endif
};

}  // namespace detail
JOT_END_NAMESPACE
