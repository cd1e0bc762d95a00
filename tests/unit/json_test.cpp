#include <string>

#include "catch.hpp"
#include "same_json.hpp"

#include <jot/json.hpp>

namespace {
std::error_code parse_error(const std::string& text,
                            std::size_t depth = jot::default_max_json_depth) {
  return jot::parse_json_object(text, depth).error();
}
}  // namespace

TEST_CASE("strict JSON accepts ordinary objects", "[json]") {
  auto parsed = jot::parse_json_object(R"({"a":1,"b":[true,null,"x",{"c":-2.5}],"d":{}})");
  REQUIRE(parsed);
  CHECK((*parsed)["a"] == 1);
  CHECK((*parsed)["b"][3]["c"] == -2.5);
}

TEST_CASE("strict JSON rejects duplicate member names at every depth", "[json]") {
  const char* duplicates[] = {
      R"({"alg":"HS256","alg":"none"})",
      R"({"alg":"HS256","\u0061lg":"none"})",  // the same name, escaped (RFC 7515 §5.2)
      R"({"a":{"x":1,"x":2}})",
      R"({"a":[{"x":1,"x":2}]})",
      R"({"":1,"":2})",
  };
  for (const char* text : duplicates) {
    INFO(text);
    CHECK(parse_error(text) == jot::errc::duplicate_member);
  }
  // The same name in sibling objects is not a duplicate.
  CHECK(jot::parse_json_object(R"({"a":{"x":1},"b":{"x":2}})"));
}

TEST_CASE("strict JSON caps the nesting depth", "[json]") {
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK(parse_error(deep) == jot::errc::json_too_deep);
  // Exactly at the limit passes, one more level fails.
  const std::string three = R"({"a":{"b":{}}})";
  CHECK(jot::parse_json_object(three, 3));
  CHECK(parse_error(three, 2) == jot::errc::json_too_deep);
}

// detail::json_text_nesting counts what max_depth caps (the test above); fuzz_json checks that
// the two agree on any text.
TEST_CASE("the nesting read without parsing is the depth the parser caps", "[json]") {
  const struct {
    std::string text;
    std::size_t nesting;
  } rows[] = {
      {"", 0},
      {R"("{[")", 0},                 // brackets in a string do not count
      {R"({"a\"[":[1]})", 2},         // nor after an escaped quote
      {R"({"a":{"b":{}}})", 3},       // the top-level object is level 1
      {R"({"a":[]},{"b":[[]]})", 3},  // the deepest place counts, valid JSON or not
      {"]]}{", 1},                    // unmatched closers never go below zero
      {std::string(100000, '[') + "x", 100000},
  };
  for (const auto& row : rows) {
    INFO(row.text.substr(0, 40));
    CHECK(jot::detail::json_text_nesting(row.text) == row.nesting);
  }
}

TEST_CASE("strict JSON rejects what RFC 8259 and JOSE do not allow", "[json]") {
  const std::string rejected[] = {
      "\xEF\xBB\xBF{}",        // byte order mark (RFC 8259 §8.1)
      "{} {}",                 // trailing data
      "{}x",                   // trailing garbage
      R"({"a":1,})",           // trailing comma
      R"({"a":NaN})",          // not a JSON number
      R"({"a":Infinity})",     // not a JSON number
      R"({"a":1e400})",        // overflows a double
      "{/*c*/}",               // comment
      R"({'a':1})",            // single quotes
      "{\"a\":\"\xff\"}",      // invalid UTF-8
      "{\"a\":\"\xc0\xaf\"}",  // overlong UTF-8
      R"({"a":"\ud800"})",     // lone surrogate
      "{\"a\":\"x\ny\"}",      // raw control character in a string
      "[1,2]",                 // not an object
      "\"text\"",              // not an object
      "42",                    // not an object
      "",                      // empty
  };
  for (const auto& text : rejected) {
    INFO(text);
    CHECK(parse_error(text) == jot::errc::invalid_json);
  }
}

TEST_CASE("strict JSON keeps big integers exact and tells their kind", "[json]") {
  auto parsed = jot::parse_json_object(
      R"({"u":18446744073709551615,"i":-9223372036854775808,"f":18446744073709551616})");
  REQUIRE(parsed);
  CHECK((*parsed)["u"].is_number_unsigned());
  CHECK((*parsed)["u"].get<std::uint64_t>() == 18446744073709551615u);
  CHECK((*parsed)["i"].is_number_integer());
  CHECK((*parsed)["f"].is_number_float());
}

TEST_CASE("strict JSON works with ordered_json and keeps member order", "[json]") {
  auto parsed = jot::parse_json_object<nlohmann::ordered_json>(R"({"z":1,"a":2})");
  REQUIRE(parsed);
  CHECK(parsed->dump() == R"({"z":1,"a":2})");
  CHECK(jot::parse_json_object<nlohmann::ordered_json>(R"({"z":1,"z":2})").error() ==
        jot::errc::duplicate_member);
}

TEST_CASE("strict JSON rejects a raw NUL anywhere, not only inside strings", "[json]") {
  // nlohmann's lexer takes a raw NUL as the end of input: without jot's own check the first
  // object would parse and the second would never be seen (RFC 8259 §2 allows no NUL there).
  const std::string nul(1, '\0');
  const std::string rejected[] = {
      R"({"sub":"alice"})" + nul + R"({"sub":"admin"})",
      R"({"sub":"alice"})" + nul,
      nul + R"({"sub":"alice"})",
      R"({"sub":"alice")" + nul + "}",
      R"({"sub":)" + nul + R"("alice"})",
  };
  for (const auto& text : rejected) {
    INFO(text.size());
    CHECK(parse_error(text) == jot::errc::invalid_json);
  }
  // An escaped NUL is a character like any other.
  CHECK(jot::parse_json_object(R"({"sub":"a\u0000b"})"));
}

TEST_CASE("JWK text with a raw NUL and a second object is invalid_json", "[json][jwk]") {
  // JWK text reaches verification_key::from_jwk (and the CLI's --key) through this parser.
  const std::string jwk = R"({"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})";
  REQUIRE(jot::parse_json_object(jwk));
  const std::string smuggled = jwk + std::string(1, '\0') + R"({"kty":"RSA"})";
  CHECK(parse_error(smuggled) == jot::errc::invalid_json);
}

TEST_CASE("the fast path reads common token JSON exactly as the strict parser does", "[json]") {
  // Texts the fast path takes: what headers and claim sets almost always hold.
  const std::string common[] = {
      R"({"alg":"HS256","typ":"JWT"})",
      R"({"sub":"alice","iat":1700000000,"exp":1700000900,"roles":["admin","user"]})",
      " {\t\"a\" :\r\n[ ] , \"b\":{ } ,\"c\":[[1],{\"d\":null}]} ",
      R"({"u":18446744073709551615,"i":-9223372036854775808,"z":-0,"t":true,"f":false})",
      "{\"name\":\"Jos\xc3\xa9\",\"\":\"\"}",
      R"({"a":{"b":{}}})",
  };
  for (const auto& text : common) {
    INFO(text);
    const auto fast = jot::detail::json_fast_path<nlohmann::json>::read_object(text, 32);
    REQUIRE(fast);
    const auto strict = jot::detail::parse_json_object_strictly<nlohmann::json>(text, 32);
    REQUIRE(strict);
    CHECK(jot_test::same_json(*fast, *strict));
    const auto ordered = jot::detail::json_fast_path<nlohmann::ordered_json>::read_object(text, 32);
    REQUIRE(ordered);
    CHECK(jot_test::same_json(
        *ordered, *jot::detail::parse_json_object_strictly<nlohmann::ordered_json>(text, 32)));
  }
  // Texts it leaves to the strict parser: escapes, fractions, exponents, integers nlohmann reads
  // as doubles, and everything invalid (which the strict parser then rejects with its errc).
  const std::string others[] = {
      R"({"a":"\u0061"})",
      R"({"a":"x\/y"})",
      R"({"a":1.5})",
      R"({"a":1e3})",
      R"({"a":18446744073709551616})",
      R"({"a":-9223372036854775809})",
      R"({"a":1,"a":2})",
      R"({"a":01})",
      R"({"a":-})",
      R"({"a":tru})",
      R"({"a":1,})",
      "{\"a\":\"\xff\"}",
      "{\"a\":\"x\ny\"}",
      "{}x",
      "[1]",
      R"({"a":{"b":{}}})",  // with a depth limit of 2, below
  };
  for (const auto& text : others) {
    INFO(text);
    const std::size_t depth = text == R"({"a":{"b":{}}})" ? 2 : 32;
    CHECK_FALSE(jot::detail::json_fast_path<nlohmann::json>::read_object(text, depth));
    const auto full = jot::parse_json_object(text, depth);
    const auto strict = jot::detail::parse_json_object_strictly<nlohmann::json>(text, depth);
    REQUIRE(full.has_value() == strict.has_value());
    if (full) {
      CHECK(jot_test::same_json(*full, *strict));
    } else {
      CHECK(full.error() == strict.error());
    }
  }
}

TEST_CASE("the fast path writes exactly what nlohmann's dump writes", "[json]") {
  const std::string common[] = {
      R"({"alg":"HS256","typ":"JWT"})",
      R"({"sub":"alice","iat":1700000000,"exp":1700000900,"roles":["admin","user"]})",
      R"({"u":18446744073709551615,"i":-9223372036854775808,"z":-0,"t":true,"n":null,"e":{},"a":[]})",
      "{\"name\":\"Jos\xc3\xa9\",\"\":\"\x7f\"}",
  };
  for (const auto& text : common) {
    INFO(text);
    const auto value = jot::parse_json_object(text).value();
    std::string written;
    REQUIRE(jot::detail::json_fast_path<nlohmann::json>::write(value, written));
    CHECK(written == value.dump());
    const auto ordered = jot::parse_json_object<nlohmann::ordered_json>(text).value();
    written.clear();
    REQUIRE(jot::detail::json_fast_path<nlohmann::ordered_json>::write(ordered, written));
    CHECK(written == ordered.dump());
  }
  // Left to nlohmann: strings it escapes, and floats, which it writes in its own shortest form.
  for (const nlohmann::json& value :
       {nlohmann::json{{"a", "x\"y"}}, nlohmann::json{{"a", "x\\y"}}, nlohmann::json{{"a", "\n"}},
        nlohmann::json{{"a\t", 1}}, nlohmann::json{{"a", 1.0}}, nlohmann::json{{"a", {1, 2.5}}},
        nlohmann::json{{"a", "\xff"}}}) {
    std::string written;
    CHECK_FALSE(jot::detail::json_fast_path<nlohmann::json>::write(value, written));
  }
}
