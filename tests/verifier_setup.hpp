#pragma once

// verifier_setup: a verifier builder (keys) and a validator builder (claim policy) side by side,
// for test tables that start from one setup and vary one setting of either. Each setter forwards
// to the builder that owns it; build() builds the validator, then the verifier with it, exactly
// as an application writes jot::verifier::builder{}.add_key(k).validator(v).build().

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

namespace jot_test {

template <typename Json = nlohmann::json>
struct basic_verifier_setup {
  jot::basic_verifier_builder<Json> keys;
  jot::basic_validator_builder<Json> rules;

  jot::result<jot::basic_validator<Json>> validator() const { return rules.build(); }
  jot::result<jot::basic_verifier<Json>> build() const {
    auto copy = keys;
    return copy.validator(rules.build()).build();
  }

  // Keys.
  basic_verifier_setup& add_key(jot::verification_key key) {
    keys.add_key(std::move(key));
    return *this;
  }
  basic_verifier_setup& add_keys(const jot::key_set& set) {
    keys.add_keys(set);
    return *this;
  }
  basic_verifier_setup& allow_missing_kid() {
    keys.allow_missing_kid();
    return *this;
  }

  // Claim policy.
#define JOT_TEST_FORWARD(name)                 \
  template <typename... Args>                  \
  basic_verifier_setup& name(Args&&... args) { \
    rules.name(std::forward<Args>(args)...);   \
    return *this;                              \
  }
  JOT_TEST_FORWARD(expect_issuer)
  JOT_TEST_FORWARD(expect_audience)
  JOT_TEST_FORWARD(expect_subject)
  JOT_TEST_FORWARD(expect_type)
  JOT_TEST_FORWARD(expect_claim)
  JOT_TEST_FORWARD(expect_claim_that)
  JOT_TEST_FORWARD(expect_max_age)
  JOT_TEST_FORWARD(expect_max_token_size)
  JOT_TEST_FORWARD(expect_max_json_depth)
  JOT_TEST_FORWARD(expect_that)
  JOT_TEST_FORWARD(allow_clock_skew)
  JOT_TEST_FORWARD(allow_custom_clock)
  JOT_TEST_FORWARD(allow_token_size)
  JOT_TEST_FORWARD(allow_json_depth)
  JOT_TEST_FORWARD(allow_missing_expiration)
  JOT_TEST_FORWARD(allow_critical_header)
  JOT_TEST_FORWARD(ignore_audience)
  JOT_TEST_FORWARD(ignore_type)
#undef JOT_TEST_FORWARD
};

using verifier_setup = basic_verifier_setup<>;

}  // namespace jot_test
