// ECDH-ES key agreement and the Concat KDF (include/jot/jwe/detail/ecdh_es.hpp): the published
// examples byte for byte, round trips on every curve, and every kind of ephemeral key the
// recipient must refuse before it derives anything (the invalid-curve attack, RFC 7518 §4.6,
// RFC 8037 §3.2, RFC 7748 §6.1).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include <jot/jwe.hpp>
#include <jot/jwe/detail/ecdh_es.hpp>

#include "catch.hpp"
#include "jwe_support.hpp"

namespace {

using jot::errc;
using jot::jwe::detail::agree_as_recipient;
using jot::jwe::detail::agree_as_sender;
using jot::jwe::detail::agree_with_ephemeral;
using jot::jwe::detail::agreement_curve;
using jot::jwe::detail::agreement_curves;
using jot::jwe::detail::concat_kdf;
using jot_jwe_test::b64u;
using jot_jwe_test::hex_decode;

// RFC 7518 Appendix C: Bob's key (the recipient) and Alice's ephemeral key.
const nlohmann::json rfc7518_bob = {{"kty", "EC"},
                                    {"crv", "P-256"},
                                    {"x", "weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ"},
                                    {"y", "e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck"},
                                    {"d", "VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw"}};
const nlohmann::json rfc7518_alice = {{"kty", "EC"},
                                      {"crv", "P-256"},
                                      {"x", "gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0"},
                                      {"y", "SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps"},
                                      {"d", "0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo"}};

nlohmann::json public_members(nlohmann::json jwk) {
  jwk.erase("d");
  return jwk;
}

}  // namespace

TEST_CASE("RFC 7518 Appendix C: ECDH-ES P-256 agreement and Concat KDF, byte for byte",
          "[jwe][ecdh]") {
  const auto bob = jot_jwe_test::key_from_jwk(rfc7518_bob);
  const auto alice = jot_jwe_test::key_from_jwk(rfc7518_alice);
  const unsigned char published_z[] = {158, 86,  217, 29,  129, 113, 53,  211, 114, 131, 66,
                                       131, 191, 132, 38,  156, 251, 49,  110, 163, 218, 128,
                                       106, 72,  246, 218, 167, 121, 140, 254, 144, 196};
  const std::string z(reinterpret_cast<const char*>(published_z), sizeof published_z);

  // Recipient: Bob with Alice's "epk".
  const auto received = agree_as_recipient(bob.get(), public_members(rfc7518_alice));
  REQUIRE(received.has_value());
  CHECK(received->unsafe_bytes() == z);
  const auto key = concat_kdf(*received, "A128GCM", 16, "Alice", "Bob");
  REQUIRE(key.has_value());
  CHECK(jot::base64url_encode(key->unsafe_bytes()) == "VqqN6vgjbSBcIijNcacQGg");

  // Sender: Alice's key as the ephemeral key gives the same Z and her public key as "epk".
  const auto sent = agree_with_ephemeral(alice.get(), bob.get());
  REQUIRE(sent.has_value());
  CHECK(sent->shared_secret.unsafe_bytes() == z);
  CHECK(sent->epk == public_members(rfc7518_alice));
}

TEST_CASE("RFC 8037 Appendix A.6: ECDH-ES X25519 agreement, byte for byte", "[jwe][ecdh]") {
  // Bob's key pair and the ephemeral secret are those of RFC 7748 §6.1, which A.6 reuses.
  const auto bob = jot_jwe_test::raw_x25519_private(
      hex_decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  const auto ephemeral = jot_jwe_test::raw_x25519_private(
      hex_decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  const nlohmann::json bob_public = {
      {"kty", "OKP"}, {"crv", "X25519"}, {"x", "3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08"}};
  const nlohmann::json epk = {
      {"kty", "OKP"}, {"crv", "X25519"}, {"x", "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}};
  const std::string z =
      hex_decode("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  CHECK(jot_jwe_test::public_jwk_of(bob.get(), "X25519") == bob_public);

  const auto received = agree_as_recipient(bob.get(), epk);
  REQUIRE(received.has_value());
  CHECK(received->unsafe_bytes() == z);

  const auto sent = agree_with_ephemeral(ephemeral.get(), bob.get());
  REQUIRE(sent.has_value());
  CHECK(sent->shared_secret.unsafe_bytes() == z);
  CHECK(sent->epk == epk);
}

TEST_CASE("RFC 8037 Appendix A.6 as a token: its header and ephemeral key, Bob decrypts",
          "[jwe][ecdh]") {
  // A.6 publishes the header and Z, not a token: seal one under its exact header with its
  // ephemeral key, check the epk jot derives from that key is the published one, and open it
  // with Bob's key (tests/fixed_keys.hpp's x25519_pem) through the decrypter's own steps.
  const auto ephemeral = jot_jwe_test::raw_x25519_private(
      hex_decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  const std::string header =
      R"({"alg":"ECDH-ES+A128KW","epk":{"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},"enc":"A128GCM","kid":"Bob"})";
  const auto bob = jot::jwe::decryption_key::from_pem(jot::jwe::key_management::ecdh_es_a128kw,
                                                      jot_test::pem::x25519_pem)
                       .value()
                       .with_key_id("Bob")
                       .value();
  const auto enc = jot::jwe::content_encryption::a128gcm;
  jot::jwe::detail::injected_inputs injected;
  injected.ephemeral = ephemeral.get();
  const auto delivered = jot::jwe::detail::deliver_key(bob.encryption_key().value().material(), enc,
                                                       {}, std::move(injected));
  REQUIRE(delivered);
  CHECK(delivered->header_members.at("epk") == nlohmann::json::parse(header).at("epk"));
  const std::string plaintext = "Live long and prosper.";
  const auto token = jot::jwe::detail::seal(enc, jot::base64url_encode(header), *delivered,
                                            std::string(12, '\x07'), plaintext);
  REQUIRE(token);
  const std::vector<jot::jwe::detail::decrypter_entry> entries{
      {bob, jot::jwe::detail::enc_bit(enc)}};
  const auto opened = jot::jwe::detail::open_token(
      entries, jot::jwe::default_max_encrypted_token_size, jot::default_max_json_depth, *token);
  REQUIRE(opened);
  CHECK(opened->plaintext == plaintext);
}

TEST_CASE("sender and recipient agree on every curve; the epk holds the public members only",
          "[jwe][ecdh]") {
  for (const auto& curve : agreement_curves) {
    INFO("curve " << curve.crv);
    const auto recipient = jot_jwe_test::generate(curve);
    for (int round = 0; round < 3; ++round) {
      const auto sent = agree_as_sender(recipient.get());
      REQUIRE(sent.has_value());
      const auto& epk = sent->epk;
      CHECK(epk.at("kty") == curve.kty);
      CHECK(epk.at("crv") == curve.crv);
      const std::size_t coordinate_length = (curve.size * 4 + 2) / 3;
      CHECK(epk.at("x").get<std::string>().size() == coordinate_length);
      if (curve.kty == "EC") {
        CHECK(epk.size() == 4);
        CHECK(epk.at("y").get<std::string>().size() == coordinate_length);
      } else {
        CHECK(epk.size() == 3);
      }
      CHECK(sent->shared_secret.size() == curve.size);

      const auto received = agree_as_recipient(recipient.get(), epk);
      REQUIRE(received.has_value());
      CHECK(*received == sent->shared_secret);
      // The ephemeral key is fresh each time.
      const auto again = agree_as_sender(recipient.get());
      REQUIRE(again.has_value());
      CHECK(again->epk != epk);
      CHECK(again->shared_secret != sent->shared_secret);
    }
  }
}

TEST_CASE("an epk on another curve or of another key type is invalid_ephemeral_key",
          "[jwe][ecdh]") {
  for (const auto& recipient_curve : agreement_curves) {
    const auto recipient = jot_jwe_test::generate(recipient_curve);
    for (const auto& other : agreement_curves) {
      if (&other == &recipient_curve) continue;
      INFO("recipient " << recipient_curve.crv << ", epk on " << other.crv);
      const auto sender = agree_as_sender(jot_jwe_test::generate(other).get());
      REQUIRE(sender.has_value());
      CHECK(agree_as_recipient(recipient.get(), sender->epk).error() ==
            errc::invalid_ephemeral_key);
      // The right crv on a point of the other curve is refused as well.
      auto relabelled = sender->epk;
      relabelled["kty"] = recipient_curve.kty;
      relabelled["crv"] = recipient_curve.crv;
      CHECK(agree_as_recipient(recipient.get(), relabelled).error() == errc::invalid_ephemeral_key);
    }
  }
  // Curves jot does not agree on, with the kty they would have.
  const auto p256 = jot_jwe_test::key_from_jwk(rfc7518_bob);
  const auto epk = public_members(rfc7518_alice);
  const std::pair<const char*, const char*> foreign[] = {
      {"EC", "P-192"}, {"EC", "secp256k1"}, {"EC", "P-256K"}, {"OKP", "X448"},  {"OKP", "Ed25519"},
      {"EC", "p-256"}, {"EC", "P-256 "},    {"oct", "P-256"}, {"RSA", "P-256"}, {"ec", "P-256"}};
  for (const auto& [kty, crv] : foreign) {
    INFO(kty << " " << crv);
    auto changed = epk;
    changed["kty"] = kty;
    changed["crv"] = crv;
    CHECK(agree_as_recipient(p256.get(), changed).error() == errc::invalid_ephemeral_key);
  }
}

TEST_CASE("an epk that carries a private key (d) is invalid_ephemeral_key", "[jwe][ecdh]") {
  const auto bob = jot_jwe_test::key_from_jwk(rfc7518_bob);
  CHECK(agree_as_recipient(bob.get(), rfc7518_alice).error() == errc::invalid_ephemeral_key);
  auto empty_d = public_members(rfc7518_alice);
  empty_d["d"] = "";
  CHECK(agree_as_recipient(bob.get(), empty_d).error() == errc::invalid_ephemeral_key);

  const auto x25519 = jot_jwe_test::generate(agreement_curves[3]);
  const auto ephemeral = jot_jwe_test::generate(agreement_curves[3]);
  auto with_d = jot_jwe_test::public_jwk_of(ephemeral.get(), "X25519");
  CHECK(agree_as_recipient(x25519.get(), with_d).has_value());
  with_d["d"] = jot::base64url_encode(jot_jwe_test::raw_private(ephemeral.get()));
  CHECK(agree_as_recipient(x25519.get(), with_d).error() == errc::invalid_ephemeral_key);
}

TEST_CASE("an epk with malformed members is invalid_ephemeral_key", "[jwe][ecdh]") {
  const auto bob = jot_jwe_test::key_from_jwk(rfc7518_bob);
  const auto epk = public_members(rfc7518_alice);
  REQUIRE(agree_as_recipient(bob.get(), epk).has_value());
  const std::string x = epk.at("x"), y = epk.at("y");
  const std::string x_bytes = b64u(x);

  std::vector<std::pair<std::string, nlohmann::json>> cases;
  const auto with = [&epk](const char* member, nlohmann::json value) {
    auto changed = epk;
    changed[member] = std::move(value);
    return changed;
  };
  const auto without = [&epk](const char* member) {
    auto changed = epk;
    changed.erase(member);
    return changed;
  };
  cases.emplace_back("not an object", nlohmann::json::array({epk}));
  cases.emplace_back("a string", epk.dump());
  cases.emplace_back("null", nullptr);
  cases.emplace_back("no kty", without("kty"));
  cases.emplace_back("no crv", without("crv"));
  cases.emplace_back("no x", without("x"));
  cases.emplace_back("no y", without("y"));
  cases.emplace_back("crv not a string", with("crv", 256));
  cases.emplace_back("x not a string", with("x", nlohmann::json::array({x})));
  cases.emplace_back("x one byte short", with("x", jot::base64url_encode(x_bytes.substr(1))));
  cases.emplace_back("x one byte long",
                     with("x", jot::base64url_encode(std::string(1, '\0') + x_bytes)));
  cases.emplace_back("x padded", with("x", x + "="));
  cases.emplace_back("x in standard base64",
                     with("x", "gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0+"));
  // 43 characters hold 258 bits: the last character's two unused bits must be zero.
  std::string loose = x;
  loose.back() = static_cast<char>(loose.back() + 1);
  cases.emplace_back("x with non-zero unused bits", with("x", loose));
  cases.emplace_back("x with a character outside base64url", with("x", "*" + x.substr(1)));
  cases.emplace_back("x longer than any coordinate", with("x", std::string(100000, 'A')));
  cases.emplace_back("y empty", with("y", ""));
  for (const auto& [name, value] : cases) {
    INFO(name);
    CHECK(agree_as_recipient(bob.get(), value).error() == errc::invalid_ephemeral_key);
  }
}

TEST_CASE("an EC epk off the curve or at infinity is invalid_ephemeral_key", "[jwe][ecdh]") {
  for (std::size_t c = 0; c < 3; ++c) {
    const agreement_curve& curve = agreement_curves[c];
    INFO("curve " << curve.crv);
    const auto recipient = jot_jwe_test::generate(curve);
    const auto sent = agree_as_sender(recipient.get());
    REQUIRE(sent.has_value());
    const std::string x = b64u(sent->epk.at("x").get<std::string>());
    const std::string y = b64u(sent->epk.at("y").get<std::string>());
    const auto point = [&sent](const std::string& px, const std::string& py) {
      auto epk = sent->epk;
      epk["x"] = jot::base64url_encode(px);
      epk["y"] = jot::base64url_encode(py);
      return epk;
    };
    const std::string zero(curve.size, '\0');
    std::string y_plus_one = y;
    y_plus_one.back() = static_cast<char>(y_plus_one.back() ^ 1);
    std::string x_flipped = x;
    x_flipped[curve.size / 2] = static_cast<char>(x_flipped[curve.size / 2] ^ 0x10);
    const std::string prime = jot_jwe_test::field_prime(curve);
    const nlohmann::json refused[] = {
        point(zero, zero),     // the point at infinity in the JWK's only spelling (0, 0)
        point(x, y_plus_one),  // y changed: off the curve
        point(x_flipped, y),   // x changed: off the curve
        point(x, zero),        // y = 0 would be a point of order 2, not on these curves
        point(prime, y),       // x = p: not a field element
        point(x, prime),       // y = p
        point(y, x),           // the coordinates swapped
    };
    for (const auto& epk : refused) {
      INFO(epk.dump());
      CHECK(agree_as_recipient(recipient.get(), epk).error() == errc::invalid_ephemeral_key);
    }
    // (x, p - y) is the negated point, on the curve: accepted, with the same Z, since d(-P) is
    // -(dP), which has the x-coordinate of dP.
    const auto negated =
        agree_as_recipient(recipient.get(), point(x, jot_jwe_test::subtract(prime, y)));
    REQUIRE(negated.has_value());
    CHECK(*negated == sent->shared_secret);
  }
}

TEST_CASE("every X25519 point of small order is invalid_ephemeral_key, with or without bit 255",
          "[jwe][ecdh]") {
  const auto recipient = jot_jwe_test::generate(agreement_curves[3]);
  std::size_t checked = 0;
  for (const auto& point : jot::jwe::detail::x25519_small_order_points) {
    for (const unsigned char top : {0x00, 0x80}) {
      std::string u(reinterpret_cast<const char*>(point), 32);
      u[31] = static_cast<char>(static_cast<unsigned char>(u[31]) | top);
      INFO("u = " << jot_jwe_test::hex_encode(u));
      // The list is right: OpenSSL's X25519 with this point yields no usable secret (it refuses
      // the all-zero output itself, RFC 7748 §6.1).
      const auto peer = jot_jwe_test::raw_x25519_public(u);
      CHECK_FALSE(jot::jwe::detail::derive_shared_secret(recipient.get(), peer.get()).has_value());
      const nlohmann::json epk = {
          {"kty", "OKP"}, {"crv", "X25519"}, {"x", jot::base64url_encode(u)}};
      CHECK(agree_as_recipient(recipient.get(), epk).error() == errc::invalid_ephemeral_key);
      // Configured as a recipient's public key, it is refused as a key.
      const auto own = jot_jwe_test::generate(agreement_curves[3]);
      CHECK(agree_with_ephemeral(own.get(), peer.get()).error() == errc::invalid_key);
      ++checked;
    }
  }
  CHECK(checked == 14);
  // Neighbours of those points are ordinary public values.
  for (const char* u : {"0200000000000000000000000000000000000000000000000000000000000000",
                        "0900000000000000000000000000000000000000000000000000000000000000",
                        "ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
    const nlohmann::json epk = {
        {"kty", "OKP"}, {"crv", "X25519"}, {"x", jot::base64url_encode(hex_decode(u))}};
    INFO(u);
    CHECK(agree_as_recipient(recipient.get(), epk).has_value());
  }
}

TEST_CASE("keys ECDH-ES does not run on are refused by type and curve", "[jwe][ecdh]") {
  const jot::detail::evp_pkey_ptr ed25519(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  const jot::detail::evp_pkey_ptr x448(EVP_PKEY_Q_keygen(nullptr, nullptr, "X448"));
  const jot::detail::evp_pkey_ptr k256(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
  REQUIRE((ed25519 && x448 && k256));
  CHECK(agree_as_sender(ed25519.get()).error() == errc::key_type_mismatch);
  CHECK(agree_as_sender(x448.get()).error() == errc::key_type_mismatch);
  CHECK(agree_as_sender(k256.get()).error() == errc::curve_mismatch);
  CHECK(agree_as_sender(nullptr).error() == errc::invalid_argument);
  const nlohmann::json epk = {{"kty", "OKP"}, {"crv", "X25519"}, {"x", std::string(43, 'A')}};
  CHECK(agree_as_recipient(ed25519.get(), epk).error() == errc::key_type_mismatch);
  CHECK(agree_as_recipient(k256.get(), public_members(rfc7518_alice)).error() ==
        errc::curve_mismatch);
  // An ephemeral key on another curve than the recipient's.
  const auto p384 = jot_jwe_test::generate(agreement_curves[1]);
  const auto bob = jot_jwe_test::key_from_jwk(rfc7518_bob);
  CHECK(agree_with_ephemeral(p384.get(), bob.get()).error() == errc::curve_mismatch);
}

TEST_CASE("concat_kdf derives 128 to 512 bits as RFC 7518 §4.6.2 specifies", "[jwe][ecdh][kdf]") {
  const jot::secret_bytes z(hex_decode(
      "9e56d91d817135d372834283bf84269cfb316ea3da806a48f6daa7798cfe90c4"));  // RFC 7518 App. C
  for (const std::size_t bytes : {16, 24, 32, 48, 64}) {
    INFO(bytes * 8 << " bits");
    for (const char* id : {"A128GCM", "ECDH-ES+A128KW", "A256CBC-HS512", ""}) {
      const auto derived = concat_kdf(z, id, bytes, "Alice", "Bob");
      REQUIRE(derived.has_value());
      CHECK(derived->size() == bytes);
      // An independent reading of the construction: SHA-256 rounds over a counter, Z and the
      // OtherInfo built field by field.
      CHECK(derived->unsafe_bytes() ==
            jot_jwe_test::reference_concat_kdf(z.unsafe_bytes(), id, bytes, "Alice", "Bob"));
    }
  }
  // The key length is part of the input: a shorter key is no prefix of a longer one.
  const auto k16 = concat_kdf(z, "A128GCM", 16, "", "");
  const auto k32 = concat_kdf(z, "A128GCM", 32, "", "");
  REQUIRE((k16 && k32));
  CHECK(k32->unsafe_bytes().substr(0, 16) != k16->unsafe_bytes());
  // Each field is length-prefixed, so moving a byte between apu and apv changes the key.
  const auto ab = concat_kdf(z, "A128GCM", 16, "ab", "c");
  const auto a_bc = concat_kdf(z, "A128GCM", 16, "a", "bc");
  REQUIRE((ab && a_bc));
  CHECK(*ab != *a_bc);
  // apu and apv are bytes, not text: NUL and high bytes pass through.
  const auto binary = concat_kdf(z, "A128GCM", 16, std::string("\0\xff", 2), "");
  REQUIRE(binary.has_value());
  CHECK(binary->unsafe_bytes() == jot_jwe_test::reference_concat_kdf(z.unsafe_bytes(), "A128GCM",
                                                                     16, std::string("\0\xff", 2),
                                                                     ""));

  CHECK(concat_kdf(z, "A128GCM", 0, "", "").error() == errc::invalid_argument);
  CHECK(concat_kdf(z, "A128GCM", 65, "", "").error() == errc::invalid_argument);
  CHECK(concat_kdf(jot::secret_bytes(), "A128GCM", 16, "", "").error() == errc::invalid_argument);
}

TEST_CASE("RFC 7520 §5.4 and §5.5: the cookbook's ECDH-ES keys, byte for byte", "[jwe][ecdh]") {
  // §5.5: ECDH-ES direct on P-256, the CEK of A128CBC-HS256 (256 bits) is the derived key.
  {
    const auto doc = jot_jwe_test::load(
        "jose-cookbook/jwe/5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json");
    const auto recipient = jot_jwe_test::key_from_jwk(doc.at("input").at("key"));
    const auto& protected_header = doc.at("encrypting_content").at("protected");
    const auto z = agree_as_recipient(recipient.get(), protected_header.at("epk"));
    REQUIRE(z.has_value());
    const auto cek = concat_kdf(*z, protected_header.at("enc").get<std::string>(), 32, "", "");
    REQUIRE(cek.has_value());
    CHECK(jot::base64url_encode(cek->unsafe_bytes()) == doc.at("encrypting_key").at("cek"));
    // The sender with the published ephemeral key writes the published epk.
    const auto ephemeral = jot_jwe_test::key_from_jwk(doc.at("encrypting_key").at("epk"));
    const auto sent = agree_with_ephemeral(ephemeral.get(), recipient.get());
    REQUIRE(sent.has_value());
    CHECK(sent->epk == protected_header.at("epk"));
    CHECK(sent->shared_secret == *z);
  }
  // §5.4: ECDH-ES+A128KW on P-384; the derived key (AlgorithmID "ECDH-ES+A128KW", 128 bits)
  // unwraps the published encrypted key to the published CEK (AES key wrap, RFC 3394).
  {
    const auto doc = jot_jwe_test::load(
        "jose-cookbook/jwe/"
        "5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json");
    const auto recipient = jot_jwe_test::key_from_jwk(doc.at("input").at("key"));
    const auto& protected_header = doc.at("encrypting_content").at("protected");
    const auto z = agree_as_recipient(recipient.get(), protected_header.at("epk"));
    REQUIRE(z.has_value());
    const auto kek = concat_kdf(*z, protected_header.at("alg").get<std::string>(), 16, "", "");
    REQUIRE(kek.has_value());
    const std::string wrapped =
        b64u(doc.at("encrypting_key").at("encrypted_key").get<std::string>());
    CHECK(jot::base64url_encode(jot_jwe_test::aes_key_unwrap(kek->unsafe_bytes(), wrapped)) ==
          doc.at("generated").at("cek"));
  }
}
