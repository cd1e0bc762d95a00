#include <set>
#include <string>

#include "catch.hpp"

#include <jot/secret.hpp>

TEST_CASE("generated secrets have the requested size and differ", "[secret]") {
  std::set<std::string> seen;
  for (int i = 0; i < 16; ++i) {
    auto secret = jot::generate_secret(32);
    REQUIRE(secret);
    CHECK(secret->size() == 32);
    CHECK(seen.insert(std::string(secret->unsafe_bytes())).second);
  }
  CHECK(jot::generate_secret(jot::algorithm::hs384).value().size() == 48);
  CHECK(jot::generate_secret(jot::algorithm::hs512).value().size() == 64);
  CHECK(jot::generate_secret(0).error() == jot::errc::invalid_argument);
  CHECK(jot::generate_secret(4096).error() == jot::errc::invalid_argument);
  // Only HMAC algorithms take a secret.
  CHECK(jot::min_secret_size(jot::algorithm::hs256) == 32);
  CHECK(jot::min_secret_size(jot::algorithm::rs256) == 0);
  CHECK(jot::generate_secret(jot::algorithm::es256).error() == jot::errc::invalid_argument);
}

TEST_CASE("secrets compare by content, lengths first", "[secret]") {
  const jot::secret_bytes a("0123456789abcdef"), b("0123456789abcdef"), c("0123456789abcdeF"),
      d("0123456789abcde");
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a != d);
  CHECK(a.clone() == a);
}

TEST_CASE("a moved-from secret is empty", "[secret]") {
  jot::secret_bytes a("some secret bytes");
  jot::secret_bytes b = std::move(a);
  CHECK(b.unsafe_bytes() == "some secret bytes");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the state after a move is specified
  jot::secret_bytes c("other");
  c = std::move(b);
  CHECK(c.unsafe_bytes() == "some secret bytes");
  CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("secrets load from base64url, strictly", "[secret]") {
  CHECK(jot::secret_bytes::from_base64url("Zm9vYmFy").value().unsafe_bytes() == "foobar");
  CHECK(jot::secret_bytes::from_base64url("Zm9vYmFy==").error() == jot::errc::invalid_base64);
}
