#pragma once

// HMAC-SHA2 for HS256/384/512 (RFC 7518 §3.2, RFC 2104) on OpenSSL 3's EVP digests.
// Speed: the digest is fetched once per process and the key schedule (the inner and outer pads
// absorbed into their hash states) is done once per key, which a one-shot HMAC call repeats every
// time. A sign or verify takes a digest context from the key's pool (context_pool.hpp), copies
// the inner state into it, then the outer one.

#include <cctype>
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/x509.h>
#include <nlohmann/json.hpp>

#include "jot/algorithm.hpp"
#include "jot/detail/context_pool.hpp"
#include "jot/detail/openssl.hpp"
#include "jot/detail/text.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"
#include "jot/secret.hpp"
#include "jot/signer.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// OpenSSL's HMAC, for JWE's AES-CBC-HMAC content encryption (jwe/detail/content_cipher.hpp).
inline EVP_MAC* hmac_implementation() noexcept {
  static fetched_algorithm<EVP_MAC, &EVP_MAC_fetch, &EVP_MAC_free> mac;
  return mac.get("HMAC");
}

// True when `bytes` is recognisably a public key or certificate in a common encoding. Such
// bytes are public, so an HMAC key made of them lets anyone forge tokens: the classic RS256 ->
// HS256 confusion (RFC 8725 §2.1). jot's typed keys already rule that out at verification; this
// refuses the mistake at key construction too.
// DER: a SubjectPublicKeyInfo, a PKCS#1 RSAPublicKey, or an X.509 certificate. When OpenSSL
// cannot run the check (errc::crypto_failure) the answer is unknown, and the key is not made:
// failing open here would let a public key through.
inline result<bool> is_der_public_key(std::string_view bytes) {
  if (bytes.empty() || static_cast<unsigned char>(bytes.front()) != 0x30) return false;
  const auto* der = reinterpret_cast<const unsigned char*>(bytes.data());
  {
    const unsigned char* cursor = der;
    const x509_ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(bytes.size())));
    if (certificate) return true;
  }
  EVP_PKEY* key = nullptr;
  const decoder_ctx_ptr decoder(OSSL_DECODER_CTX_new_for_pkey(
      &key, "DER", nullptr, nullptr, EVP_PKEY_PUBLIC_KEY, nullptr, nullptr));
  if (!decoder) {
    clear_openssl_errors();
    return errc::crypto_failure;
  }
  const unsigned char* cursor = der;
  std::size_t remaining = bytes.size();
  const bool decoded = OSSL_DECODER_from_data(decoder.get(), &cursor, &remaining) == 1;
  const evp_pkey_ptr owned(key);
  clear_openssl_errors();
  return decoded && owned != nullptr;
}

// The bytes that base64 text stands for, in the standard (RFC 4648 §4) or the base64url (§5)
// alphabet, padded or not, whitespace anywhere ignored; nullopt when `text` is not such text.
inline std::optional<std::string> base64_any_alphabet(std::string_view text) {
  std::string compact;
  std::size_t padding = 0;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding != 0) return std::nullopt;  // data after padding
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    if (!std::isalnum(u) && c != '+' && c != '/') return std::nullopt;
    compact.push_back(c);
  }
  if (compact.empty() || padding > 2 || compact.size() % 4 == 1) return std::nullopt;
  const std::size_t missing = (4 - compact.size() % 4) % 4;
  compact.append(missing, '=');
  std::string bytes(compact.size() / 4 * 3, '\0');
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                   reinterpret_cast<const unsigned char*>(compact.data()),
                                   static_cast<int>(compact.size()));
  if (size < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding it was given as zero bytes.
  bytes.resize(static_cast<std::size_t>(size) - missing);
  return bytes;
}

// Finds a JWK (an object with `kty`, RFC 7517 §4.1), a JWK Set ({"keys": [...]}, §5) or an array
// of JWKs in the first JSON value of a text. A SAX reader sees member names unescaped, stops at
// the first `kty` in one of those places, and ignores what follows the value, as DER parsing does:
// a public key with something appended is still a public key.
class jwk_detector {
 public:
  bool found() const noexcept { return found_; }

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(nlohmann::json::number_integer_t) { return true; }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return true; }
  bool number_float(nlohmann::json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }
  bool binary(nlohmann::json::binary_t&) { return true; }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  bool key(std::string& name) {
    if (depth_ > 3) return true;  // deeper than any place a JWK's kty can be
    frames_[depth_ - 1].member = name;
    if (name != "kty") return true;
    const bool top_level = depth_ == 1;
    const bool in_array = depth_ == 2 && !frames_[0].object;
    const bool in_set =
        depth_ == 3 && frames_[0].object && !frames_[1].object && frames_[0].member == "keys";
    found_ = top_level || in_array || in_set;
    return !found_;  // found: stop reading
  }

 private:
  struct frame {
    bool object = false;
    std::string member;  // the member being read, in an object
  };

  bool open(bool object) {
    if (depth_ < 3) frames_[depth_] = frame{object, {}};
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  frame frames_[3];
  std::size_t depth_ = 0;
  bool found_ = false;
};

inline bool is_jwk_text(std::string_view text) {
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return false;
  jwk_detector detector;
  (void)sax_parse_json_text<nlohmann::json>(text, detector, /*strict=*/false);
  return detector.found();
}

// Decided by parsing, never by length or substrings of the encoded forms: an Ed25519 SPKI is
// only 60 base64 characters, and JSON can spell a member name in many ways.
inline result<bool> looks_like_public_key(std::string_view bytes) {
  std::string_view text = bytes;
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  // PEM armour anywhere, SSH public keys (also behind authorized_keys options), SSH2 files.
  for (std::string_view marker :
       {"-----BEGIN ", "---- BEGIN SSH2", "ssh-rsa AAAA", "ssh-ed25519 AAAA", "ssh-ed448 AAAA",
        "ssh-dss AAAA", "ecdsa-sha2-nistp", "sk-ssh-ed25519", "sk-ecdsa-sha2-"}) {
    if (text.find(marker) != std::string_view::npos) return true;
  }
  if (is_jwk_text(text)) return true;
  auto der_key = is_der_public_key(bytes);
  if (!der_key || *der_key) return der_key;
  const auto decoded = base64_any_alphabet(text);
  if (!decoded) return false;
  return is_der_public_key(*decoded);
}

class hmac_key final : public signer, public signature_verifier {
 public:
  static constexpr std::size_t max_mac_size = 64;

  // `screen`: refuse a secret that is a public key (RS256 -> HS256 confusion). Off only for a
  // secret jot drew from the random generator itself, which no one could have chosen (and
  // whose first byte being 0x30 must not make key generation depend on the DER decoder).
  static result<std::shared_ptr<const hmac_key>> create(algorithm alg, secret_bytes secret,
                                                        bool screen = true) {
    if (!is_hmac(alg)) return errc::invalid_argument;
    if (screen) {
      const auto public_key = looks_like_public_key(secret.unsafe_bytes());
      if (!public_key) return public_key.error();
      if (*public_key) return errc::public_key_as_secret;
    }
    if (secret.size() < min_secret_size(alg)) return errc::weak_key;
    const EVP_MD* digest = digest_of(alg);
    if (digest == nullptr) return errc::crypto_failure;
    const int mac_size = EVP_MD_get_size(digest);
    const int block_size = EVP_MD_get_block_size(digest);
    if (mac_size <= 0 || static_cast<std::size_t>(mac_size) > max_mac_size ||
        block_size < mac_size || static_cast<std::size_t>(block_size) > max_block_size) {
      return errc::crypto_failure;
    }
    const padded_key key(digest, secret.unsafe_bytes(), static_cast<std::size_t>(block_size));
    evp_md_ctx_ptr inner_start = key.absorbed(digest, ipad);
    evp_md_ctx_ptr outer_start = key.absorbed(digest, opad);
    if (!inner_start || !outer_start) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    return std::shared_ptr<const hmac_key>(new hmac_key(alg, static_cast<std::size_t>(mac_size),
                                                        std::move(inner_start),
                                                        std::move(outer_start), std::move(secret)));
  }

  algorithm alg() const noexcept override { return alg_; }
  const secret_bytes& secret() const noexcept { return secret_; }
  // The size of every MAC of this key (the digest's size, RFC 7518 §3.2).
  std::size_t mac_size() const noexcept { return mac_size_; }

  result<std::string> sign(std::string_view signing_input) const override {
    unsigned char mac[max_mac_size];
    if (!compute(signing_input, mac)) return errc::crypto_failure;
    std::string out(reinterpret_cast<const char*>(mac), mac_size_);
    OPENSSL_cleanse(mac, sizeof mac);
    return out;
  }

  result<void> verify(std::string_view signing_input, std::string_view signature) const override {
    // The length is public (it is fixed by the algorithm); only the content is compared in
    // constant time. A truncated or empty MAC is rejected here (RFC 7518 §3.2 forbids them).
    if (signature.size() != mac_size_) return errc::invalid_signature;
    unsigned char mac[max_mac_size];
    if (!compute(signing_input, mac)) return errc::crypto_failure;
    const bool equal = CRYPTO_memcmp(mac, signature.data(), mac_size_) == 0;
    OPENSSL_cleanse(mac, sizeof mac);
    if (!equal) return errc::invalid_signature;
    return {};
  }

  // The MAC of `input` into `out` (room for mac_size() bytes): the encoder writes it straight
  // into the token. False when OpenSSL fails.
  bool compute(std::string_view input, unsigned char* out) const noexcept {
    // RFC 2104: H(K ^ opad || H(K ^ ipad || input)), each hash resumed from its pad's state,
    // absorbed once per key. A pooled context is this thread's alone until given back; the two
    // starting states are only read (EVP_MD_CTX_copy_ex), so concurrent calls on one key are
    // safe. EVP_MAC_init would duplicate the same states, with more work around each copy.
    evp_md_ctx_ptr ctx(pool_.take());
    if (!ctx) ctx.reset(EVP_MD_CTX_new());
    unsigned char inner_hash[max_mac_size];
    unsigned int inner_size = 0, outer_size = 0;
    const bool ok = ctx != nullptr && EVP_MD_CTX_copy_ex(ctx.get(), inner_start_.get()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), input.data(), input.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx.get(), inner_hash, &inner_size) == 1 &&
                    inner_size == mac_size_ &&
                    EVP_MD_CTX_copy_ex(ctx.get(), outer_start_.get()) == 1 &&
                    EVP_DigestUpdate(ctx.get(), inner_hash, inner_size) == 1 &&
                    EVP_DigestFinal_ex(ctx.get(), out, &outer_size) == 1 && outer_size == mac_size_;
    OPENSSL_cleanse(inner_hash, sizeof inner_hash);
    if (!ok) {
      clear_openssl_errors();
      return false;  // a context in an unknown state is freed, not pooled
    }
    pool_.give_back(ctx.release());
    return true;
  }

 private:
  // The largest hash block of the HMAC algorithms: SHA-384's and SHA-512's 128 bytes.
  static constexpr std::size_t max_block_size = 128;
  static constexpr unsigned char ipad = 0x36, opad = 0x5c;

  // K as RFC 2104 §2 pads it to the block size B (hashed first when longer than B); cleansed
  // when it goes.
  class padded_key {
   public:
    padded_key(const EVP_MD* digest, std::string_view secret, std::size_t block_size)
        : block_size_(block_size) {
      if (secret.size() > block_size) {
        unsigned int size = 0;
        ok_ = EVP_Digest(secret.data(), secret.size(), bytes_, &size, digest, nullptr) == 1;
      } else {
        std::memcpy(bytes_, secret.data(), secret.size());
      }
    }
    padded_key(const padded_key&) = delete;
    padded_key& operator=(const padded_key&) = delete;
    ~padded_key() { OPENSSL_cleanse(bytes_, sizeof bytes_); }

    // A context that has absorbed K ^ pad: the state every MAC of the key starts from.
    evp_md_ctx_ptr absorbed(const EVP_MD* digest, unsigned char pad) const {
      unsigned char block[max_block_size];
      for (std::size_t i = 0; i < block_size_; ++i) block[i] = bytes_[i] ^ pad;
      evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
      const bool absorbed = ok_ && ctx != nullptr &&
                            EVP_DigestInit_ex2(ctx.get(), digest, nullptr) == 1 &&
                            EVP_DigestUpdate(ctx.get(), block, block_size_) == 1;
      OPENSSL_cleanse(block, sizeof block);
      if (!absorbed) ctx.reset();
      return ctx;
    }

   private:
    unsigned char bytes_[max_block_size] = {};
    std::size_t block_size_;
    bool ok_ = true;
  };

  hmac_key(algorithm alg, std::size_t mac_size, evp_md_ctx_ptr inner_start,
           evp_md_ctx_ptr outer_start, secret_bytes secret)
      : alg_(alg),
        mac_size_(mac_size),
        inner_start_(std::move(inner_start)),
        outer_start_(std::move(outer_start)),
        secret_(std::move(secret)) {}

  algorithm alg_;
  std::size_t mac_size_;
  evp_md_ctx_ptr inner_start_;  // K ^ ipad absorbed
  evp_md_ctx_ptr outer_start_;  // K ^ opad absorbed
  mutable context_pool<EVP_MD_CTX, &EVP_MD_CTX_free> pool_;
  secret_bytes secret_;
};

}  // namespace detail
JOT_END_NAMESPACE
