#include <string>

#include "catch.hpp"

#include <jot/base64url.hpp>

TEST_CASE("base64url encodes the RFC 4648 test vectors without padding", "[base64url]") {
  // RFC 4648 §10, with the URL alphabet and the padding removed (RFC 7515 §2).
  struct row {
    const char* plain;
    const char* encoded;
  };
  const row rows[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& r : rows) {
    CHECK(jot::base64url_encode(r.plain) == r.encoded);
    CHECK(jot::base64url_decode(r.encoded).value() == r.plain);
  }
}

TEST_CASE("base64url uses the URL-safe alphabet", "[base64url]") {
  const std::string bytes("\xfb\xff\xbf", 3);
  CHECK(jot::base64url_encode(bytes) == "-_-_");
  CHECK(jot::base64url_decode("-_-_").value() == bytes);
}

TEST_CASE("base64url round-trips every byte value and length", "[base64url]") {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>((i * 37) & 0xff));
    CHECK(jot::base64url_decode(jot::base64url_encode(bytes)).value() == bytes);
  }
}

TEST_CASE("base64url rejects every non-canonical spelling", "[base64url]") {
  const char* rejected[] = {
      "Zg==",       // padding
      "Zm8=",       // padding
      "Zm9v Yg",    // whitespace
      "Zm9v\nYg",   // line break
      "+/+/",       // standard alphabet
      "Zm9vY",      // length 4n+1 cannot encode whole bytes
      "Zh",         // non-zero unused bits: "Zg" is the only spelling of "f"
      "Zm9",        // non-zero unused bits: "Zm8" is the only spelling of "fo"
      "Zm9v\x80g",  // byte outside ASCII
      "Zm.v",       // dot
  };
  for (const char* text : rejected) {
    INFO(text);
    CHECK(jot::base64url_decode(text).error() == jot::errc::invalid_base64);
  }
  CHECK(jot::base64url_decode(std::string("Zm\0v", 4)).error() == jot::errc::invalid_base64);
}

TEST_CASE("base64url encoding in place writes what appending writes, keeping the prefix",
          "[base64url]") {
  // The encoder writes a token's payload this way (from the last group back to the first).
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    INFO(bytes.size() << " bytes");
    std::string appended = "header.";
    jot::detail::base64url_encode_append(bytes, appended);
    std::string in_place = "header." + bytes;
    jot::detail::base64url_encode_in_place(in_place, 7);
    CHECK(in_place == appended);
    bytes.push_back(static_cast<char>((i * 53 + 7) & 0xff));
  }
}
