#pragma once

// basic_verifier_builder<Json>: the policy of a verifier, stated once at start-up.
// Defaults are the strict ones (RFC 8725): `exp` required, no leeway, a token with `aud` or a
// non-JWT `typ` rejected unless expected, 8 KiB size cap, crit extensions rejected. Requirements
// are `expect_*`/`require_*`; relaxations are `allow_*`/`ignore_*`, so a code review can grep for
// every weakening. build() validates the whole policy and fails on contradictions.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"
#include "jot/verifier.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_verifier_builder {
 public:
  static constexpr std::chrono::seconds max_leeway{600};
  static constexpr std::size_t max_token_size_limit = 16 * 1024 * 1024;

  // The allowlist: each key admits exactly its own algorithm. With several keys, every key needs
  // a distinct kid and tokens must name one (unless allow_missing_kid()).
  basic_verifier_builder& add_key(verification_key key) {
    keys_.push_back(std::move(key));
    return *this;
  }
  basic_verifier_builder& add_keys(const key_set& keys) {
    keys_.insert(keys_.end(), keys.keys().begin(), keys.keys().end());
    return *this;
  }

  basic_verifier_builder& expect_issuer(std::string issuer) {
    policy_.issuer = std::move(issuer);
    return *this;
  }
  // May be called several times: the token must name at least one of the audiences.
  basic_verifier_builder& expect_audience(std::string audience) {
    policy_.audiences.push_back(std::move(audience));
    return *this;
  }
  basic_verifier_builder& expect_subject(std::string subject) {
    policy_.subject = std::move(subject);
    return *this;
  }
  // The `typ` header, e.g. "at+jwt" (RFC 9068); compared case-insensitively.
  basic_verifier_builder& expect_type(std::string type) {
    policy_.type = std::move(type);
    return *this;
  }
  // The claim must be present and equal to `value` (e.g. expect_claim("type", "access")).
  basic_verifier_builder& expect_claim(std::string name, Json value) {
    policy_.expected_claims.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // The claim must be present and `check` must return true (a throwing check fails).
  basic_verifier_builder& expect_claim_that(std::string name,
                                            std::function<bool(const Json&)> check) {
    if (!check) return fail(errc::invalid_argument);
    policy_.claim_predicates.emplace_back(std::move(name), std::move(check));
    return *this;
  }
  basic_verifier_builder& require_claim(std::string name) {
    policy_.required_claims.push_back(std::move(name));
    return *this;
  }
  // Reject tokens whose `iat` is older than `age` (and tokens without `iat`).
  basic_verifier_builder& max_age(std::chrono::seconds age) {
    if (age <= std::chrono::seconds::zero() || age.count() > max_numeric_date) {
      return fail(errc::invalid_argument);  // larger could overflow iat + max_age
    }
    policy_.max_age = age;
    return *this;
  }
  // Clock skew tolerated for exp, nbf, iat; at most 10 minutes.
  basic_verifier_builder& leeway(std::chrono::seconds skew) {
    if (skew < std::chrono::seconds::zero() || skew > max_leeway) {
      return fail(errc::invalid_argument);
    }
    policy_.leeway = skew;
    return *this;
  }
  // The time source (tests, replaying an incident). Must be safe to call from many threads.
  basic_verifier_builder& clock(std::function<std::chrono::system_clock::time_point()> now) {
    policy_.clock = std::move(now);
    return *this;
  }
  basic_verifier_builder& max_token_size(std::size_t bytes) {
    if (bytes == 0 || bytes > max_token_size_limit) return fail(errc::invalid_argument);
    policy_.max_token_size = bytes;
    return *this;
  }
  basic_verifier_builder& max_json_depth(std::size_t depth) {
    if (depth == 0 || depth > 256) return fail(errc::invalid_argument);
    policy_.max_json_depth = depth;
    return *this;
  }

  // Relaxations.
  basic_verifier_builder& allow_missing_expiration() {
    policy_.require_expiration = false;
    return *this;
  }
  basic_verifier_builder& allow_missing_kid() {
    policy_.allow_missing_kid = true;
    return *this;
  }
  // Declares that the application itself processes the header extension `name`, so a token may
  // list it in `crit` (RFC 7515 §4.1.11).
  basic_verifier_builder& allow_critical_header(std::string name) {
    policy_.allowed_critical_headers.push_back(std::move(name));
    return *this;
  }
  basic_verifier_builder& ignore_audience() {
    policy_.ignore_audience = true;
    return *this;
  }
  basic_verifier_builder& ignore_type() {
    policy_.ignore_type = true;
    return *this;
  }

  result<basic_verifier<Json>> build() const {
    if (error_) return *error_;
    if (keys_.empty()) return errc::no_keys;
    if ((policy_.ignore_audience && !policy_.audiences.empty()) ||
        (policy_.ignore_type && policy_.type)) {
      return errc::invalid_argument;  // expect_x and ignore_x contradict each other
    }
    JOT_TRY {
      auto keys = key_set::from_keys(keys_);
      if (!keys) return keys.error();
      // With several keys each needs a kid, or a second key would be unreachable or ambiguous.
      for (const auto& key : keys_) {
        if (!key.key_id() && keys_.size() > 1 && !policy_.allow_missing_kid) {
          return errc::missing_key_id;
        }
      }
      auto policy = std::make_shared<detail::verification_policy<Json>>(policy_);
      policy->keys = std::move(*keys);
      return basic_verifier<Json>(std::move(policy));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  basic_verifier_builder& fail(errc code) {
    if (!error_) error_ = code;
    return *this;
  }

  detail::verification_policy<Json> policy_;
  std::vector<verification_key> keys_;
  std::optional<errc> error_;
};

using verifier_builder = basic_verifier_builder<nlohmann::json>;

JOT_END_NAMESPACE
