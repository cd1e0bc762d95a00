// Encrypted tokens (<jot/jwe.hpp>): ATK-JWE-CONFUSION, ATK-JWE-ALG, ATK-JWE-HEADER, ATK-JWE-TAG,
// ATK-JWE-UNWRAP, ATK-JWE-ECDH and ATK-JWE-DOS (docs/security.md). Tokens are made by jot's own
// sealing function with a header text of the test's choosing, so that every check after the header
// is reached with a token that is otherwise genuine; one is made by OpenSSL alone.

#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <jot/jwe.hpp>

#include "attack_support.hpp"
#include "fixed_keys.hpp"

using jot::errc;
using jot::jwe::content_encryption;
using jot::jwe::key_management;
using namespace jot_attack;

namespace {

// The recipient's keys, one per key management family.
jot::jwe::decryption_key jwe_dir_key() {
  return jot::jwe::decryption_key::from_secret(key_management::dir,
                                               jot::secret_bytes(victim_secret.substr(0, 32)))
      .value();
}
jot::jwe::decryption_key jwe_kw_key() {
  return jot::jwe::decryption_key::from_secret(key_management::a128kw,
                                               jot::secret_bytes(victim_secret.substr(0, 16)))
      .value();
}
jot::jwe::decryption_key jwe_rsa_key(key_management alg = key_management::rsa_oaep_256) {
  return jot::jwe::decryption_key::from_pem(alg, jot_test::pem::rsa_2048_pem).value();
}

jot::jwe::decryption_key jwe_ecdh_key(key_management alg, const char* pem) {
  return jot::jwe::decryption_key::from_pem(alg, pem).value();
}

// The inner JWS and the verifier of nested tokens: the victim's HS256 policy.
std::string jwe_inner() { return hmac_token(R"({"alg":"HS256"})", payload()); }
jot::verifier jwe_verifier() { return verifier_for(secret_key(jot::algorithm::hs256)); }

// A token for `key` and `enc` under exactly the header text `header_json`, with a fresh CEK.
std::string jwe_token(const jot::jwe::decryption_key& key, content_encryption enc,
                      std::string_view header_json, std::string_view plaintext = {}) {
  const auto public_key = key.encryption_key().value();
  auto delivered = jot::jwe::detail::deliver_key(public_key.material(), enc).value();
  const std::string iv = random_bytes(jot::jwe::detail::info(enc).iv_size);
  const std::string inner = plaintext.empty() ? jwe_inner() : std::string(plaintext);
  return jot::jwe::detail::seal(enc, b64(header_json), delivered, iv, inner).value();
}

// The token with segment `index` replaced by `bytes` (base64url-encoded here).
std::string jwe_with_segment(const std::string& token, std::size_t index, std::string_view bytes) {
  auto parts = segments_of(token);
  REQUIRE(parts.size() == 5);
  parts[index] = b64(bytes);
  return parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4];
}
std::string jwe_segment(const std::string& token, std::size_t index) {
  return jot::base64url_decode(segments_of(token).at(index)).value();
}
std::string flip_last_bit(std::string bytes) {
  bytes.back() = static_cast<char>(bytes.back() ^ 1);
  return bytes;
}

// One decryption attempt through the main path.
attack_case decrypt_case(std::string name, const jot::jwe::decrypter& decrypter, std::string token,
                         std::optional<errc> expected) {
  auto sensitive = token_sensitive(token);
  const auto verifier = jwe_verifier();
  return call_case(
      std::move(name),
      [decrypter, verifier, token] { return decrypter.decrypt_and_verify(token, verifier); },
      expected, std::move(sensitive));
}

jot::jwe::decrypter decrypter_of(const jot::jwe::decryption_key& key, content_encryption enc) {
  return jot::jwe::decrypter::builder{}.add_key(key, {enc}).build().value();
}

constexpr const char* a128kw_gcm = R"({"alg":"A128KW","enc":"A128GCM","cty":"JWT"})";

// ---------------------------------------------------------------------------------------------
// ATK-JWE-CONFUSION: a JWS handed to the decrypter, a JWE to the verifier. Each side names the
// other's token with its own code and never processes it.
std::vector<attack_case> jwe_confusion_table() {
  std::vector<attack_case> cases;
  const auto key = jwe_kw_key();
  const auto decrypter = decrypter_of(key, content_encryption::a128gcm);
  const std::string jwe = jwe_token(key, content_encryption::a128gcm, a128kw_gcm);
  cases.push_back(decrypt_case("control: the genuine nested token", decrypter, jwe, accepted));
  cases.push_back(decrypt_case("a JWS given to the decrypter", decrypter, jwe_inner(),
                               errc::unencrypted_token));
  cases.push_back(
      verify_case("the JWE given to the verifier", jwe_verifier(), jwe, errc::encrypted_token));
  const auto parts = segments_of(jwe);
  cases.push_back(decrypt_case("four segments", decrypter,
                               parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3],
                               errc::malformed_jwe));
  cases.push_back(decrypt_case("six segments", decrypter, jwe + ".", errc::malformed_jwe));
  cases.push_back(decrypt_case("the JSON serialization (RFC 7516 §7.2)", decrypter,
                               json{{"protected", parts[0]},
                                    {"encrypted_key", parts[1]},
                                    {"iv", parts[2]},
                                    {"ciphertext", parts[3]},
                                    {"tag", parts[4]}}
                                   .dump(),
                               errc::malformed_jwe));
  // The OpenSSL-made JWE of ATK-SIGN-ENC-CONFUSION, decrypted by the RSA-OAEP key it was made
  // for: jot reads a token it did not write.
  const auto rsa = jwe_rsa_key(key_management::rsa_oaep);
  auto pkey = jot::detail::decode_key(jot_test::pem::rsa_2048_pem, "PEM", EVP_PKEY_KEYPAIR).value();
  cases.push_back(decrypt_case("control: a JWE made by OpenSSL alone",
                               decrypter_of(rsa, content_encryption::a256gcm),
                               compact_jwe(pkey.get(), jwe_inner()), accepted));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-CONFUSION", jwe_confusion_table,
                 "a JWS is never decrypted and a JWE never verified: each has its own error")

// ---------------------------------------------------------------------------------------------
// ATK-JWE-ALG: algorithms refused by design (RSA1_5: Bleichenbacher; PBES2: p2c CPU bomb; A192*,
// A*GCMKW: not implemented) and pairs the decrypter does not hold. All fail before any key is
// used, with encryption_not_allowed.
std::vector<attack_case> jwe_algorithm_table() {
  std::vector<attack_case> cases;
  const auto key = jwe_kw_key();
  const auto decrypter = decrypter_of(key, content_encryption::a128gcm);
  const std::string genuine = jwe_token(key, content_encryption::a128gcm, a128kw_gcm);
  const auto parts = segments_of(genuine);
  const std::string rest = "." + parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4];
  const struct {
    const char* name;
    const char* header;
  } headers[] = {
      {"RSA1_5 (Bleichenbacher's padding oracle)", R"({"alg":"RSA1_5","enc":"A128GCM"})"},
      {"PBES2 with a billion iterations, p2c absent",
       R"({"alg":"PBES2-HS256+A128KW","enc":"A128GCM"})"},
      {"A192KW", R"({"alg":"A192KW","enc":"A128GCM"})"},
      {"A128GCMKW",
       R"({"alg":"A128GCMKW","enc":"A128GCM","iv":"AAAAAAAAAAAAAAAA","tag":"AAAAAAAAAAAAAAAAAAAAAA"})"},
      {"none", R"({"alg":"none","enc":"A128GCM"})"},
      {"alg in lower case", R"({"alg":"a128kw","enc":"A128GCM"})"},
      {"dir against an A128KW key", R"({"alg":"dir","enc":"A128GCM"})"},
      {"RSA-OAEP-256 against an A128KW key", R"({"alg":"RSA-OAEP-256","enc":"A128GCM"})"},
      {"ECDH-ES (no ECDH-ES key held)", R"({"alg":"ECDH-ES","enc":"A128GCM"})"},
      {"enc A192GCM", R"({"alg":"A128KW","enc":"A192GCM"})"},
      {"enc A192CBC-HS384", R"({"alg":"A128KW","enc":"A192CBC-HS384"})"},
      {"enc A256GCM: a pair the decrypter does not hold", R"({"alg":"A128KW","enc":"A256GCM"})"},
      {"enc A128CBC-HS256: same CEK size, not held", R"({"alg":"A128KW","enc":"A128CBC-HS256"})"},
  };
  for (const auto& h : headers) {
    cases.push_back(
        decrypt_case(h.name, decrypter, b64(h.header) + rest, errc::encryption_not_allowed));
  }
  // A dir key fits only the encs of its length, at build time and in the encrypter.
  cases.push_back(call_case(
      "a 32-byte dir key added for A128GCM",
      [] {
        return jot::jwe::decrypter::builder{}
            .add_key(jwe_dir_key(), {content_encryption::a256gcm, content_encryption::a128gcm})
            .build();
      },
      errc::content_key_size_mismatch));
  cases.push_back(call_case(
      "a 32-byte dir key in an A256CBC-HS512 encrypter",
      [] {
        return jot::jwe::encrypter::create(jwe_dir_key().encryption_key().value(),
                                           content_encryption::a256cbc_hs512);
      },
      errc::content_key_size_mismatch));
  // A dir token for A256GCM under a key held for A128CBC-HS256 (the same 32 bytes).
  const auto dir = jwe_dir_key();
  cases.push_back(decrypt_case(
      "a dir key held for A128CBC-HS256, token says A256GCM",
      decrypter_of(dir, content_encryption::a128cbc_hs256),
      jwe_token(dir, content_encryption::a256gcm, R"({"alg":"dir","enc":"A256GCM","cty":"JWT"})"),
      errc::encryption_not_allowed));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-ALG", jwe_algorithm_table,
                 "refused JWE algorithms and pairs the decrypter does not hold fail before any key")

// ---------------------------------------------------------------------------------------------
// ATK-JWE-HEADER: members that would change how the token is processed. Each token below is
// otherwise genuine (it decrypts under the key), so only the header check can refuse it.
std::vector<attack_case> jwe_header_table() {
  std::vector<attack_case> cases;
  const auto key = jwe_kw_key().with_key_id("kw-1").value();
  const auto decrypter = decrypter_of(key, content_encryption::a128gcm);
  const content_encryption enc = content_encryption::a128gcm;
  const struct {
    const char* name;
    const char* header;
    std::optional<errc> expected;
  } rows[] = {
      {"control: kid of the key", R"({"alg":"A128KW","enc":"A128GCM","kid":"kw-1","cty":"JWT"})",
       accepted},
      {"zip DEF (compression oracle, inflation bomb)",
       R"({"alg":"A128KW","enc":"A128GCM","zip":"DEF","cty":"JWT"})", errc::compressed_token},
      {"p2c with a non-PBES2 alg",
       R"({"alg":"A128KW","enc":"A128GCM","p2c":1000000000,"cty":"JWT"})", errc::invalid_header},
      {"p2s with a non-PBES2 alg", R"({"alg":"A128KW","enc":"A128GCM","p2s":"AAAA","cty":"JWT"})",
       errc::invalid_header},
      {"crit naming an unknown extension",
       R"({"alg":"A128KW","enc":"A128GCM","crit":["exp"],"exp":1,"cty":"JWT"})",
       errc::unsupported_critical_header},
      {"crit empty", R"({"alg":"A128KW","enc":"A128GCM","crit":[],"cty":"JWT"})",
       errc::invalid_header},
      {"crit naming a registered member",
       R"({"alg":"A128KW","enc":"A128GCM","crit":["enc"],"cty":"JWT"})", errc::invalid_header},
      {"alg missing", R"({"enc":"A128GCM","cty":"JWT"})", errc::invalid_header},
      {"enc missing", R"({"alg":"A128KW","cty":"JWT"})", errc::invalid_header},
      {"enc not a string", R"({"alg":"A128KW","enc":["A128GCM"],"cty":"JWT"})",
       errc::invalid_header},
      {"alg twice", R"({"alg":"A128KW","alg":"dir","enc":"A128GCM","cty":"JWT"})",
       errc::duplicate_member},
      {"kid of no key", R"({"alg":"A128KW","enc":"A128GCM","kid":"kw-2","cty":"JWT"})",
       errc::unknown_key_id},
      {"kid not a string", R"({"alg":"A128KW","enc":"A128GCM","kid":7,"cty":"JWT"})",
       errc::invalid_header},
      {"cty missing: not a nested token", R"({"alg":"A128KW","enc":"A128GCM","kid":"kw-1"})",
       errc::missing_nested_token},
      {"jwk, jku and x5u are ignored, never trusted",
       R"({"alg":"A128KW","enc":"A128GCM","kid":"kw-1","cty":"JWT","jwk":{"kty":"oct","k":"AAAA"},"jku":"https://evil","x5u":"https://evil"})",
       accepted},
  };
  for (const auto& row : rows) {
    cases.push_back(
        decrypt_case(row.name, decrypter, jwe_token(key, enc, row.header), row.expected));
  }
  // Two keys: a token must name one.
  const auto two = jot::jwe::decrypter::builder{}
                       .add_key(key, {enc})
                       .add_key(jwe_kw_key().with_key_id("kw-2").value(), {enc})
                       .build()
                       .value();
  cases.push_back(
      decrypt_case("no kid, two keys", two, jwe_token(key, enc, a128kw_gcm), errc::missing_key_id));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-HEADER", jwe_header_table,
                 "zip, p2c, crit and unknown kids in a JWE header are refused before decryption")

// ---------------------------------------------------------------------------------------------
// ATK-JWE-TAG: truncated or extended tags, IVs of the wrong length (each fixed by `enc`,
// RFC 7518 §5.2.3-5.2.5, §5.3: invalid_jwe_segment before any cryptography), then any bit
// changed in what the tag covers (decryption_failed). The AAD is the header as received: a
// re-spelling of the same JSON fails too.
std::vector<attack_case> jwe_tag_table() {
  std::vector<attack_case> cases;
  const auto key = jwe_kw_key();
  for (const content_encryption enc :
       {content_encryption::a128gcm, content_encryption::a128cbc_hs256}) {
    const std::string name(jot::jwe::content_encryption_name(enc));
    const std::string header =
        std::string(R"({"alg":"A128KW","enc":")") + name + R"(","cty":"JWT"})";
    const auto decrypter = decrypter_of(key, enc);
    const std::string token = jwe_token(key, enc, header);
    const std::string tag = jwe_segment(token, 4), iv = jwe_segment(token, 2),
                      ciphertext = jwe_segment(token, 3);
    cases.push_back(decrypt_case(name + " control", decrypter, token, accepted));
    for (const std::size_t cut : {1, 4, 8}) {
      cases.push_back(decrypt_case(name + " tag truncated by " + std::to_string(cut), decrypter,
                                   jwe_with_segment(token, 4, tag.substr(0, tag.size() - cut)),
                                   errc::invalid_jwe_segment));
    }
    cases.push_back(decrypt_case(name + " tag empty", decrypter, jwe_with_segment(token, 4, ""),
                                 errc::invalid_jwe_segment));
    cases.push_back(decrypt_case(name + " tag extended", decrypter,
                                 jwe_with_segment(token, 4, tag + "x"), errc::invalid_jwe_segment));
    cases.push_back(decrypt_case(name + " IV one byte short", decrypter,
                                 jwe_with_segment(token, 2, iv.substr(1)),
                                 errc::invalid_jwe_segment));
    cases.push_back(decrypt_case(name + " IV one byte long", decrypter,
                                 jwe_with_segment(token, 2, iv + "x"), errc::invalid_jwe_segment));
    cases.push_back(decrypt_case(name + " tag's last bit flipped", decrypter,
                                 jwe_with_segment(token, 4, flip_last_bit(tag)),
                                 errc::decryption_failed));
    cases.push_back(decrypt_case(name + " IV's last bit flipped", decrypter,
                                 jwe_with_segment(token, 2, flip_last_bit(iv)),
                                 errc::decryption_failed));
    cases.push_back(decrypt_case(name + " ciphertext's last bit flipped", decrypter,
                                 jwe_with_segment(token, 3, flip_last_bit(ciphertext)),
                                 errc::decryption_failed));
    cases.push_back(decrypt_case(name + " ciphertext empty", decrypter,
                                 jwe_with_segment(token, 3, ""), errc::decryption_failed));
    const auto parts = segments_of(token);
    const std::string respelled = b64(header.substr(0, header.size() - 1) + " }");
    cases.push_back(decrypt_case(name + " the same header JSON, re-spelled", decrypter,
                                 respelled + token.substr(parts[0].size()),
                                 errc::decryption_failed));
  }
  // A padding oracle needs the padding examined for a ciphertext an attacker chose. Here the
  // tag is genuine (made with the dir key) over a ciphertext whose padding is wrong (a block of
  // zero bytes encrypted without padding): the same decryption_failed as a wrong tag.
  const auto dir = jot::jwe::decryption_key::from_secret(
                       key_management::dir, jot::secret_bytes(victim_secret.substr(0, 32)))
                       .value();
  const std::string dir_header = b64(R"({"alg":"dir","enc":"A128CBC-HS256","cty":"JWT"})");
  const std::string cek(dir.material().secret->unsafe_bytes());
  const std::string iv = random_bytes(16);
  std::string ciphertext(16, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int written = 0;
  const bool encrypted = ctx != nullptr &&
                         EVP_EncryptInit_ex2(ctx, EVP_aes_128_cbc(), bytes_of(cek.substr(16)),
                                             bytes_of(iv), nullptr) == 1 &&
                         EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
                         EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(ciphertext.data()),
                                           &written, bytes_of(std::string(16, '\0')), 16) == 1 &&
                         written == 16;
  EVP_CIPHER_CTX_free(ctx);
  REQUIRE(encrypted);
  const auto tag =
      jot::jwe::detail::cbc_hmac_tag(jot::jwe::detail::info(content_encryption::a128cbc_hs256),
                                     cek.substr(0, 16), dir_header, iv, ciphertext);
  REQUIRE(tag);
  const std::string padding_token =
      dir_header + ".." + b64(iv) + "." + b64(ciphertext) + "." + b64(*tag);
  const auto dir_decrypter = decrypter_of(dir, content_encryption::a128cbc_hs256);
  cases.push_back(decrypt_case("A128CBC-HS256 genuine tag, wrong padding", dir_decrypter,
                               padding_token, errc::decryption_failed));
  cases.push_back(decrypt_case(
      "A128CBC-HS256 wrong tag, wrong padding", dir_decrypter,
      dir_header + ".." + b64(iv) + "." + b64(ciphertext) + "." + b64(flip_last_bit(*tag)),
      errc::decryption_failed));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-TAG", jwe_tag_table,
                 "JWE tags and IVs must have their exact length and authenticate every byte")

// ---------------------------------------------------------------------------------------------
// ATK-JWE-UNWRAP (RFC 7516 §11.5): an RSA-OAEP decryption error, an AES-KW integrity failure and a
// CEK of the wrong length all go on with a random CEK and end in the one error
// decryption_failed. Only lengths that are public (the encrypted key of A*KW and RSA, none for
// dir) are checked before, as invalid_jwe_segment.
std::vector<attack_case> jwe_unwrap_table() {
  std::vector<attack_case> cases;
  const content_encryption enc = content_encryption::a256gcm;
  const char* rsa_header = R"({"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT"})";
  const auto rsa = jwe_rsa_key();
  const auto rsa_decrypter = decrypter_of(rsa, enc);
  const std::string rsa_token = jwe_token(rsa, enc, rsa_header);
  const std::string wrapped = jwe_segment(rsa_token, 1);
  cases.push_back(decrypt_case("RSA-OAEP control", rsa_decrypter, rsa_token, accepted));
  cases.push_back(decrypt_case("RSA-OAEP encrypted key's last bit flipped", rsa_decrypter,
                               jwe_with_segment(rsa_token, 1, flip_last_bit(wrapped)),
                               errc::decryption_failed));
  // A valid OAEP encryption of a 16-byte CEK where A256GCM needs 32.
  const std::string short_cek = random_bytes(16);
  const auto short_wrapped =
      jot::jwe::detail::rsa_oaep(rsa.material().pkey.get(), "SHA256", short_cek, true).value();
  cases.push_back(decrypt_case("RSA-OAEP wrapping a CEK of the wrong length", rsa_decrypter,
                               jwe_with_segment(rsa_token, 1, short_wrapped),
                               errc::decryption_failed));
  cases.push_back(decrypt_case("RSA-OAEP encrypted key one byte short", rsa_decrypter,
                               jwe_with_segment(rsa_token, 1, wrapped.substr(1)),
                               errc::invalid_jwe_segment));
  // The OAEP label hash differs: a token wrapped with SHA-1 OAEP under an RSA-OAEP-256 key.
  const auto oaep1 = jwe_rsa_key(key_management::rsa_oaep);
  const std::string sha1_token =
      jwe_token(oaep1, enc, R"({"alg":"RSA-OAEP","enc":"A256GCM","cty":"JWT"})");
  cases.push_back(decrypt_case("RSA-OAEP (SHA-1) key wrap relabelled RSA-OAEP-256", rsa_decrypter,
                               b64(rsa_header) + sha1_token.substr(sha1_token.find('.')),
                               errc::decryption_failed));

  const auto kw = jwe_kw_key();
  const auto kw_decrypter = decrypter_of(kw, content_encryption::a128gcm);
  const std::string kw_token = jwe_token(kw, content_encryption::a128gcm, a128kw_gcm);
  const std::string kw_wrapped = jwe_segment(kw_token, 1);
  cases.push_back(decrypt_case("AES-KW integrity check fails (last bit flipped)", kw_decrypter,
                               jwe_with_segment(kw_token, 1, flip_last_bit(kw_wrapped)),
                               errc::decryption_failed));
  cases.push_back(decrypt_case("AES-KW wrapped under another key", kw_decrypter,
                               jwe_with_segment(kw_token, 1, random_bytes(kw_wrapped.size())),
                               errc::decryption_failed));
  cases.push_back(decrypt_case("AES-KW encrypted key 8 bytes short", kw_decrypter,
                               jwe_with_segment(kw_token, 1, kw_wrapped.substr(8)),
                               errc::invalid_jwe_segment));

  const auto dir = jwe_dir_key();
  const auto dir_decrypter = decrypter_of(dir, enc);
  const std::string dir_token = jwe_token(dir, enc, R"({"alg":"dir","enc":"A256GCM","cty":"JWT"})");
  cases.push_back(decrypt_case("dir control", dir_decrypter, dir_token, accepted));
  cases.push_back(decrypt_case("dir with an encrypted key", dir_decrypter,
                               jwe_with_segment(dir_token, 1, random_bytes(40)),
                               errc::invalid_jwe_segment));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-UNWRAP", jwe_unwrap_table,
                 "every key unwrapping failure ends in the one error decryption_failed")

// ---------------------------------------------------------------------------------------------
// ATK-JWE-ECDH: the invalid-curve attack on ECDH-ES (Jager, Schwenk, Somorovsky 2015) and its
// X25519 form. The ephemeral key (`epk`) comes from the token: off the curve, on another curve, of
// small order, carrying a private member, or missing, it is invalid_ephemeral_key before any key
// derivation; `apu` / `apv` are size-capped and must be canonical base64url. A recipient key on a
// curve ECDH-ES does not offer, or an X25519 public key of small order, is refused when made.

// A genuine ECDH-ES* token for `key` whose protected header `edit` may change after the genuine
// `epk` is in it (the tag then no longer matters: the checks tested come before it).
template <typename Edit>
std::string ecdh_token(const jot::jwe::decryption_key& key, content_encryption enc, Edit edit) {
  const auto public_key = key.encryption_key().value();
  auto delivered = jot::jwe::detail::deliver_key(public_key.material(), enc).value();
  json header = {{"alg", std::string(jot::jwe::key_management_name(key.alg()))},
                 {"enc", std::string(jot::jwe::content_encryption_name(enc))},
                 {"cty", "JWT"},
                 {"epk", delivered.header_members.at("epk")}};
  edit(header);
  const std::string iv = random_bytes(jot::jwe::detail::info(enc).iv_size);
  return jot::jwe::detail::seal(enc, b64(header.dump()), delivered, iv, jwe_inner()).value();
}

std::vector<attack_case> jwe_ecdh_table() {
  std::vector<attack_case> cases;
  const content_encryption enc = content_encryption::a256gcm;
  const auto p256 = jwe_ecdh_key(key_management::ecdh_es_a256kw, jot_test::pem::p256_pem);
  const auto p256_decrypter = decrypter_of(p256, enc);
  const auto x25519 = jwe_ecdh_key(key_management::ecdh_es, jot_test::pem::x25519_pem);
  const auto x25519_decrypter = decrypter_of(x25519, enc);
  const auto unchanged = [](json&) {};
  cases.push_back(decrypt_case("control: ECDH-ES+A256KW on P-256", p256_decrypter,
                               ecdh_token(p256, enc, unchanged), accepted));
  cases.push_back(decrypt_case("control: ECDH-ES on X25519", x25519_decrypter,
                               ecdh_token(x25519, enc, unchanged), accepted));

  // EC epk off the curve: y's last byte changed (x fixes y up to its sign).
  cases.push_back(decrypt_case(
      "epk off the curve (y changed)", p256_decrypter,
      ecdh_token(p256, enc,
                 [](json& header) {
                   std::string y =
                       jot::base64url_decode(header["epk"]["y"].get<std::string>()).value();
                   y.back() = static_cast<char>(y.back() + 1);
                   header["epk"]["y"] = b64(y);
                 }),
      errc::invalid_ephemeral_key));
  cases.push_back(decrypt_case("epk the point (0, 0)", p256_decrypter,
                               ecdh_token(p256, enc,
                                          [](json& header) {
                                            header["epk"]["x"] = b64(std::string(32, '\0'));
                                            header["epk"]["y"] = b64(std::string(32, '\0'));
                                          }),
                               errc::invalid_ephemeral_key));
  // A valid point on another curve, and a key of another type.
  const json p384_epk =
      jot::jwe::detail::public_jwk(
          jot::jwe::detail::agreement_curves[1],
          jwe_ecdh_key(key_management::ecdh_es, jot_test::pem::p384_pem).material().pkey.get())
          .value();
  cases.push_back(
      decrypt_case("epk on P-384 for a P-256 key", p256_decrypter,
                   ecdh_token(p256, enc, [&](json& header) { header["epk"] = p384_epk; }),
                   errc::invalid_ephemeral_key));
  const std::string x25519_genuine = ecdh_token(x25519, enc, unchanged);
  const json x25519_epk =
      json::parse(jot::base64url_decode(segments_of(x25519_genuine)[0]).value()).at("epk");
  cases.push_back(
      decrypt_case("epk an X25519 key for a P-256 key", p256_decrypter,
                   ecdh_token(p256, enc, [&](json& header) { header["epk"] = x25519_epk; }),
                   errc::invalid_ephemeral_key));
  cases.push_back(
      decrypt_case("epk a P-256 key with crv relabelled P-384", p256_decrypter,
                   ecdh_token(p256, enc, [](json& header) { header["epk"]["crv"] = "P-384"; }),
                   errc::invalid_ephemeral_key));
  // X25519 points of small order: the shared secret would be all zero, whatever the key.
  for (const auto& point : jot::jwe::detail::x25519_small_order_points) {
    const std::string u(reinterpret_cast<const char*>(point), 32);
    cases.push_back(
        decrypt_case("X25519 epk of small order " + b64(u), x25519_decrypter,
                     ecdh_token(x25519, enc, [&](json& header) { header["epk"]["x"] = b64(u); }),
                     errc::invalid_ephemeral_key));
  }
  cases.push_back(decrypt_case(
      "epk with a private member d", p256_decrypter,
      ecdh_token(p256, enc,
                 [](json& header) { header["epk"]["d"] = b64(std::string(32, '\x11')); }),
      errc::invalid_ephemeral_key));
  cases.push_back(decrypt_case("epk missing", p256_decrypter,
                               ecdh_token(p256, enc, [](json& header) { header.erase("epk"); }),
                               errc::invalid_ephemeral_key));
  cases.push_back(decrypt_case("epk a string", p256_decrypter,
                               ecdh_token(p256, enc, [](json& header) { header["epk"] = "epk"; }),
                               errc::invalid_ephemeral_key));
  // Party information: a string of canonical base64url, at most 512 bytes decoded.
  cases.push_back(decrypt_case("apu a number", p256_decrypter,
                               ecdh_token(p256, enc, [](json& header) { header["apu"] = 7; }),
                               errc::invalid_header));
  cases.push_back(decrypt_case(
      "apv of 513 bytes", p256_decrypter,
      ecdh_token(p256, enc, [](json& header) { header["apv"] = b64(std::string(513, 'v')); }),
      errc::invalid_header));
  cases.push_back(decrypt_case("apu not base64url", p256_decrypter,
                               ecdh_token(p256, enc, [](json& header) { header["apu"] = "a+b/"; }),
                               errc::invalid_base64));
  // RFC 7516 §11.5 after the agreement: the AES-KW unwrap fails, a random CEK goes on.
  const std::string genuine = ecdh_token(p256, enc, unchanged);
  cases.push_back(decrypt_case("ECDH-ES+A256KW encrypted key's last bit flipped", p256_decrypter,
                               jwe_with_segment(genuine, 1, flip_last_bit(jwe_segment(genuine, 1))),
                               errc::decryption_failed));
  cases.push_back(
      decrypt_case("ECDH-ES (direct) with an encrypted key", x25519_decrypter,
                   jwe_with_segment(ecdh_token(x25519, enc, unchanged), 1, random_bytes(40)),
                   errc::invalid_jwe_segment));
  // Recipient keys ECDH-ES does not run on, refused when made.
  cases.push_back(call_case(
      "a secp256k1 recipient key",
      [] {
        return jot::jwe::decryption_key::from_pem(key_management::ecdh_es,
                                                  jot_test::pem::secp256k1_pem);
      },
      errc::curve_mismatch));
  cases.push_back(call_case(
      "an Ed25519 recipient key",
      [] {
        return jot::jwe::decryption_key::from_pem(key_management::ecdh_es,
                                                  jot_test::pem::ed25519_pem);
      },
      errc::key_type_mismatch));
  cases.push_back(call_case(
      "an X25519 recipient public key of small order",
      [] {
        return jot::jwe::encryption_key::from_jwk(
            json{{"kty", "OKP"}, {"crv", "X25519"}, {"x", b64(std::string(32, '\0'))}},
            key_management::ecdh_es);
      },
      errc::invalid_key));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-ECDH", jwe_ecdh_table,
                 "an ECDH-ES ephemeral key that is not a valid point of the recipient's curve is "
                 "refused before any derivation")

// ---------------------------------------------------------------------------------------------
// ATK-JWE-DOS: the size cap comes before any decoding, the depth cap inside the header parser.
std::vector<attack_case> jwe_dos_table() {
  std::vector<attack_case> cases;
  const auto key = jwe_kw_key();
  const auto decrypter = decrypter_of(key, content_encryption::a128gcm);
  const std::size_t cap = jot::jwe::default_max_encrypted_token_size;
  // Not base64url at all: only the cap, checked first, can answer token_too_large.
  cases.push_back(decrypt_case("one byte over the cap, none of it base64url", decrypter,
                               std::string(cap + 1, '!'), errc::token_too_large));
  cases.push_back(
      decrypt_case("100 000 dots", decrypter, std::string(100000, '.'), errc::token_too_large));
  cases.push_back(decrypt_case("a header nested 10 000 deep", decrypter,
                               b64("{\"a\":" + std::string(10000, '[')) + ".a.a.a.a",
                               errc::json_too_deep));
  const std::string big =
      jwe_token(key, content_encryption::a128gcm, a128kw_gcm, std::string(cap, 'x'));
  cases.push_back(
      decrypt_case("a genuine token over the cap", decrypter, big, errc::token_too_large));
  return cases;
}
JOT_ATTACK_TABLE("ATK-JWE-DOS", jwe_dos_table,
                 "JWE size and depth bombs are stopped before the work they would cause")

}  // namespace

TEST_CASE("content encryption keys live in secret_bytes, wiped when dropped",
          "[attacks][ATK-JWE-UNWRAP]") {
  static_assert(std::is_same_v<decltype(jot::jwe::detail::delivered_key::cek), jot::secret_bytes>);
  static_assert(std::is_same_v<decltype(jot::jwe::detail::key_material::secret),
                               std::optional<jot::secret_bytes>>);
  const auto key = jwe_kw_key();
  auto cek = jot::jwe::detail::recover_key(key.material(), content_encryption::a128gcm,
                                           json::object(), random_bytes(24));
  REQUIRE(cek);  // an integrity failure is never an error here: a random CEK goes on
  CHECK(cek->size() == 16);
}

TEST_CASE("the CBC-HMAC tag is compared with CRYPTO_memcmp before anything is decrypted",
          "[attacks][ATK-JWE-TAG]") {
  std::ifstream file(std::string(JOT_SOURCE_DIR) + "/include/jot/jwe/detail/content_cipher.hpp");
  const std::string source((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
  const auto compare = source.find("CRYPTO_memcmp(computed->data(), tag.data(), tag.size())");
  const auto decrypt = source.find("start_cipher(row, key.substr(half), iv, false)");
  REQUIRE(compare != std::string::npos);
  REQUIRE(decrypt != std::string::npos);
  CHECK(compare < decrypt);
}
