// Fuzz target: the recipient side of ECDH-ES (jot::jwe::detail::agree_as_recipient), that is the
// "epk" parser and the agreement, and the Concat KDF on what it derives.
//
// Input: a control byte, a key-length byte, then JSON text (the "epk"). The control byte modulo 4
// picks the recipient's curve (agreement_curves: P-256, P-384, P-521, X25519; fixed keys in
// ecdh_fixed_keys.hpp); its bit 0x04 also runs a sender/recipient round trip.
//
// Invariants:
//  - nothing throws; a text nlohmann cannot parse is skipped;
//  - the recipient key is valid, so every refusal is invalid_ephemeral_key, and the same epk
//    gives the same verdict and the same Z again;
//  - an accepted epk is an object with the curve's kty and crv and no d (nor y for X25519), and
//    its x (and y) are exactly what jot writes for the key it was read as: canonical, full width;
//  - Z has the curve's size, and is not all zero on X25519;
//  - concat_kdf() gives exactly the asked length for 1 to 64 bytes, the same key twice, and
//    invalid_argument for 0 or more than 64;
//  - with bit 0x04: the epk of agree_as_sender() is accepted and gives the sender's Z.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ecdh_fixed_keys.hpp"
#include "fuzz_support.hpp"

#include <jot/jwe/detail/ecdh_es.hpp>

namespace {

using jot::jwe::detail::agreement_curves;

void check_accepted(const jot::jwe::detail::agreement_curve& curve, const nlohmann::json& epk,
                    const jot::secret_bytes& z) {
  JOT_FUZZ_CHECK(epk.is_object() && !epk.contains("d"));
  JOT_FUZZ_CHECK(epk.at("kty") == curve.kty && epk.at("crv") == curve.crv);
  JOT_FUZZ_CHECK(z.size() == curve.size);
  const auto key = jot::jwe::detail::parse_ephemeral_key(curve, epk);
  JOT_FUZZ_CHECK(key.has_value());
  const auto written = jot::jwe::detail::public_jwk(curve, key->get());
  JOT_FUZZ_CHECK(written.has_value());
  JOT_FUZZ_CHECK(epk.at("x") == written->at("x"));
  if (curve.kty == "EC") {
    JOT_FUZZ_CHECK(epk.at("y") == written->at("y"));
  } else {
    JOT_FUZZ_CHECK(!epk.contains("y"));
    bool any = false;
    for (const char c : z.unsafe_bytes()) any = any || c != 0;
    JOT_FUZZ_CHECK(any);
  }
}

void check_kdf(const jot::secret_bytes& z, std::size_t key_bytes, std::string_view apu) {
  const auto key = jot::jwe::detail::concat_kdf(z, "A256CBC-HS512", key_bytes, apu, "");
  if (key_bytes == 0 || key_bytes > 64) {
    JOT_FUZZ_CHECK(key.error() == jot::errc::invalid_argument);
    return;
  }
  JOT_FUZZ_CHECK(key.has_value() && key->size() == key_bytes);
  const auto again = jot::jwe::detail::concat_kdf(z, "A256CBC-HS512", key_bytes, apu, "");
  JOT_FUZZ_CHECK(again.has_value() && *again == *key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jot_fuzz::input_reader input(data, size);
  const std::uint8_t control = input.byte();
  const std::size_t key_bytes = input.byte();
  const std::string_view text = input.rest();
  const std::size_t index = control % 4;
  const auto& curve = agreement_curves[index];
  static const auto recipients = [] {
    std::array<jot::detail::evp_pkey_ptr, 4> keys;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      keys[i] = jot_fuzz::ecdh_key(jot_fuzz::ecdh_fixed_keys()[i].recipient);
    }
    return keys;
  }();
  EVP_PKEY* recipient = recipients[index].get();
  JOT_FUZZ_CHECK(recipient != nullptr);

  if ((control & 0x04) != 0) {
    const auto sent = jot::jwe::detail::agree_as_sender(recipient);
    JOT_FUZZ_CHECK(sent.has_value());
    const auto received = jot::jwe::detail::agree_as_recipient(recipient, sent->epk);
    JOT_FUZZ_CHECK(received.has_value() && *received == sent->shared_secret);
  }

  const auto epk = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (epk.is_discarded()) return 0;
  const auto z = jot::jwe::detail::agree_as_recipient(recipient, epk);
  const auto again = jot::jwe::detail::agree_as_recipient(recipient, epk);
  if (!z) {
    JOT_FUZZ_CHECK(z.error() == jot::errc::invalid_ephemeral_key);
    JOT_FUZZ_CHECK(again.error() == z.error());
    return 0;
  }
  JOT_FUZZ_CHECK(again.has_value() && *again == *z);
  check_accepted(curve, epk, *z);
  check_kdf(*z, key_bytes, text.substr(0, 64));
  return 0;
}
