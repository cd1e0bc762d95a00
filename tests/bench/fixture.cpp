#include "fixture.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <nlohmann/json.hpp>

#include "bench.hpp"
#include "fixed_keys.hpp"
#include "floor.hpp"

namespace jot_bench {
namespace {

// 32 bytes: HS256's minimum (RFC 7518 §3.2), which jot enforces.
constexpr const char hmac_secret[] = "jot-bench-hs256-secret-of-32-b!!";

// The repository's fixed test keys (tests/fixed_keys.hpp), so that no run waits for key
// generation and every run signs with the same keys.
const char* private_pem_for(strict_floor::signature_family family) {
  switch (family) {
    case strict_floor::signature_family::ecdsa:
      return jot_test::pem::p256_pem;
    case strict_floor::signature_family::eddsa:
      return jot_test::pem::ed25519_pem;
    default:
      return jot_test::pem::rsa_2048_pem;
  }
}

std::optional<std::string> public_pem_of(const std::string& private_pem) {
  const strict_floor::bio_ptr in(
      BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  const strict_floor::pkey_ptr key(in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr)
                                      : nullptr);
  const strict_floor::bio_ptr out(BIO_new(BIO_s_mem()));
  if (!key || !out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) return std::nullopt;
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// The algorithm of the other_alg tokens (fixture.hpp says why): HS384 for HS256, HS256 for the
// others.
const jws_algorithm& other_algorithm_for(const jws_algorithm& alg) {
  static constexpr jws_algorithm hs384{"HS384", "HS384", strict_floor::signature_family::hmac,
                                       "SHA384", 0};
  constexpr const jws_algorithm& hs256 = strict_floor::jws_algorithms[0];
  static_assert(std::string_view(hs256.name) == "HS256");
  return alg.family == strict_floor::signature_family::hmac ? hs384 : hs256;
}

// Signs with `alg`'s key, and the other_alg tokens with the key material a verifier of `alg`
// holds: the secret, or the public key's PEM as an HMAC secret.
struct fixture_signers {
  strict_floor::strict_jwt own;
  strict_floor::strict_jwt other_alg;
};

std::optional<fixture_signers> signers_for(const jws_algorithm& alg, const key_material& key) {
  auto keys = make_signature_keys(alg, key);
  const jws_algorithm& other = other_algorithm_for(alg);
  auto other_key = strict_floor::prekeyed_signature::hmac(
      other, alg.family == strict_floor::signature_family::hmac ? key.secret : key.public_pem);
  if (!keys || !other_key) return std::nullopt;
  return fixture_signers{strict_floor::strict_jwt(alg, std::move(keys->signing)),
                         strict_floor::strict_jwt(other, std::move(*other_key))};
}

std::optional<token_variants> variants_of(const fixture_signers& signers,
                                          const token_claims& claims, const char* kid) {
  token_claims later = claims;
  later.expires_at += 3600;
  token_claims expired = claims;
  expired.issued_at -= 7200;
  expired.expires_at = claims.issued_at - 3600;
  auto valid = signers.own.sign(payload_json(claims), kid);
  const auto other = signers.own.sign(payload_json(later), kid);
  auto past = signers.own.sign(payload_json(expired), kid);
  auto other_alg = signers.other_alg.sign(payload_json(claims), kid);
  if (!valid || !other || !past || !other_alg) return std::nullopt;
  const auto valid_segments = strict_floor::split(*valid);
  const auto other_segments = strict_floor::split(*other);
  token_variants out;
  out.flipped_signature = *valid;
  // The signature's first character carries the first six bits of its first byte, so any change
  // there changes the signature (a change to the last character may only touch padding bits).
  char& flipped = out.flipped_signature[valid_segments->signing_input.size() + 1];
  flipped = flipped == 'A' ? 'B' : 'A';
  out.swapped_payload = std::string(valid_segments->header) + "." +
                        std::string(other_segments->payload) + "." +
                        std::string(valid_segments->signature);
  out.valid = std::move(*valid);
  out.expired = std::move(*past);
  out.other_alg = std::move(*other_alg);
  return out;
}

// The token variants by their names in the fixture file.
struct named_variant {
  const char* name;
  std::string token_variants::*token;
};
constexpr named_variant fixture_variants[] = {
    {"valid", &token_variants::valid},
    {"flipped_signature", &token_variants::flipped_signature},
    {"swapped_payload", &token_variants::swapped_payload},
    {"expired", &token_variants::expired},
    {"other_alg", &token_variants::other_alg},
};

// What a fixture file holds, once read and checked.
struct fixture_file_contents {
  token_claims claims;
  struct entry {
    key_material key;
    token_variants tokens;
  };
  std::map<std::string, entry, std::less<>> algorithms;
};

std::optional<fixture_file_contents>& fixture_file_in_use() {
  static std::optional<fixture_file_contents> contents;
  return contents;
}

const std::string* string_member(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? &found->get_ref<const std::string&>()
                                                     : nullptr;
}

const std::int64_t* integer_member(const nlohmann::json& object, const char* name) {
  const auto found = object.find(name);
  return found != object.end() && found->is_number_integer()
             ? found->get_ptr<const nlohmann::json::number_integer_t*>()
             : nullptr;
}

std::optional<token_claims> claims_of(const nlohmann::json& claims) {
  const std::string* subject = string_member(claims, "sub");
  const std::int64_t* issued_at = integer_member(claims, "iat");
  const std::int64_t* expires_at = integer_member(claims, "exp");
  const auto roles = claims.find("roles");
  if (!subject || !issued_at || !expires_at || roles == claims.end() || !roles->is_array()) {
    return std::nullopt;
  }
  token_claims out{*subject, {}, *issued_at, *expires_at, ""};
  for (const auto& role : *roles) {
    if (!role.is_string()) return std::nullopt;
    out.roles.push_back(role.get<std::string>());
  }
  return out;
}

std::optional<fixture_file_contents::entry> entry_of(const nlohmann::json& algorithm) {
  fixture_file_contents::entry out;
  if (const std::string* secret = string_member(algorithm, "secret")) {
    out.key.secret = *secret;
  } else {
    const std::string* private_pem = string_member(algorithm, "private_pem");
    const std::string* public_pem = string_member(algorithm, "public_pem");
    if (!private_pem || !public_pem) return std::nullopt;
    out.key.private_pem = *private_pem;
    out.key.public_pem = *public_pem;
  }
  const auto tokens = algorithm.find("tokens");
  if (tokens == algorithm.end() || !tokens->is_object()) return std::nullopt;
  for (const named_variant& variant : fixture_variants) {
    const std::string* token = string_member(*tokens, variant.name);
    if (!token) return std::nullopt;
    out.tokens.*variant.token = *token;
  }
  return out;
}

}  // namespace

const token_claims& canonical_claims() {
  static const token_claims claims = [] {
    if (const auto& file = fixture_file_in_use()) return file->claims;
    const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    return token_claims{"user-42", {"admin", "billing", "support"}, now, now + 24 * 3600, ""};
  }();
  return claims;
}

std::optional<algorithm_fixture> make_fixture(const jws_algorithm& alg) {
  algorithm_fixture fixture;
  fixture.alg = &alg;
  const auto& file = fixture_file_in_use();
  const fixture_file_contents::entry* from_file = nullptr;
  if (file) {
    const auto found = file->algorithms.find(std::string_view(alg.name));
    if (found == file->algorithms.end()) return std::nullopt;
    from_file = &found->second;
    fixture.key = from_file->key;
  } else if (alg.family == strict_floor::signature_family::hmac) {
    fixture.key.secret = hmac_secret;
  } else {
    fixture.key.private_pem = private_pem_for(alg.family);
    auto public_pem = public_pem_of(fixture.key.private_pem);
    if (!public_pem) return std::nullopt;
    fixture.key.public_pem = std::move(*public_pem);
  }
  const auto signers = signers_for(alg, fixture.key);
  if (!signers) return std::nullopt;
  token_claims with_jti = canonical_claims();
  with_jti.jti = canonical_jti;
  auto tokens = from_file ? std::optional<token_variants>(from_file->tokens)
                          : variants_of(*signers, canonical_claims(), nullptr);
  auto kid_tokens = variants_of(*signers, canonical_claims(), jwks_token_kid);
  auto jti_tokens = variants_of(*signers, with_jti, nullptr);
  if (!tokens || !kid_tokens || !jti_tokens) return std::nullopt;
  fixture.tokens = std::move(*tokens);
  fixture.kid_tokens = std::move(*kid_tokens);
  fixture.jti_tokens = std::move(*jti_tokens);
  return fixture;
}

bool write_fixture_file(const std::string& path,
                        const std::vector<const algorithm_fixture*>& fixtures) {
  nlohmann::json claims = payload_json(canonical_claims());
  nlohmann::json algorithms = nlohmann::json::object();
  for (const algorithm_fixture* fixture : fixtures) {
    nlohmann::json entry = nlohmann::json::object();
    if (fixture->alg->family == strict_floor::signature_family::hmac) {
      entry["secret"] = fixture->key.secret;
    } else {
      entry["private_pem"] = fixture->key.private_pem;
      entry["public_pem"] = fixture->key.public_pem;
    }
    for (const named_variant& variant : fixture_variants) {
      entry["tokens"][variant.name] = fixture->tokens.*variant.token;
    }
    algorithms[fixture->alg->name] = std::move(entry);
  }
  const nlohmann::json file{{"claims", std::move(claims)}, {"algorithms", std::move(algorithms)}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << file.dump(2) << '\n';
  out.close();
  if (!out) {
    std::fprintf(stderr, "cannot write the fixture file %s\n", path.c_str());
    return false;
  }
  return true;
}

std::optional<nlohmann::json> read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    std::fprintf(stderr, "%s is not JSON\n", path.c_str());
    return std::nullopt;
  }
  return json;
}

bool use_fixture_file(const std::string& path) {
  const auto read = read_json_file(path);
  if (!read) return false;
  const nlohmann::json& file = *read;
  const auto claims = file.is_object() && file.contains("claims") ? claims_of(file["claims"])
                                                                  : std::optional<token_claims>();
  const auto algorithms = file.is_object() ? file.find("algorithms") : file.end();
  if (!claims || algorithms == file.end() || !algorithms->is_object()) {
    std::fprintf(stderr, "%s is not a fixture file (jot_bench --write-fixture writes one)\n",
                 path.c_str());
    return false;
  }
  fixture_file_contents contents{*claims, {}};
  for (const auto& [name, algorithm] : algorithms->items()) {
    auto entry = entry_of(algorithm);
    if (!entry) {
      std::fprintf(stderr, "%s: the entry of %s lacks a key or a token\n", path.c_str(),
                   name.c_str());
      return false;
    }
    contents.algorithms.emplace(name, std::move(*entry));
  }
  fixture_file_in_use() = std::move(contents);
  return true;
}

}  // namespace jot_bench
