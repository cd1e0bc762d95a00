// The web demo's refresh-cookie Max-Age (examples/web_common/cookie_age.hpp), at the edges of a
// session: set_cookie() refuses a negative Max-Age, so a negative one would be a 500.
#include "../../examples/web_common/cookie_age.hpp"

#include <chrono>

#include <jot/http.hpp>

#include "catch.hpp"

TEST_CASE("The demo's refresh cookie Max-Age counts down to 0 and never below") {
  using namespace std::chrono_literals;
  using demo::cookie_max_age;
  const std::chrono::system_clock::time_point now{std::chrono::seconds(1'800'000'000)};
  struct row {
    std::chrono::system_clock::duration left;  // expires_at - now
    long long max_age;
  };
  const row rows[] = {
      {24h, 86400},  // a new session
      {2s, 2},       //
      {1500ms, 1},   // rounded down: the cookie never outlives the token
      {1s, 1},       //
      {999ms, 0},    //
      {1ms, 0},      //
      {0s, 0},       // the session's last second
      {-1ms, 0},     // the token expired while the answer was being made
      {-999ms, 0},   //
      {-1s, 0},      //
      {-1500ms, 0},  //
      {-24h, 0},     //
  };
  for (const row& r : rows) {
    CAPTURE(std::chrono::duration_cast<std::chrono::milliseconds>(r.left).count());
    const std::chrono::seconds age = cookie_max_age(now + r.left, now);
    CHECK(age.count() == r.max_age);
    jot::cookie_options options;
    options.path = "/auth";
    options.max_age = age;
    CHECK(jot::set_cookie("__Secure-refresh", "t", options).has_value());
  }
}
