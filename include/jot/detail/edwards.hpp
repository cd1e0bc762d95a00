#pragma once

// Edwards public keys that must never verify anything: the points of small order and the
// encodings that are not canonical.
//
// EdDSA verification checks [S]B = R + [k]A (RFC 8032 §5.1.7, §5.2.7). When A has small order,
// [k]A takes at most 8 values whatever the message, so R = identity, S = 0 (and its relatives)
// verifies any payload under the identity key, and a few guesses suffice for the others. RFC 8032
// does not forbid such keys and OpenSSL imports them; jot refuses them with errc::invalid_key.
//
// An encoding is the little-endian y coordinate with the sign of x in the top bit (RFC 8032
// §5.1.2, §5.2.2). A point of small order is fixed by its y: the curve is symmetric in x, so
// both signs are refused. The y values are derived from the torsion subgroups:
//   edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2, 8 torsion points): the identity (0, 1), order 2
//     (0, -1), order 4 (+-sqrt(-1), 0), order 8 the four points that double to order 4:
//     y(2P) = 0 means x^2 = -y^2, so d y^4 + 2 y^2 - 1 = 0, giving y8 and p - y8 below;
//   edwards448 (x^2 + y^2 = 1 + d x^2 y^2, 4 torsion points): (0, 1), (0, -1), (+-1, 0).
// Any y >= p is a second spelling of some field element: refused for every key, not only the
// small-order ones, so that each key has one encoding (RFC 8032 §5.1.3 step 1, §5.2.3 step 1).

#include <array>
#include <cstddef>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

template <std::size_t N>
using field_element = std::array<unsigned char, N>;  // little-endian

template <std::size_t N>
constexpr field_element<N> subtract(field_element<N> a, const field_element<N>& b) {
  int borrow = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const int difference = a[i] - b[i] - borrow;
    borrow = difference < 0 ? 1 : 0;
    a[i] = static_cast<unsigned char>(difference + 256 * borrow);
  }
  return a;
}

template <std::size_t N>
constexpr field_element<N> small_value(unsigned char value) {
  field_element<N> out{};
  out[0] = value;
  return out;
}

// p = 2^255 - 19.
inline constexpr field_element<32> ed25519_prime = [] {
  field_element<32> p{};
  for (auto& byte : p) byte = 0xff;
  p[0] = 0xed;
  p[31] = 0x7f;
  return p;
}();

// The root of d y^4 + 2 y^2 - 1 = 0 below p / 2, d = -121665 / 121666 (RFC 8032 §5.1).
inline constexpr field_element<32> ed25519_y8 = {
    0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
    0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05};

inline constexpr field_element<32> ed25519_small_order_y[] = {
    small_value<32>(1),                           // the identity
    subtract(ed25519_prime, small_value<32>(1)),  // order 2
    small_value<32>(0),                           // order 4
    ed25519_y8,                                   // order 8
    subtract(ed25519_prime, ed25519_y8),          // order 8
};

// p = 2^448 - 2^224 - 1.
inline constexpr field_element<56> ed448_prime = [] {
  field_element<56> p{};
  for (auto& byte : p) byte = 0xff;
  p[28] = 0xfe;
  return p;
}();

inline constexpr field_element<56> ed448_small_order_y[] = {
    small_value<56>(1),                         // the identity
    subtract(ed448_prime, small_value<56>(1)),  // order 2
    small_value<56>(0),                         // order 4
};

template <std::size_t N>
constexpr bool below(const unsigned char* y, const field_element<N>& bound) noexcept {
  for (std::size_t i = N; i-- > 0;) {
    if (y[i] != bound[i]) return y[i] < bound[i];
  }
  return false;
}

template <std::size_t N, std::size_t M>
constexpr bool acceptable_y(const field_element<N>& y, const field_element<N> (&small)[M],
                            const field_element<N>& prime) noexcept {
  if (!below(y.data(), prime)) return false;
  for (const auto& s : small) {
    if (y == s) return false;
  }
  return true;
}

// True when `encoded` (an Ed25519 or Ed448 public key, or an Ed25519 signature's R, told apart by
// their sizes) is a canonical y of a point that is not of small order. Whether the point exists at
// all is OpenSSL's check, at verification.
inline bool acceptable_edwards_key(const unsigned char* encoded, std::size_t size) noexcept {
  constexpr std::size_t ed25519_size = ed25519_prime.size();  // y, its top bit the sign of x
  constexpr std::size_t ed448_size = ed448_prime.size() + 1;  // y, then a sign octet
  if (size == ed25519_size) {
    field_element<ed25519_size> y{};
    for (std::size_t i = 0; i < ed25519_size; ++i) y[i] = encoded[i];
    y[ed25519_size - 1] &= 0x7f;
    return acceptable_y(y, ed25519_small_order_y, ed25519_prime);
  }
  if (size == ed448_size) {
    if ((encoded[ed448_size - 1] & 0x7f) != 0) return false;  // only the sign bit (§5.2.2)
    field_element<ed448_size - 1> y{};
    for (std::size_t i = 0; i + 1 < ed448_size; ++i) y[i] = encoded[i];
    return acceptable_y(y, ed448_small_order_y, ed448_prime);
  }
  return false;
}

}  // namespace detail
JOT_END_NAMESPACE
