// Writes the seed corpus of every fuzz target into <folder>/<target>/ (tests/fuzz/corpus when
// run through `cmake --build <dir> --target jot_fuzz_corpus`), or of the targets named after the
// folder only. The seeds are committed; rerun
// this only when a target's input format or the fixed keys change. ECDSA and RSA-PSS signatures
// are randomized, so those seeds differ on every run, and are equally valid.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ecdh_fixed_keys.hpp"
#include "fixed_keys.hpp"
#include "fuzz_jwe_keys.hpp"
#include "fuzz_support.hpp"
#include "json_edit.hpp"

#include <jot/jot.hpp>
#include <jot/jwe.hpp>

namespace {

using jot::algorithm;
using std::chrono::seconds;
using std::chrono::system_clock;

std::filesystem::path root;
std::set<std::string> only;  // the targets to write; empty: all

void write(const std::string& target, const std::string& name, std::string_view bytes) {
  if (!only.empty() && only.count(target) == 0) return;
  const auto folder = root / target;
  std::filesystem::create_directories(folder);
  std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string name_of(algorithm alg) { return jot_test::fixed_kid(alg); }

std::uint8_t index_of(algorithm alg) { return static_cast<std::uint8_t>(alg); }

system_clock::time_point at(std::int64_t unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

// --- fuzz_verify: the layout of its control byte is documented in fuzz_verify.cpp ------------

constexpr std::int64_t verify_now = 1750000000;  // fuzz_verify's fixed clock
constexpr std::uint8_t every_key = 0x10, default_policy = 0x20, oracle = 0x40;

void verify_seeds() {
  const std::vector<algorithm> one_per_key_type = {
      algorithm::hs256,  algorithm::rs256,   algorithm::ps256, algorithm::es256,
      algorithm::es256k, algorithm::ed25519, algorithm::ed448};
  for (algorithm alg : jot::all_algorithms) {
    const auto& key = jot_test::fixed_keys().signer(alg);
    // A token the lenient policy accepts at its fixed clock.
    auto claims = jot::claims::builder(at(verify_now - 60))
                      .issuer("https://issuer.example")
                      .subject("user-1")
                      .audience(std::vector<std::string>{"api", "web"})
                      .not_before(at(verify_now - 60))
                      .expires_in(seconds(3600))
                      .claim("roles", nlohmann::json::array({"reader", "writer"}))
                      .build()
                      .value();
    const auto token = jot::encoder{key}.sign(claims).value();
    write("fuzz_verify", name_of(alg) + "-lenient",
          std::string(1, static_cast<char>(index_of(alg))) + token);
  }
  for (algorithm alg : one_per_key_type) {
    const auto& key = jot_test::fixed_keys().signer(alg);
    const std::string control(1, static_cast<char>(index_of(alg)));
    // A token the default policy accepts on the real clock until 2200.
    auto claims = jot::claims::builder(at(verify_now))
                      .subject("user-2")
                      .expires_at(at(7258118400))
                      .build()
                      .value();
    const auto token = jot::encoder{key}.sign(claims).value();
    write("fuzz_verify", name_of(alg) + "-default-every-key",
          std::string(1, static_cast<char>(index_of(alg) | every_key | default_policy)) + token);

    // Oracle mode, canonical header: the payload alone.
    write("fuzz_verify", name_of(alg) + "-oracle-payload",
          std::string(1, static_cast<char>(index_of(alg) | oracle)) +
              R"({"sub":"u","iat":1749999990,"nbf":1749999000.5,"exp":1750003600,)"
              R"("aud":["a","b"],"x":[1,-2.5e3,null,true,{"y":"\u00e9"}]})");
    // Oracle mode with a header: a critical extension the lenient policy understands.
    const std::string header = R"({"alg":")" + std::string(jot::algorithm_name(alg)) +
                               R"(","kid":")" + name_of(alg) +
                               R"(","typ":"at+jwt","crit":["x-crit"],"x-crit":1})";
    write("fuzz_verify", name_of(alg) + "-oracle-header",
          std::string(1, static_cast<char>(index_of(alg) | oracle | every_key)) + header +
              std::string(1, '\0') + R"({"iss":"i","exp":1750000030})");
  }
  // Malformed tokens: alg none, two segments, padding.
  write("fuzz_verify", "none-alg", std::string(1, '\0') + "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
  write("fuzz_verify", "two-segments", std::string(1, '\0') + "eyJhbGciOiJIUzI1NiJ9.e30");
  write("fuzz_verify", "padded", std::string(1, '\0') + "eyJhbGciOiJIUzI1NiJ9.e30=.AA");
}

// --- fuzz_jwk: control byte 0 (no algorithm asked for) or 1 + index ----------------------------

void jwk_seeds() {
  nlohmann::json public_keys = nlohmann::json::array();
  for (algorithm alg : jot::all_algorithms) {
    const auto& key = jot_test::fixed_keys().signer(alg);
    const auto private_jwk = jot::unsafe_to_private_jwk(key).value();
    if (jot::is_hmac(alg)) {
      write("fuzz_jwk", name_of(alg) + "-oct", std::string(1, '\0') + private_jwk.dump());
      continue;
    }
    const auto public_jwk = jot::to_public_jwk(key).value();
    public_keys.push_back(public_jwk);
    write("fuzz_jwk", name_of(alg) + "-public", std::string(1, '\0') + public_jwk.dump());
    if (alg == algorithm::rs256 || alg == algorithm::es256 || alg == algorithm::es256k ||
        alg == algorithm::ed25519 || alg == algorithm::ed448) {
      write("fuzz_jwk", name_of(alg) + "-private", std::string(1, '\0') + private_jwk.dump());
    }
  }
  // RSA private JWKs judged member by member: d alone is a complete key; d alone but not the
  // inverse of e (a key that would sign what its public key rejects), and CRT members that
  // disagree with d, are invalid_key.
  const auto rsa =
      jot::unsafe_to_private_jwk(jot_test::fixed_keys().signer(algorithm::rs256)).value();
  const auto d_only = jot_test::json_with(
      rsa, {{"p", nullptr}, {"q", nullptr}, {"dp", nullptr}, {"dq", nullptr}, {"qi", nullptr}});
  write("fuzz_jwk", "rs256-private-d-only", std::string(1, '\0') + d_only.dump());
  const auto wrong_d = jot_test::json_with(d_only, {{"d", rsa["p"]}});
  write("fuzz_jwk", "rs256-private-wrong-d", std::string(1, '\0') + wrong_d.dump());
  const auto swapped = jot_test::json_with(rsa, {{"dp", rsa["dq"]}, {"dq", rsa["dp"]}});
  write("fuzz_jwk", "rs256-private-crt-swapped", std::string(1, '\0') + swapped.dump());

  // No alg in the JWK: the caller names it (ES384 is index 10, so control byte 11).
  const auto without_alg = jot_test::json_with(
      jot::to_public_jwk(jot_test::fixed_keys().signer(algorithm::es384)).value(),
      {{"alg", nullptr}});
  write("fuzz_jwk", "es384-no-alg", std::string(1, '\x0b') + without_alg.dump());

  write("fuzz_jwk", "jwks-public",
        std::string(1, '\0') + nlohmann::json{{"keys", public_keys}}.dump());
  nlohmann::json mixed = nlohmann::json::array();
  mixed.push_back(
      jot::unsafe_to_private_jwk(jot_test::fixed_keys().signer(algorithm::hs256)).value());
  mixed.push_back(public_keys[0]);
  mixed.push_back(nlohmann::json{
      {"kty", "OKP"}, {"crv", "X25519"}, {"x", "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"}});
  mixed.push_back(jot_test::json_with(public_keys[1], {{"use", "enc"}, {"kid", "enc-1"}}));
  write("fuzz_jwk", "jwks-mixed", std::string(1, '\0') + nlohmann::json{{"keys", mixed}}.dump());
}

// --- fuzz_claims: the call encoding of fuzz_claims.cpp's read_call -----------------------------

enum : std::uint8_t {
  issuer,
  subject,
  jwt_id,
  audience,
  audience_list,
  expires_in,
  expires_at,
  without_expiration,
  not_before,
  issued_at,
  without_issued_at,
  claim,
  allow_sensitive,
};
// fuzz_claims reads a time offset as u64 % 2^41 - 2^40 (see read_offset).
std::uint64_t offset(std::int64_t seconds) {
  return static_cast<std::uint64_t>(seconds + (std::int64_t{1} << 40));
}

// A JSON value in fuzz_claims' read_value encoding: a kind byte, then the value.
void encode_value(jot_fuzz::input_writer& out, const nlohmann::json& value) {
  if (value.is_null()) {
    out.byte(0);
  } else if (value.is_boolean()) {
    out.byte(1).byte(value.get<bool>() ? 1 : 0);
  } else if (value.is_number_unsigned()) {
    out.byte(3).u64(value.get<std::uint64_t>());
  } else if (value.is_number_integer()) {
    out.byte(2).i64(value.get<std::int64_t>());
  } else if (value.is_number_float()) {
    out.byte(4).f64(value.get<double>());
  } else if (value.is_string()) {
    out.byte(5).text(value.get<std::string>());
  } else if (value.is_array()) {
    out.byte(6).byte(static_cast<std::uint8_t>(value.size()));
    for (const auto& item : value) encode_value(out, item);
  } else {
    out.byte(7).byte(static_cast<std::uint8_t>(value.size()));
    for (const auto& [name, item] : value.items()) {
      out.text(name);
      encode_value(out, item);
    }
  }
}

// A sequence of builder calls in fuzz_claims' read_call encoding, one method per kind of call.
class claims_calls {
 public:
  claims_calls& with_text(std::uint8_t kind, std::string_view text) {
    out_.byte(kind).text(text);
    return *this;
  }
  claims_calls& with_offset(std::uint8_t kind, std::int64_t seconds) {
    out_.byte(kind).u64(offset(seconds));
    return *this;
  }
  claims_calls& expiring_in(std::int64_t seconds) {  // a lifetime is read as a plain i64
    out_.byte(expires_in).i64(seconds);
    return *this;
  }
  claims_calls& bare(std::uint8_t kind) {
    out_.byte(kind);
    return *this;
  }
  claims_calls& audiences(const std::vector<std::string>& values) {
    out_.byte(audience_list).byte(static_cast<std::uint8_t>(values.size()));
    for (const auto& value : values) out_.text(value);
    return *this;
  }
  claims_calls& custom(std::string_view name, const nlohmann::json& value) {
    out_.byte(claim).text(name);
    encode_value(out_, value);
    return *this;
  }
  const std::string& bytes() const { return out_.bytes(); }

 private:
  jot_fuzz::input_writer out_;
};

void claims_seeds() {
  const std::vector<claims_calls> templates = {
      // An access token: iss, sub, aud, exp, and two custom claims.
      claims_calls{}
          .with_text(issuer, "https://auth.example")
          .with_text(subject, "user-42")
          .with_text(audience, "orders")
          .expiring_in(900)
          .custom("role", "admin")
          .custom("scope", nlohmann::json::array({"a", "b"})),
      // Never expires, not valid for ten more seconds: token_not_yet_valid.
      claims_calls{}.bare(without_expiration).with_offset(not_before, 10),
      // Expired ten seconds ago.
      claims_calls{}.with_offset(expires_at, -10).with_text(jwt_id, "id-1"),
      // A sensitive name, then allowed; numbers of every kind in an object.
      claims_calls{}
          .expiring_in(60)
          .custom("password_hint", {{"i", -7}, {"u", 18446744073709551615u}, {"f", 0.1}})
          .with_text(allow_sensitive, "password_hint"),
      // An audience list, no iat, then an iat in the past, and scalar claims.
      claims_calls{}
          .audiences({"a", "b", "c"})
          .bare(without_issued_at)
          .with_offset(issued_at, -100)
          .expiring_in(120)
          .custom("flag", true)
          .custom("nothing", nullptr),
  };
  for (algorithm alg : jot::all_algorithms) {
    jot_fuzz::input_writer seed;
    seed.byte(index_of(alg)).u64(750000000);  // the clock: 1e9 + 750000000 = 2025-06-15
    seed.rest(templates[static_cast<std::size_t>(alg) % templates.size()].bytes());
    write("fuzz_claims", name_of(alg), seed.bytes());
  }
  // A registered name as a custom claim: reserved_claim.
  jot_fuzz::input_writer seed;
  seed.byte(0).u64(750000000);
  seed.rest(claims_calls{}.expiring_in(60).custom("kid", "x").bytes());
  write("fuzz_claims", "reserved-name", seed.bytes());
  // JSON has no NaN or infinity: invalid_argument, at the top of a value or deep inside it.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double infinity = std::numeric_limits<double>::infinity();
  jot_fuzz::input_writer non_finite;
  non_finite.byte(0).u64(750000000);
  non_finite.rest(claims_calls{}.expiring_in(60).custom("score", nan).bytes());
  write("fuzz_claims", "nan-claim", non_finite.bytes());
  jot_fuzz::input_writer nested;
  nested.byte(0).u64(750000000);
  nested.rest(claims_calls{}
                  .expiring_in(60)
                  .custom("limits", {{"max", nlohmann::json::array({1, infinity})}})
                  .bytes());
  write("fuzz_claims", "infinity-in-object", nested.bytes());
}

// --- fuzz_json and fuzz_base64url: plain text --------------------------------------------------

void text_seeds() {
  const std::pair<const char*, std::string> json_seeds[] = {
      {"empty-object", "{}"},
      {"header", R"({"alg":"HS256","typ":"JWT","kid":"k1"})"},
      {"claims", R"({"iss":"a","aud":["b","c"],"exp":1700000000,"nbf":1.5,"x":{"y":[null,true]}})"},
      {"escapes", R"({"\u0061lg":"\ud83d\ude00\n\t\"\\\/","a\u0000b":"\u00e9"})"},
      {"duplicate", R"({"alg":"HS256","\u0061lg":"none"})"},
      {"numbers",
       R"({"a":-0,"b":18446744073709551615,"c":-9223372036854775808,"d":1e308,"e":1e400})"},
      {"deep", std::string(40, '[') + std::string(40, ']')},
      {"nested-objects", R"({"a":{"b":{"c":{"d":{"e":{}}}}}})"},
      {"bom", "\xEF\xBB\xBF{}"},
      {"trailing", R"({"a":1} {"b":2})"},
      {"comment", "{/* c */\"a\":1}"},
      {"not-object", "[1,2,3]"},
      {"bad-utf8", "{\"a\":\"\xC3\x28\"}"},
  };
  for (const auto& [name, text] : json_seeds) write("fuzz_json", name, text);

  const std::pair<const char*, std::string> base64_seeds[] = {
      {"empty", ""},
      {"one-byte", "QQ"},
      {"two-bytes", "QUI"},
      {"three-bytes", "QUJD"},
      {"header", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"},
      {"url-alphabet", "-_-_"},
      {"standard-alphabet", "+/+/"},
      {"padded", "QQ=="},
      {"non-canonical", "QR"},
      {"length-4n+1", "QUJDR"},
      {"binary", std::string("\x00\xff\x10\x80.", 5)},
  };
  for (const auto& [name, text] : base64_seeds) write("fuzz_base64url", name, text);
}

// --- fuzz_jwe: the layout of its control byte is documented in fuzz_jwe.cpp --------------------

void jwe_seeds() {
  const auto& keys = jot_fuzz::fixed_jwe_keys();
  const std::string jws =
      jot::encoder{jot::signing_key::hs256(jot_fuzz::fixed_jwe_secret(32)).value()}
          .sign(jot::claims::builder{}.subject("fuzz").allow_missing_expiration().build().value())
          .value();
  for (std::uint8_t index = 0; index < keys.size(); ++index) {
    for (std::uint8_t selector = 0; selector < 4; ++selector) {
      const auto& key = keys[index];
      const auto enc = jot_fuzz::fuzz_enc(key, selector);
      const std::uint8_t control = static_cast<std::uint8_t>(index | selector << 3);
      const std::string name = std::string(jot::jwe::key_management_name(key.alg())) + "-" +
                               std::to_string(index) + "-" +
                               std::string(jot::jwe::content_encryption_name(enc));
      const auto encrypter = jot::jwe::encrypter::create(key.encryption_key().value(), enc).value();
      write("fuzz_jwe", name + "-token",
            std::string(1, static_cast<char>(control)) + encrypter.encrypt_signed(jws).value());
      write("fuzz_jwe", name + "-oracle", std::string(1, static_cast<char>(control | 0x20)) + jws);
    }
  }
  write("fuzz_jwe", "oracle-zip-header",
        std::string(1, '\x23') + R"({"alg":"A128KW","enc":"A128GCM","zip":"DEF"})" +
            std::string(1, '\0') + jws);
  write("fuzz_jwe", "oracle-crit-header",
        std::string(1, '\x23') + R"({"alg":"A128KW","enc":"A128GCM","crit":["x"],"x":1})" +
            std::string(1, '\0') + "{}");
}

// --- fuzz_ecdh: control byte (curve index, 0x04 round trip), key-length byte, epk --------------

void ecdh_seeds() {
  const char* names[] = {"p256", "p384", "p521", "x25519"};
  for (std::uint8_t i = 0; i < 4; ++i) {
    const auto& keys = jot_fuzz::ecdh_fixed_keys()[i];
    const auto recipient = jot_fuzz::ecdh_key(keys.recipient);
    const auto ephemeral = jot_fuzz::ecdh_key(keys.ephemeral);
    const auto sent = jot::jwe::detail::agree_with_ephemeral(ephemeral.get(), recipient.get());
    if (!sent) {
      std::cerr << "fuzz_ecdh: no agreement on " << names[i] << "\n";
      std::exit(1);
    }
    const auto seed = [i](std::uint8_t key_bytes, const nlohmann::json& epk) {
      return jot_fuzz::input_writer().byte(i).byte(key_bytes).rest(epk.dump()).bytes();
    };
    const std::string name = names[i];
    const nlohmann::json& epk = sent->epk;
    write("fuzz_ecdh", name + "-valid", seed(16, epk));
    write("fuzz_ecdh", name + "-valid-512-bits", seed(64, epk));
    write("fuzz_ecdh", name + "-round-trip",
          jot_fuzz::input_writer().byte(static_cast<std::uint8_t>(i | 0x04)).byte(32).bytes());
    write("fuzz_ecdh", name + "-with-d", seed(16, keys.ephemeral));
    auto other = epk;
    other["crv"] = i == 0 ? "P-384" : "P-256";
    write("fuzz_ecdh", name + "-other-crv", seed(16, other));
    auto padded = epk;
    padded["x"] = epk.at("x").get<std::string>() + "=";
    write("fuzz_ecdh", name + "-padded-x", seed(16, padded));
    if (i == 3) {
      auto with_y = epk;
      with_y["y"] = epk.at("x");
      write("fuzz_ecdh", name + "-with-y", seed(16, with_y));
      for (const char* u : {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",     // 0
                            "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",     // 1
                            "4Ot6fDtBuK4WVuP68Z_EatoJjeucMrH9hmIFFl9JuAA",     // order 8
                            "7P_______________________________________38"}) {  // p - 1
        auto small = epk;
        small["x"] = u;
        write("fuzz_ecdh", name + "-small-order-" + std::string(u, 4), seed(16, small));
      }
    } else {
      auto off_curve = epk;
      std::string y = jot::base64url_decode(epk.at("y").get<std::string>()).value_or("");
      y.back() = static_cast<char>(y.back() ^ 1);
      off_curve["y"] = jot::base64url_encode(y);
      write("fuzz_ecdh", name + "-off-curve", seed(16, off_curve));
      auto zero = epk;
      zero["x"] = zero["y"] = jot::base64url_encode(std::string(y.size(), '\0'));
      write("fuzz_ecdh", name + "-zero-point", seed(16, zero));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: jot_fuzz_make_corpus <corpus folder> [target...]\n";
    return 2;
  }
  root = argv[1];
  only.insert(argv + 2, argv + argc);
  verify_seeds();
  jwk_seeds();
  claims_seeds();
  text_seeds();
  jwe_seeds();
  ecdh_seeds();
  std::cout << "seed corpus written to " << root.string() << "\n";
  return 0;
}
