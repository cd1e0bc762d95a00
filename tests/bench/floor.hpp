#pragma once

// The strict floor: what a correct, straightforward JWT implementation on OpenSSL 3 and
// nlohmann/json costs, written without jot so that jot's numbers have a yardstick measured in the
// same run. Verify is: split into exactly three segments, strict base64url, nlohmann::json::parse
// of header and payload, the `alg` and `exp` checks, and the signature with a pre-keyed OpenSSL
// context. Sign is: build the header and payload with nlohmann, dump, encode, sign.
// `prekeyed_signature` alone is the benchmark's `crypto` implementation (the signature in its JWS
// form and nothing else). Self-contained (no jot, no Google Benchmark), so that
// compile_cost/handwritten.cpp can stand for the hand-written twin of a TU that uses jot.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <nlohmann/json.hpp>

namespace jot_bench::strict_floor {

enum class signature_family { hmac, rsa_pkcs1, rsa_pss, ecdsa, eddsa };

struct jws_algorithm {
  const char* name;                  // the header's `alg`, and <ALG> in benchmark names
  const char* fully_specified_name;  // RFC 9864: names the curve where `name` does not
  signature_family family;
  const char* digest;  // OpenSSL digest name; nullptr for EdDSA, which hashes internally
  std::size_t ecdsa_coordinate_size;  // R and S each take this many bytes in a JWS signature
};

// The benchmarked algorithms: the table every benchmark, check and report row comes from.
inline constexpr jws_algorithm jws_algorithms[] = {
    {"HS256", "HS256", signature_family::hmac, "SHA256", 0},
    {"RS256", "RS256", signature_family::rsa_pkcs1, "SHA256", 0},
    {"PS256", "PS256", signature_family::rsa_pss, "SHA256", 0},
    {"ES256", "ES256", signature_family::ecdsa, "SHA256", 32},
    {"EdDSA", "Ed25519", signature_family::eddsa, nullptr, 0},
};

template <typename T, void (*Free)(T*)>
struct openssl_free {
  void operator()(T* object) const { Free(object); }
};
template <typename T, void (*Free)(T*)>
using openssl_ptr = std::unique_ptr<T, openssl_free<T, Free>>;
using bio_ptr = openssl_ptr<BIO, BIO_free_all>;
using pkey_ptr = openssl_ptr<EVP_PKEY, EVP_PKEY_free>;
using mac_ptr = openssl_ptr<EVP_MAC, EVP_MAC_free>;
using mac_ctx_ptr = openssl_ptr<EVP_MAC_CTX, EVP_MAC_CTX_free>;
using md_ctx_ptr = openssl_ptr<EVP_MD_CTX, EVP_MD_CTX_free>;
using ecdsa_sig_ptr = openssl_ptr<ECDSA_SIG, ECDSA_SIG_free>;

inline const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// RFC 4648 §5 without padding. Strict: no `=`, no character outside the alphabet, no length that
// leaves a lone character, and the unused low bits of the last character must be zero, so that
// one token has exactly one encoding.
inline std::optional<std::string> base64url_decode(std::string_view text) {
  static constexpr std::array<signed char, 256> values = [] {
    std::array<signed char, 256> table{};
    for (auto& value : table) value = -1;
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
      table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    }
    return table;
  }();
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    const signed char value = values[static_cast<unsigned char>(c)];
    if (value < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xff));
    }
  }
  if ((bits & ((1u << bit_count) - 1)) != 0) return std::nullopt;
  return out;
}

inline void base64url_encode_append(std::string_view bytes, std::string& out) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (char c : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    bit_count += 8;
    while (bit_count >= 6) {
      bit_count -= 6;
      out.push_back(alphabet[(bits >> bit_count) & 0x3f]);
    }
  }
  if (bit_count > 0) out.push_back(alphabet[(bits << (6 - bit_count)) & 0x3f]);
}

// A key set up once: the HMAC context keyed, or the digest-sign/verify context initialised with
// the key, the digest and (PS256) the PSS parameters. Each operation copies that template, so no
// call fetches an implementation or parses a key. Safe to use from several threads (copying only
// reads the template).
class prekeyed_signature {
 public:
  static std::optional<prekeyed_signature> hmac(const jws_algorithm& alg, std::string_view secret) {
    prekeyed_signature key(alg);
    const mac_ptr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) return std::nullopt;
    key.mac_template_.reset(EVP_MAC_CTX_new(mac.get()));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(alg.digest), 0),
        OSSL_PARAM_construct_end()};
    if (!key.mac_template_ ||
        EVP_MAC_init(key.mac_template_.get(), bytes_of(secret), secret.size(), params) != 1) {
      return std::nullopt;
    }
    return key;
  }

  // A PEM private key signs and verifies; a PEM public key (SPKI) only verifies.
  static std::optional<prekeyed_signature> from_pem(const jws_algorithm& alg, std::string_view pem,
                                                    bool is_private) {
    prekeyed_signature key(alg);
    const bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    key.pkey_.reset(!bio         ? nullptr
                    : is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                                 : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key.pkey_) return std::nullopt;
    key.verify_template_ = key.initialised_context(false);
    if (is_private) key.sign_template_ = key.initialised_context(true);
    if (!key.verify_template_ || (is_private && !key.sign_template_)) return std::nullopt;
    return key;
  }

  // The signature of `input` as a JWS carries it (R || S for ECDSA); nullopt on failure.
  std::optional<std::string> sign(std::string_view input) const {
    if (mac_template_) {
      std::string mac(EVP_MAX_MD_SIZE, '\0');
      std::size_t size = 0;
      if (!mac_of(input, mac, size)) return std::nullopt;
      mac.resize(size);
      return mac;
    }
    if (!sign_template_) return std::nullopt;
    const md_ctx_ptr ctx(EVP_MD_CTX_new());
    std::string signature(static_cast<std::size_t>(EVP_PKEY_get_size(pkey_.get())), '\0');
    std::size_t size = signature.size();
    if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), sign_template_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                       bytes_of(input), input.size()) != 1) {
      return std::nullopt;
    }
    signature.resize(size);
    if (alg_->family != signature_family::ecdsa) return signature;
    return der_to_jws(signature);
  }

  bool verify(std::string_view input, std::string_view signature) const {
    if (mac_template_) {
      std::string mac(EVP_MAX_MD_SIZE, '\0');
      std::size_t size = 0;
      return mac_of(input, mac, size) && size == signature.size() &&
             CRYPTO_memcmp(mac.data(), signature.data(), size) == 0;
    }
    std::string der;
    if (alg_->family == signature_family::ecdsa) {
      auto converted = jws_to_der(signature);
      if (!converted) return false;
      der = std::move(*converted);
      signature = der;
    }
    const md_ctx_ptr ctx(EVP_MD_CTX_new());
    return ctx && EVP_MD_CTX_copy_ex(ctx.get(), verify_template_.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(input),
                            input.size()) == 1;
  }

 private:
  explicit prekeyed_signature(const jws_algorithm& alg) : alg_(&alg) {}

  bool mac_of(std::string_view input, std::string& mac, std::size_t& size) const {
    const mac_ctx_ptr ctx(EVP_MAC_CTX_dup(mac_template_.get()));
    return ctx && EVP_MAC_update(ctx.get(), bytes_of(input), input.size()) == 1 &&
           EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(mac.data()), &size,
                         mac.size()) == 1;
  }

  md_ctx_ptr initialised_context(bool for_signing) const {
    md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx) return nullptr;
    // RFC 7518 §3.5: MGF1 with the same hash, and a salt as long as the hash.
    OSSL_PARAM pss[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE,
                                         const_cast<char*>(OSSL_PKEY_RSA_PAD_MODE_PSS), 0),
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST,
                                         const_cast<char*>(alg_->digest), 0),
        OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN,
                                         const_cast<char*>(OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST), 0),
        OSSL_PARAM_construct_end()};
    const OSSL_PARAM* params = alg_->family == signature_family::rsa_pss ? pss : nullptr;
    const int initialised = for_signing
                                ? EVP_DigestSignInit_ex(ctx.get(), nullptr, alg_->digest, nullptr,
                                                        nullptr, pkey_.get(), params)
                                : EVP_DigestVerifyInit_ex(ctx.get(), nullptr, alg_->digest, nullptr,
                                                          nullptr, pkey_.get(), params);
    return initialised == 1 ? std::move(ctx) : nullptr;
  }

  // OpenSSL speaks DER (SEQUENCE of two INTEGERs); JWS speaks R || S, each of the coordinate
  // size (RFC 7518 §3.4).
  std::optional<std::string> der_to_jws(std::string_view der) const {
    const unsigned char* cursor = bytes_of(der);
    const ecdsa_sig_ptr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
    if (!sig) return std::nullopt;
    const std::size_t width = alg_->ecdsa_coordinate_size;
    std::string raw(2 * width, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, static_cast<int>(width)) < 0 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + width, static_cast<int>(width)) < 0) {
      return std::nullopt;
    }
    return raw;
  }

  std::optional<std::string> jws_to_der(std::string_view raw) const {
    const std::size_t width = alg_->ecdsa_coordinate_size;
    if (raw.size() != 2 * width) return std::nullopt;
    ecdsa_sig_ptr sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(bytes_of(raw), static_cast<int>(width), nullptr);
    BIGNUM* s = BN_bin2bn(bytes_of(raw) + width, static_cast<int>(width), nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return std::nullopt;
    }
    unsigned char* der = nullptr;
    const int size = i2d_ECDSA_SIG(sig.get(), &der);
    if (size <= 0) return std::nullopt;
    std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return out;
  }

  const jws_algorithm* alg_;
  pkey_ptr pkey_;
  mac_ctx_ptr mac_template_;
  md_ctx_ptr verify_template_;
  md_ctx_ptr sign_template_;
};

struct token_segments {
  std::string_view header, payload, signature;
  std::string_view signing_input;  // header.payload, what the signature covers
};

// Exactly three segments (two dots), as a compact JWS has.
inline std::optional<token_segments> split(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return token_segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                        token.substr(second + 1), token.substr(0, second)};
}

// Sign and verify compact JWTs of one algorithm with one key.
class strict_jwt {
 public:
  strict_jwt(const jws_algorithm& alg, prekeyed_signature key) : alg_(&alg), key_(std::move(key)) {}

  // The header is {"alg", "typ": "JWT"} and, when given, "kid".
  std::optional<std::string> sign(const nlohmann::json& payload, const char* kid = nullptr) const {
    nlohmann::json header{{"alg", alg_->name}, {"typ", "JWT"}};
    if (kid != nullptr) header["kid"] = kid;
    std::string token;
    base64url_encode_append(header.dump(), token);
    token.push_back('.');
    base64url_encode_append(payload.dump(), token);
    const auto signature = key_.sign(token);
    if (!signature) return std::nullopt;
    token.push_back('.');
    base64url_encode_append(*signature, token);
    return token;
  }

  // The payload of a token whose alg is this key's, whose signature holds and whose `exp` (a
  // required number) lies in the future; nullopt for any other token.
  std::optional<nlohmann::json> verify(std::string_view token) const {
    const auto segments = split(token);
    if (!segments) return std::nullopt;
    const auto header_text = base64url_decode(segments->header);
    const auto payload_text = base64url_decode(segments->payload);
    const auto signature = base64url_decode(segments->signature);
    if (!header_text || !payload_text || !signature) return std::nullopt;
    const auto header = nlohmann::json::parse(*header_text, nullptr, false);
    if (!header.is_object()) return std::nullopt;
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string() ||
        alg->get_ref<const std::string&>() != alg_->name) {
      return std::nullopt;
    }
    if (!key_.verify(segments->signing_input, *signature)) return std::nullopt;
    auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
    if (!payload.is_object()) return std::nullopt;
    const auto exp = payload.find("exp");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (exp == payload.end() || !exp->is_number() ||
        exp->get<double>() <= static_cast<double>(now)) {
      return std::nullopt;
    }
    return payload;
  }

 private:
  const jws_algorithm* alg_;
  prekeyed_signature key_;
};

}  // namespace jot_bench::strict_floor
