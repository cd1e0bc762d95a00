#pragma once

// The definitions of what detail/public_key_screen.hpp declares with JOT_INLINE (config.hpp).

#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <nlohmann/json.hpp>

#include "jot/detail/openssl.hpp"
#include "jot/detail/text.hpp"
#include "jot/json.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace detail {

// Whether `bytes` are DER of a SubjectPublicKeyInfo, a PKCS#1 RSAPublicKey, or an X.509
// certificate. When OpenSSL cannot run the check (errc::crypto_failure) the answer is unknown,
// and the key is not made: failing open here would let a public key through.
JOT_INLINE result<bool> is_der_public_key(std::string_view bytes) {
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
JOT_INLINE std::optional<std::string> base64_any_alphabet(std::string_view text) {
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

JOT_INLINE bool is_jwk_text(std::string_view text) {
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return false;
  jwk_detector detector;
  (void)sax_parse_json_text<nlohmann::json>(text, detector, /*strict=*/false);
  return detector.found();
}

JOT_INLINE result<bool> looks_like_public_key(std::string_view bytes) {
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

}  // namespace detail
JOT_END_NAMESPACE
