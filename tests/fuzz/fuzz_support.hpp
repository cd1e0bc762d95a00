#pragma once

// What every fuzz target shares: the invariant check, and a reader that turns the fuzzer's bytes
// into typed values (plus the matching writer, which the corpus generator uses to write seeds in
// exactly the format the targets read).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include <jot/jot.hpp>

namespace jot_fuzz {

// An invariant does not hold: print where and abort, so libFuzzer saves the input as a crash and
// the replay test fails. abort() rather than a silent exit: the fuzzer only reports signals.
[[noreturn]] inline void invariant_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

#define JOT_FUZZ_CHECK(condition)     \
  ((condition) ? static_cast<void>(0) \
               : ::jot_fuzz::invariant_failed(#condition, __FILE__, __LINE__))

// True when `code` is an error jot defines (not some other category, not success): a rejection
// must always be one specific, named jot::errc.
inline bool is_jot_error(const std::error_code& code) {
  return code && code.category() == jot::error_category() &&
         std::string_view(jot::errc_name(code)) != "unknown_error";
}

// Two results are the same: equal values, or the same error.
template <typename T>
bool same_result(const jot::result<T>& a, const jot::result<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  return a.has_value() ? *a == *b : a.error() == b.error();
}

// Typed values from the front of the fuzzer's input. Past the end every read yields zero or an
// empty string, so any input, however short, is a valid (small) case and nothing is rejected.
class input_reader {
 public:
  input_reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const noexcept { return at_ == size_; }
  std::size_t remaining() const noexcept { return size_ - at_; }

  std::uint8_t byte() noexcept { return at_ < size_ ? data_[at_++] : 0; }

  std::uint64_t u64() noexcept {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | byte();
    return value;
  }

  std::int64_t i64() noexcept { return static_cast<std::int64_t>(u64()); }

  double f64() noexcept {
    const std::uint64_t bits = u64();
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

  // A string of at most 255 bytes, its length in the first byte.
  std::string text() {
    const std::size_t length = byte();
    const std::size_t take = length < remaining() ? length : remaining();
    std::string out(reinterpret_cast<const char*>(data_ + at_), take);
    at_ += take;
    return out;
  }

  // Everything not read yet.
  std::string_view rest() noexcept {
    std::string_view out(reinterpret_cast<const char*>(data_ + at_), size_ - at_);
    at_ = size_;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

// The inverse of input_reader, for writing seed inputs.
class input_writer {
 public:
  input_writer& byte(std::uint8_t value) {
    out_.push_back(static_cast<char>(value));
    return *this;
  }
  input_writer& u64(std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) byte(static_cast<std::uint8_t>(value >> shift));
    return *this;
  }
  input_writer& i64(std::int64_t value) { return u64(static_cast<std::uint64_t>(value)); }
  input_writer& f64(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return u64(bits);
  }
  input_writer& text(std::string_view value) {
    byte(static_cast<std::uint8_t>(value.size() < 255 ? value.size() : 255));
    out_.append(value.substr(0, 255));
    return *this;
  }
  input_writer& rest(std::string_view value) {
    out_.append(value);
    return *this;
  }
  const std::string& bytes() const noexcept { return out_; }

 private:
  std::string out_;
};

}  // namespace jot_fuzz
