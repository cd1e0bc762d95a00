// Suite-wide properties, over every table of every attack class:
//  - error-message hygiene (RFC 8725 §3.9's spirit): no rejection's message, nor
//    the what() of the jot::error that value() throws for it, contains the token, a segment, a
//    decoded header or claim value, or key material: logs of rejected tokens leak nothing;
//  - coverage: every ATK-* class has a table here with at least one rejection, and
//    docs/security.md (the catalog users read) maps exactly these classes to their defences.

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "attack_support.hpp"
#include "test_support.hpp"

using namespace jot_attack;

namespace {

// The attack classes of docs/security.md's attack table.
const std::vector<std::string> attack_classes = {
    "ATK-ALG-NONE",
    "ATK-KEY-CONFUSION",
    "ATK-ECDSA-PSYCHIC",
    "ATK-ECDSA-MALFORMED",
    "ATK-RSA-SIGLEN",
    "ATK-RSA-PKCS1-PARSE",
    "ATK-EDDSA-MALLEABLE",
    "ATK-EMPTY-SIG",
    "ATK-TIMING",
    "ATK-WEAK-KEY",
    "ATK-EMBEDDED-JWK",
    "ATK-JKU-X5U",
    "ATK-X5C",
    "ATK-KID",
    "ATK-CRIT",
    "ATK-B64",
    "ATK-DUP-JSON",
    "ATK-JSON-SYNTAX",
    "ATK-B64URL",
    "ATK-SEGMENTS",
    "ATK-SIGN-ENC-CONFUSION",
    "ATK-POLYGLOT",
    "ATK-DOS",
    "ATK-CLAIM-TYPES",
    "ATK-AUD",
    "ATK-ISS",
    "ATK-TYP",
    "ATK-NESTED",
    "ATK-API-MISUSE",
    "ATK-KEY-IMPORT",
    "ATK-CANONICAL",
    "ATK-CACHE",
    "ATK-JWE-CONFUSION",
    "ATK-JWE-ALG",
    "ATK-JWE-HEADER",
    "ATK-JWE-ECDH",
    "ATK-JWE-TAG",
    "ATK-JWE-UNWRAP",
    "ATK-JWE-DOS",
};

// Strings shorter than this are too common to mean anything when found in a sentence.
constexpr std::size_t min_sensitive_size = 4;

}  // namespace

TEST_CASE("no rejection message or exception text repeats the token, a claim or a secret",
          "[attacks][hygiene]") {
  std::size_t rejections = 0;
  for (const auto& table : registry()) {
    for (const auto& c : table.make()) {
      const outcome out = c.attempt();
      if (!out.code) continue;
      ++rejections;
      INFO(table.id << " / " << table.name << " / " << c.name);
      REQUIRE(out.code.category() == jot::error_category());
      const auto code = static_cast<jot::errc>(out.code.value());
      const std::string message = out.code.message();
      // Fixed sentences: the message is the code's, whatever the input.
      CHECK(message == jot::errc_message(code));
      // value() threw jot::error for the rejection, and its what() is as clean.
      CHECK_FALSE(out.what.empty());
      std::string leaked;
      for (const auto& secret : c.sensitive) {
        if (secret.size() < min_sensitive_size) continue;
        if (message.find(secret) != std::string::npos ||
            out.what.find(secret) != std::string::npos) {
          leaked = secret;
          break;
        }
      }
      INFO("message: " << message << "\nwhat(): " << out.what);
      CHECK(leaked.empty());
    }
  }
  CHECK(rejections >= 500);
}

TEST_CASE("every attack class of the catalog has a table with at least one rejection",
          "[attacks][coverage]") {
  std::map<std::string, std::size_t> rejections;
  for (const auto& table : registry()) {
    INFO("table " << table.name << " is registered under " << table.id);
    CHECK(std::find(attack_classes.begin(), attack_classes.end(), std::string(table.id)) !=
          attack_classes.end());
    for (const auto& c : table.make()) {
      if (c.expected) ++rejections[std::string(table.id)];
    }
  }
  for (const auto& id : attack_classes) {
    INFO(id);
    CHECK(rejections[id] > 0);
  }
}

TEST_CASE("docs/security.md maps every attack class to its defence and tests",
          "[attacks][coverage][docs]") {
  const auto path = std::filesystem::path(JOT_SOURCE_DIR) / "docs" / "security.md";
  REQUIRE(std::filesystem::is_regular_file(path));
  const std::string text = jot_test::read_file(path);
  for (const auto& id : attack_classes) {
    INFO(id);
    // One row of the attack table starts with the id.
    CHECK(text.find("| " + id + " |") != std::string::npos);
  }
  // ... and names no class that has no table here.
  const std::regex row(R"(\n\| (ATK-[A-Z0-9-]+) \|)");
  std::size_t rows = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator();
       ++it) {
    ++rows;
    INFO("docs/security.md row " << (*it)[1].str());
    CHECK(std::find(attack_classes.begin(), attack_classes.end(), (*it)[1].str()) !=
          attack_classes.end());
  }
  CHECK(rows == attack_classes.size());
}
