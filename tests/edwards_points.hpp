#pragma once

// Edwards public-key encodings that must never become keys (RFC 8032 §5.1.2-5.1.3, §5.2.2-5.2.3):
// the points of small order, in every encoding, and encodings of y >= p. They are derived here
// from the curve equations with OpenSSL's BIGNUM arithmetic, independently of jot's constants:
//   edwards25519: -x^2 + y^2 = 1 + d x^2 y^2, d = -121665/121666, p = 2^255 - 19. Its torsion
//     subgroup has 8 points: (0, 1), (0, -1), (+-sqrt(-1), 0), and four points of order 8 whose
//     double has y = 0, i.e. x^2 = -y^2, so d y^4 + 2 y^2 - 1 = 0.
//   edwards448: x^2 + y^2 = 1 + d x^2 y^2, p = 2^448 - 2^224 - 1; torsion (0, 1), (0, -1),
//     (+-1, 0).

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <openssl/bn.h>
#include <openssl/err.h>

#include "catch.hpp"

namespace jot_test {

struct edwards_encoding {
  std::string name;
  bool ed448;
  std::string bytes;  // 32 or 57 octets
};

namespace edwards_detail {

struct bn_free {
  void operator()(BIGNUM* n) const { BN_free(n); }
};
struct bn_ctx_free {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using bn = std::unique_ptr<BIGNUM, bn_free>;

inline bn number(const char* decimal_or_hex, bool hex = false) {
  BIGNUM* n = nullptr;
  REQUIRE((hex ? BN_hex2bn(&n, decimal_or_hex) : BN_dec2bn(&n, decimal_or_hex)) > 0);
  return bn(n);
}

// `y` little-endian in `size` octets, the sign of x in the top bit of the last octet.
inline std::string encode(const BIGNUM* y, std::size_t size, bool x_negative) {
  std::string out(size, '\0');
  REQUIRE(BN_bn2lebinpad(y, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) ==
          static_cast<int>(size));
  if (x_negative) out[size - 1] = static_cast<char>(out[size - 1] | 0x80);
  return out;
}

}  // namespace edwards_detail

// Every encoding jot must refuse, each with a name saying what it is.
inline std::vector<edwards_encoding> refused_edwards_encodings() {
  using namespace edwards_detail;
  std::unique_ptr<BN_CTX, bn_ctx_free> ctx(BN_CTX_new());
  REQUIRE(ctx);
  std::vector<edwards_encoding> out;
  const auto add = [&out](std::string name, bool ed448, const BIGNUM* y, std::size_t size) {
    out.push_back({name + ", x positive", ed448, encode(y, size, false)});
    out.push_back({name + ", x negative", ed448, encode(y, size, true)});
  };

  // edwards25519.
  const bn p = number("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed", true);
  const bn zero = number("0"), one = number("1");
  bn minus_one(BN_new()), d(BN_new()), t(BN_new()), y2(BN_new()), y8(BN_new()), y8_neg(BN_new());
  REQUIRE(BN_sub(minus_one.get(), p.get(), one.get()) == 1);
  // d = -121665 / 121666 mod p.
  const bn num = number("121665"), den = number("121666");
  REQUIRE(BN_mod_inverse(d.get(), den.get(), p.get(), ctx.get()) != nullptr);
  REQUIRE(BN_mod_mul(d.get(), d.get(), num.get(), p.get(), ctx.get()) == 1);
  REQUIRE(BN_mod_sub(d.get(), p.get(), d.get(), p.get(), ctx.get()) == 1);
  // y^2 = (-1 +- sqrt(1 + d)) / d; the root whose y^2 is a square gives y8 and p - y8.
  REQUIRE(BN_mod_add(t.get(), one.get(), d.get(), p.get(), ctx.get()) == 1);
  REQUIRE(BN_mod_sqrt(t.get(), t.get(), p.get(), ctx.get()) != nullptr);
  bn d_inverse(BN_new());
  REQUIRE(BN_mod_inverse(d_inverse.get(), d.get(), p.get(), ctx.get()) != nullptr);
  bool found = false;
  for (int sign = 0; sign < 2 && !found; ++sign) {
    bn root(BN_dup(t.get()));
    if (sign == 1) REQUIRE(BN_mod_sub(root.get(), p.get(), t.get(), p.get(), ctx.get()) == 1);
    REQUIRE(BN_mod_sub(y2.get(), root.get(), one.get(), p.get(), ctx.get()) == 1);
    REQUIRE(BN_mod_mul(y2.get(), y2.get(), d_inverse.get(), p.get(), ctx.get()) == 1);
    ERR_set_mark();
    found = BN_mod_sqrt(y8.get(), y2.get(), p.get(), ctx.get()) != nullptr;
    ERR_pop_to_mark();
  }
  REQUIRE(found);
  REQUIRE(BN_mod_sub(y8_neg.get(), p.get(), y8.get(), p.get(), ctx.get()) == 1);
  add("Ed25519 identity (0, 1)", false, one.get(), 32);
  add("Ed25519 order 2 (0, -1)", false, minus_one.get(), 32);
  add("Ed25519 order 4 (+-sqrt(-1), 0)", false, zero.get(), 32);
  add("Ed25519 order 8, y8", false, y8.get(), 32);
  add("Ed25519 order 8, p - y8", false, y8_neg.get(), 32);
  // y >= p: non-canonical spellings of 0 and 1 (both small order) and the largest y.
  bn p_plus_one(BN_new());
  REQUIRE(BN_add(p_plus_one.get(), p.get(), one.get()) == 1);
  add("Ed25519 y = p (non-canonical 0)", false, p.get(), 32);
  add("Ed25519 y = p + 1 (non-canonical identity)", false, p_plus_one.get(), 32);
  const bn y_max = number("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", true);
  add("Ed25519 y = 2^255 - 1 (non-canonical 18)", false, y_max.get(), 32);

  // edwards448: y is 56 octets, the 57th holds only the sign of x.
  bn p448 = number(
      "fffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffffffffffffffffffffffffffff"
      "ffffffffffffffffffffffff",
      true);
  bn minus_one_448(BN_new()), p448_plus_one(BN_new());
  REQUIRE(BN_sub(minus_one_448.get(), p448.get(), one.get()) == 1);
  REQUIRE(BN_add(p448_plus_one.get(), p448.get(), one.get()) == 1);
  add("Ed448 identity (0, 1)", true, one.get(), 57);
  add("Ed448 order 2 (0, -1)", true, minus_one_448.get(), 57);
  add("Ed448 order 4 (+-1, 0)", true, zero.get(), 57);
  add("Ed448 y = p (non-canonical 0)", true, p448.get(), 57);
  add("Ed448 y = p + 1 (non-canonical identity)", true, p448_plus_one.get(), 57);
  return out;
}

// SubjectPublicKeyInfo DER for a raw Edwards key (RFC 8410 §4): the fixed prefix, then the key.
inline std::string edwards_spki(const edwards_encoding& key) {
  static const char ed25519_prefix[] = "\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00";
  static const char ed448_prefix[] = "\x30\x43\x30\x05\x06\x03\x2b\x65\x71\x03\x3a\x00";
  return std::string(key.ed448 ? ed448_prefix : ed25519_prefix, 12) + key.bytes;
}

}  // namespace jot_test
