#pragma once

// jwe::encrypter: plaintext -> compact JWE (RFC 7516 §5.1, §7.1) under one encryption key and one
// content encryption algorithm. The main path is the nested JWT (RFC 7519 §5.2, §11.2): sign
// first, then encrypt, with `cty: JWT`, so the recipient learns who vouches for the claims (the
// inner signature) and no one else can read them. A bare encrypted claim set has no signature:
// whoever holds an RSA public key can make one, so it is a separate, explicit call.
//
// jot writes the protected header itself (`alg`, `enc`, `kid` from the key, `cty` or `typ`, and
// for ECDH-ES* `epk`, `apu`, `apv`) and nothing else: there is no shared or per-recipient
// unprotected header, no `zip`. The CEK, the IV and an ECDH-ES ephemeral key are fresh random
// values for every token. Immutable and safe to share between threads.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include "jot/base64url.hpp"
#include "jot/claims.hpp"
#include "jot/detail/compact.hpp"
#include "jot/detail/text.hpp"
#include "jot/encoder.hpp"
#include "jot/jwe/algorithms.hpp"
#include "jot/jwe/detail/content_cipher.hpp"
#include "jot/jwe/detail/key_delivery.hpp"
#include "jot/jwe/keys.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE
namespace jwe {

namespace detail {
// The compact token from its parts (RFC 7516 §5.1 steps 11-19): `header_segment` is
// BASE64URL(UTF8(JWE Protected Header)), whose ASCII bytes are the AAD. Tests call it with a
// published CEK and IV to reproduce examples byte for byte; encrypter draws both at random.
inline result<std::string> seal(content_encryption enc, std::string_view header_segment,
                                const delivered_key& key, std::string_view iv,
                                std::string_view plaintext) {
  auto sealed = encrypt_content(enc, key.cek, iv, header_segment, plaintext);
  if (!sealed) return sealed.error();
  std::string token(header_segment);
  const std::string_view parts[] = {key.encrypted_key, iv, sealed->ciphertext, sealed->tag};
  for (const std::string_view part : parts) {
    token.push_back('.');
    jot::detail::base64url_encode_append(part, token);
  }
  return token;
}

// The header segment `segment` with `members` added (the key management's own, ECDH-ES `epk`).
inline result<std::string> with_members(std::string_view segment, const nlohmann::json& members) {
  auto bytes = base64url_decode(segment);
  if (!bytes) return bytes.error();
  auto header = nlohmann::ordered_json::parse(*bytes, nullptr, false);
  if (header.is_discarded()) return errc::invalid_argument;
  for (const auto& [name, value] : members.items()) header[name] = value;
  return base64url_encode(header.dump());
}

// The protected header jot writes: alg, enc, kid, then `cty` or `typ`.
inline result<std::string> header_segment(const encryption_key& key, content_encryption enc,
                                          std::string_view content_type, std::string_view type) {
  if (key.key_id() && !jot::detail::is_valid_utf8(*key.key_id())) return errc::invalid_argument;
  nlohmann::ordered_json header;
  header["alg"] = std::string(key_management_name(key.alg()));
  header["enc"] = std::string(content_encryption_name(enc));
  if (key.key_id()) header["kid"] = *key.key_id();
  if (!content_type.empty()) header["cty"] = std::string(content_type);
  if (!type.empty()) header["typ"] = std::string(type);
  std::string json;
  JOT_TRY { json = header.dump(); }
  JOT_CATCH_ALL { return errc::out_of_memory; }
  return base64url_encode(json);
}
}  // namespace detail

// Encrypts tokens for the holder of one key; made by encrypter::create.
class encrypter {
 public:
  // An encrypter for `key` and `enc`. A `dir` key must have exactly the key length of `enc`
  // (errc::content_key_size_mismatch); a kid that is not UTF-8 is errc::invalid_argument.
  static result<encrypter> create(encryption_key key, content_encryption enc) {
    if (detail::info(key.alg()).family == detail::key_management_family::direct &&
        key.material().secret->size() != content_key_size(enc)) {
      return errc::content_key_size_mismatch;
    }
    auto nested = detail::header_segment(key, enc, "JWT", "");
    auto bare = detail::header_segment(key, enc, "", "JWT");
    if (!nested || !bare) return errc::invalid_argument;
    return encrypter(std::move(key), enc, std::move(*nested), std::move(*bare));
  }

  // Nested JWT, the main path: signs `claims` with `signer`, then encrypts the JWS with `cty: JWT`.
  template <typename Json>
  result<std::string> sign_and_encrypt(const basic_encoder<Json>& signer,
                                       const basic_claims<Json>& claims) const {
    auto jws = signer.sign(claims);
    if (!jws) return jws.error();
    return encrypt_signed(*jws);
  }

  // Encrypts a JWS made elsewhere (`cty: JWT`). Anything but three segments is
  // errc::malformed_token: jot never encrypts a JWE again or a JSON serialization.
  result<std::string> encrypt_signed(std::string_view jws) const {
    if (jot::detail::split_compact(jws) == std::nullopt) return errc::malformed_token;
    return encrypt(nested_header_, jws);
  }

  // The explicit exception: the claim set itself, encrypted but not signed (`typ: JWT`). Its
  // recipient learns only that whoever made it could encrypt to its key, which for RSA-OAEP is
  // anyone holding the public key; prefer sign_and_encrypt.
  template <typename Json>
  result<std::string> encrypt_unsigned_claims(const basic_claims<Json>& claims) const {
    // Claims are valid UTF-8 by construction (encoder.hpp): nothing for `replace` to replace.
    std::string json;
    JOT_TRY { json = claims.json().dump(-1, ' ', false, Json::error_handler_t::replace); }
    JOT_CATCH_ALL { return errc::out_of_memory; }
    return encrypt(bare_header_, json);
  }

  // The same encrypter with the party information of ECDH-ES* (RFC 7518 §4.6.1.2-3): `apu` and
  // `apv` (raw bytes, each at most 512; empty: absent) enter the key derivation and are written
  // base64url-encoded into every token's protected header. errc::invalid_argument for a key that
  // is not for ECDH-ES*, or a value longer than that.
  result<encrypter> with_party_info(std::string apu, std::string apv) const {
    if (!detail::is_key_agreement(detail::info(key_.alg()).family) ||
        apu.size() > detail::max_party_info_size || apv.size() > detail::max_party_info_size) {
      return errc::invalid_argument;
    }
    encrypter copy = *this;
    copy.parties_ = detail::agreement_parties{std::move(apu), std::move(apv)};
    return copy;
  }

  // The key and the content encryption algorithm of every token.
  const encryption_key& key() const noexcept { return key_; }
  content_encryption enc() const noexcept { return enc_; }

 private:
  encrypter(encryption_key key, content_encryption enc, std::string nested, std::string bare)
      : key_(std::move(key)),
        enc_(enc),
        nested_header_(std::move(nested)),
        bare_header_(std::move(bare)) {}

  result<std::string> encrypt(std::string_view header, std::string_view plaintext) const {
    JOT_TRY {
      auto delivered = detail::deliver_key(key_.material(), enc_, parties_);
      if (!delivered) return delivered.error();
      std::string iv(detail::info(enc_).iv_size, '\0');
      if (RAND_bytes(reinterpret_cast<unsigned char*>(iv.data()), static_cast<int>(iv.size())) !=
          1) {
        jot::detail::clear_openssl_errors();
        return errc::crypto_failure;
      }
      if (delivered->header_members.empty()) {
        return detail::seal(enc_, header, *delivered, iv, plaintext);
      }
      auto extended = detail::with_members(header, delivered->header_members);
      if (!extended) return extended.error();
      return detail::seal(enc_, *extended, *delivered, iv, plaintext);
    }
    JOT_CATCH_ALL { return jot::detail::errc_of_current_exception(); }
  }

  encryption_key key_;
  content_encryption enc_;
  std::string nested_header_;  // BASE64URL of {"alg","enc","kid","cty":"JWT"}
  std::string bare_header_;    // BASE64URL of {"alg","enc","kid","typ":"JWT"}
  detail::agreement_parties parties_;
};

}  // namespace jwe
JOT_END_NAMESPACE
