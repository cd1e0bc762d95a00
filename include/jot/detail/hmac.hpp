#pragma once

// HMAC-SHA2 for HS256/384/512 (RFC 7518 §3.2) on OpenSSL 3's EVP_MAC.
// Speed: the HMAC implementation is fetched once per process and the keyed context is built
// once per key, which skips the provider fetch and the key schedule (the two inner/outer pads)
// that a one-shot HMAC call repeats every time. A sign or verify takes a context from the key's
// pool (context_pool.hpp) and re-initialises it, or duplicates the keyed template when the pool
// has none for this thread.

#include <cctype>
#include <cstddef>
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
    EVP_MAC* mac = hmac_implementation();
    if (mac == nullptr) return errc::crypto_failure;
    evp_mac_ctx_ptr ctx(EVP_MAC_CTX_new(mac));
    if (!ctx) return errc::crypto_failure;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                            const_cast<char*>(info(alg).digest), 0),
                           OSSL_PARAM_construct_end()};
    const auto* key = reinterpret_cast<const unsigned char*>(secret.unsafe_bytes().data());
    if (EVP_MAC_init(ctx.get(), key, secret.size(), params) != 1) {
      clear_openssl_errors();
      return errc::crypto_failure;
    }
    const std::size_t size = EVP_MAC_CTX_get_mac_size(ctx.get());
    if (size == 0 || size > max_mac_size) return errc::crypto_failure;
    return std::shared_ptr<const hmac_key>(
        new hmac_key(alg, size, std::move(ctx), std::move(secret)));
  }

  algorithm alg() const noexcept override { return alg_; }
  const secret_bytes& secret() const noexcept { return secret_; }

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

 private:
  hmac_key(algorithm alg, std::size_t mac_size, evp_mac_ctx_ptr keyed, secret_bytes secret)
      : alg_(alg), mac_size_(mac_size), keyed_(std::move(keyed)), secret_(std::move(secret)) {}

  bool compute(std::string_view input, unsigned char* out) const noexcept {
    // A pooled context is this thread's alone until given back; initialising it without a key
    // restarts it with the key it has (RFC 2104's inner and outer states are kept). The template
    // is only read (EVP_MAC_CTX_dup), so concurrent calls on one key are safe.
    evp_mac_ctx_ptr ctx(pool_.take());
    bool ok = false;
    if (ctx) {
      ok = EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) == 1;
    } else {
      ctx.reset(EVP_MAC_CTX_dup(keyed_.get()));
      ok = ctx != nullptr;
    }
    std::size_t written = 0;
    ok = ok &&
         EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(input.data()),
                        input.size()) == 1 &&
         EVP_MAC_final(ctx.get(), out, &written, max_mac_size) == 1 && written == mac_size_;
    if (!ok) {
      clear_openssl_errors();
      return false;  // a context in an unknown state is freed, not pooled
    }
    pool_.give_back(ctx.release());
    return true;
  }

  algorithm alg_;
  std::size_t mac_size_;
  evp_mac_ctx_ptr keyed_;
  mutable context_pool<EVP_MAC_CTX, &EVP_MAC_CTX_free> pool_;
  secret_bytes secret_;
};

}  // namespace detail
JOT_END_NAMESPACE
