// Fuzz target: opening a compact JWE (jot/jwe/detail/open.hpp, the decrypter's steps up to the
// plaintext) and the decrypter's two paths.
//
// Input: one control byte, then the rest.
//   bits 0-2  the key (index into fixed_jwe_keys(), modulo 7)
//   bits 3-4  the content encryption (fuzz_enc)
//   bit 5     oracle mode: the rest is "header JSON \0 plaintext" (without a NUL byte, a plaintext
//             under the canonical header), which the target encrypts with the key before opening
//             it; otherwise the rest is the token itself.
// The oracle mode is what lets the fuzzer past the authentication tag: it mutates the header of
// tokens that otherwise decrypt.
//
// Invariants:
//  - nothing throws, and every rejection is a jot errc;
//  - in oracle mode, the token opens to exactly its plaintext, or fails for its header only:
//    never decryption_failed, invalid_jwe_segment or invalid_base64, which would mean jot cannot
//    read what it wrote;
//  - a token that opens is refused with decryption_failed once one bit of its tag changes;
//  - decrypt_and_verify and decrypt_unsigned_claims never accept what open refused.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_jwe_keys.hpp"
#include "fuzz_support.hpp"

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

namespace {

constexpr std::size_t max_size = 64 * 1024;

const jot::verifier& any_verifier() {
  static const jot::verifier verifier =
      jot::verifier::builder{}
          .add_key(jot::verification_key::hs256(jot_fuzz::fixed_jwe_secret(32)).value())
          .build()
          .value();
  return verifier;
}

std::string flip_tag_bit(const std::string& token) {
  const std::size_t dot = token.rfind('.');
  std::string tag = jot::base64url_decode(std::string_view(token).substr(dot + 1)).value();
  if (tag.empty()) return token;
  tag[0] = static_cast<char>(tag[0] ^ 1);
  return token.substr(0, dot + 1) + jot::base64url_encode(tag);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jot_fuzz::input_reader in(data, size);
  const std::uint8_t control = in.byte();
  const auto& keys = jot_fuzz::fixed_jwe_keys();
  const jot::jwe::decryption_key& key = keys[(control & 7u) % keys.size()];
  const jot::jwe::content_encryption enc = jot_fuzz::fuzz_enc(key, (control >> 3) & 3u);
  const bool oracle = (control & 0x20) != 0;
  const std::string rest(in.rest());
  const std::vector<jot::jwe::detail::decrypter_entry> entries{
      {key, jot::jwe::detail::enc_bit(enc)}};

  std::string token = rest, plaintext;
  if (oracle) {
    const std::size_t nul = rest.find('\0');
    const std::string canonical =
        std::string(R"({"alg":")") + std::string(jot::jwe::key_management_name(key.alg())) +
        R"(","enc":")" + std::string(jot::jwe::content_encryption_name(enc)) + "\"}";
    const std::string header = nul == std::string::npos ? canonical : rest.substr(0, nul);
    plaintext = nul == std::string::npos ? rest : rest.substr(nul + 1);
    auto delivered = jot::jwe::detail::deliver_key(key.encryption_key().value().material(), enc);
    JOT_FUZZ_CHECK(delivered.has_value());
    const std::string iv(jot::jwe::detail::info(enc).iv_size, 'i');
    auto sealed =
        jot::jwe::detail::seal(enc, jot::base64url_encode(header), *delivered, iv, plaintext);
    JOT_FUZZ_CHECK(sealed.has_value());
    token = *sealed;
  }

  const auto opened = jot::jwe::detail::open_token(entries, max_size, 32, token);
  JOT_FUZZ_CHECK(opened.has_value() || jot_fuzz::is_jot_error(opened.error()));
  if (oracle && token.size() <= max_size) {
    if (opened) {
      JOT_FUZZ_CHECK(opened->plaintext == plaintext);
    } else {
      JOT_FUZZ_CHECK(opened.error() != jot::errc::decryption_failed);
      JOT_FUZZ_CHECK(opened.error() != jot::errc::invalid_jwe_segment);
      JOT_FUZZ_CHECK(opened.error() != jot::errc::invalid_base64);
    }
  }
  if (opened) {
    const auto tampered = jot::jwe::detail::open_token(entries, max_size, 32, flip_tag_bit(token));
    JOT_FUZZ_CHECK(!tampered && tampered.error() == jot::errc::decryption_failed);
  }

  const auto decrypter =
      jot::jwe::decrypter::builder{}.add_key(key, {enc}).max_token_size(max_size).build();
  JOT_FUZZ_CHECK(decrypter.has_value());
  const auto verified = decrypter->decrypt_and_verify(token, any_verifier());
  JOT_FUZZ_CHECK(verified.has_value() || jot_fuzz::is_jot_error(verified.error()));
  const auto unsigned_claims = decrypter->decrypt_unsigned_claims(token);
  JOT_FUZZ_CHECK(unsigned_claims.has_value() || jot_fuzz::is_jot_error(unsigned_claims.error()));
  if (!opened) {
    JOT_FUZZ_CHECK(!verified && verified.error() == opened.error());
    JOT_FUZZ_CHECK(!unsigned_claims && unsigned_claims.error() == opened.error());
  }
  return 0;
}
