#pragma once

// ECDSA signatures in JWS are the fixed-width big-endian concatenation R || S (RFC 7518 §3.4);
// OpenSSL speaks DER (SEQUENCE { INTEGER r, INTEGER s }). These convert between the two without
// BIGNUMs, into caller-provided buffers, so the verify hot path allocates nothing for it.

#include <cstddef>
#include <cstring>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::size_t max_ecdsa_width = 66;  // P-521: ceil(521 / 8)
// SEQUENCE header (3 with a long-form length) + two INTEGERs of up to width + 1 bytes + 2.
inline constexpr std::size_t max_ecdsa_der_size = 3 + 2 * (2 + max_ecdsa_width + 1);

// 1 <= value < order, both big-endian of `width` bytes (SEC 1 §4.1.4 step 1). A zero r or s is
// the "psychic signature" of CVE-2022-21449; it is refused here whatever the crypto library does.
// Signature values are public, so this comparison need not be constant time.
inline bool in_scalar_range(const unsigned char* value, const unsigned char* order,
                            std::size_t width) noexcept {
  bool nonzero = false;
  for (std::size_t i = 0; i < width; ++i) nonzero = nonzero || value[i] != 0;
  return nonzero && std::memcmp(value, order, width) < 0;
}

inline std::size_t der_integer(const unsigned char* value, std::size_t width,
                               unsigned char* out) noexcept {
  std::size_t skip = 0;
  while (skip + 1 < width && value[skip] == 0) ++skip;
  const bool pad = (value[skip] & 0x80) != 0;  // keep the INTEGER positive
  const std::size_t length = width - skip + (pad ? 1 : 0);
  out[0] = 0x02;
  out[1] = static_cast<unsigned char>(length);
  std::size_t at = 2;
  if (pad) out[at++] = 0;
  std::memcpy(out + at, value + skip, width - skip);
  return 2 + length;
}

// R || S (each `width` bytes) -> DER into `out` (max_ecdsa_der_size bytes). Returns the size.
inline std::size_t ecdsa_raw_to_der(const unsigned char* raw, std::size_t width,
                                    unsigned char* out) noexcept {
  unsigned char body[max_ecdsa_der_size];
  std::size_t body_size = der_integer(raw, width, body);
  body_size += der_integer(raw + width, width, body + body_size);
  std::size_t at = 0;
  out[at++] = 0x30;
  if (body_size >= 0x80) out[at++] = 0x81;  // P-521 bodies reach 138 bytes
  out[at++] = static_cast<unsigned char>(body_size);
  std::memcpy(out + at, body, body_size);
  return at + body_size;
}

// Reads one DER INTEGER at `der` into `width` right-aligned bytes; returns bytes consumed or 0.
inline std::size_t read_der_integer(const unsigned char* der, std::size_t size, std::size_t width,
                                    unsigned char* out) noexcept {
  if (size < 3 || der[0] != 0x02 || der[1] >= 0x80 || der[1] == 0 || der[1] + 2u > size) return 0;
  std::size_t length = der[1];
  const unsigned char* value = der + 2;
  if (value[0] == 0 && length > 1) {  // the sign byte of a positive INTEGER
    ++value;
    --length;
  }
  if (length > width) return 0;
  std::memset(out, 0, width - length);
  std::memcpy(out + width - length, value, length);
  return 2u + der[1];
}

// DER (as OpenSSL signs) -> R || S of `width` bytes each into `raw`. False if it does not parse.
inline bool ecdsa_der_to_raw(const unsigned char* der, std::size_t size, std::size_t width,
                             unsigned char* raw) noexcept {
  if (size < 2 || der[0] != 0x30) return false;
  std::size_t at = 2, body = der[1];
  if (der[1] == 0x81) {
    if (size < 3) return false;
    body = der[2];
    at = 3;
  } else if (der[1] >= 0x80) {
    return false;
  }
  if (at + body != size) return false;
  const std::size_t r = read_der_integer(der + at, size - at, width, raw);
  if (r == 0) return false;
  const std::size_t s = read_der_integer(der + at + r, size - at - r, width, raw + width);
  return s != 0 && at + r + s == size;
}

}  // namespace detail
JOT_END_NAMESPACE
