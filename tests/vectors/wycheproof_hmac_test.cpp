// Wycheproof HMAC-SHA2 primitive vectors (data/wycheproof/primitives_v1/hmac_sha*_test.json)
// run through jot's HS256/384/512 keys. Wycheproof tests a generic MAC; JOSE narrows it:
//  - a key shorter than the hash output is refused by the key factory (RFC 7518 §3.2), so those
//    cases must give errc::weak_key instead of a MAC verdict;
//  - JOSE never truncates an HMAC (RFC 7518 §3.2: the output is the full hash length), so a tag
//    of any other length is errc::invalid_signature, even where Wycheproof labels it valid;
//  - full-length tags must verify exactly as labelled.

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <jot/jot.hpp>

#include "catch.hpp"
#include "vector_support.hpp"

namespace {

struct hmac_file {
  const char* path;
  jot::algorithm alg;
  std::size_t hash_bytes;
};

struct hmac_tally {
  int weak_keys = 0;
  int full_valid = 0;
  int full_invalid = 0;
  int truncated_labelled_valid = 0;
  int truncated_labelled_invalid = 0;
  int total() const {
    return weak_keys + full_valid + full_invalid + truncated_labelled_valid +
           truncated_labelled_invalid;
  }
};

}  // namespace

TEST_CASE("Wycheproof HMAC vectors give the verdicts JOSE requires of HS256, HS384 and HS512",
          "[vectors][wycheproof][hmac]") {
  // Expected counts per file, taken from the files' group structure (keySize/tagSize): 6 cases
  // with keys below the hash length, 30 valid and 54 modified full-length tags, and 84 tags
  // truncated to half length (30 of them labelled valid by Wycheproof).
  const hmac_file files[] = {
      {"wycheproof/primitives_v1/hmac_sha256_test.json", jot::algorithm::hs256, 32},
      {"wycheproof/primitives_v1/hmac_sha384_test.json", jot::algorithm::hs384, 48},
      {"wycheproof/primitives_v1/hmac_sha512_test.json", jot::algorithm::hs512, 64},
  };

  for (const auto& file : files) {
    const auto doc = jot_vectors::load(file.path);
    INFO("file: " << file.path);
    REQUIRE(jot::min_secret_size(file.alg) == file.hash_bytes);

    hmac_tally seen;
    for (const auto& group : doc.at("testGroups")) {
      const auto tag_bits = group.at("tagSize").get<std::size_t>();
      const bool truncated = tag_bits != file.hash_bytes * 8;
      for (const auto& test : group.at("tests")) {
        const auto id = test.at("tcId").get<int>();
        const auto label = test.at("result").get<std::string>();
        const auto secret = jot_vectors::hex_decode(test.at("key").get<std::string>());
        const auto msg = jot_vectors::hex_decode(test.at("msg").get<std::string>());
        const auto tag = jot_vectors::hex_decode(test.at("tag").get<std::string>());
        INFO("tcId " << id << " (" << label << ", key " << secret.size() << " bytes, tag "
                     << tag.size() << " bytes)");
        REQUIRE(tag.size() * 8 == tag_bits);

        if (secret.size() < file.hash_bytes) {
          CHECK(jot::signing_key::hmac(file.alg, jot::secret_bytes(secret)).error() ==
                jot::errc::weak_key);
          CHECK(jot::verification_key::hmac(file.alg, jot::secret_bytes(secret)).error() ==
                jot::errc::weak_key);
          ++seen.weak_keys;
          continue;
        }

        const auto key = jot::signing_key::hmac(file.alg, jot::secret_bytes(secret));
        REQUIRE(key.has_value());
        const auto verification_key = key->verification_key();
        REQUIRE(verification_key.has_value());
        const auto mac = key->implementation().sign(msg);
        REQUIRE(mac.has_value());
        REQUIRE(mac->size() == file.hash_bytes);
        const auto verdict = verification_key->implementation().verify(msg, tag);

        if (truncated) {
          CHECK(verdict.error() == jot::errc::invalid_signature);
          if (label == "valid") {
            // A correct truncated MAC: rejected for its length alone.
            CHECK(mac->compare(0, tag.size(), tag) == 0);
            ++seen.truncated_labelled_valid;
          } else {
            ++seen.truncated_labelled_invalid;
          }
        } else if (label == "valid") {
          CHECK(verdict.has_value());
          CHECK(*mac == tag);
          ++seen.full_valid;
        } else {
          REQUIRE(label == "invalid");
          CHECK(verdict.error() == jot::errc::invalid_signature);
          CHECK(*mac != tag);
          ++seen.full_invalid;
        }
      }
    }

    CHECK(seen.total() == doc.at("numberOfTests").get<int>());
    CHECK(seen.weak_keys == 6);
    CHECK(seen.full_valid == 30);
    CHECK(seen.full_invalid == 54);
    CHECK(seen.truncated_labelled_valid == 30);
    CHECK(seen.truncated_labelled_invalid == 54);
  }
}
