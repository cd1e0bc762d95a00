#pragma once

// basic_verifier_builder<Json>: the keys of a verifier and the validator it applies, stated once
// at start-up:
//
//   auto verifier = jot::verifier::builder{}
//                       .add_key(key)
//                       .validator(jot::validator::builder{}.expect_issuer("https://idp").build())
//                       .build();
//
// Without validator(), the strict default policy applies (validator.hpp). build() fails with the
// validator's own error when it was given a failed validator build, so one statement reports a
// contradictory policy at start-up.

#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/json.hpp"
#include "jot/key_set.hpp"
#include "jot/keys.hpp"
#include "jot/result.hpp"
#include "jot/validator.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_verifier;

// Reached as jot::verifier::builder (basic_verifier<Json>::builder); include verifier.hpp.
template <typename Json>
class basic_verifier_builder {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // The allowlist: each key admits exactly its own algorithm. With several keys, every key needs
  // a kid and tokens must name one (unless allow_missing_kid()); keys may share a kid only when
  // they answer to different `alg` values (one RSA key bound to RS256 and to PS256).
  basic_verifier_builder& add_key(verification_key key) {
    keys_.push_back(std::move(key));
    return *this;
  }
  basic_verifier_builder& add_keys(const key_set& keys) {
    keys_.insert(keys_.end(), keys.keys().begin(), keys.keys().end());
    return *this;
  }
  // The claim policy; a basic_validator converts to the result this takes.
  basic_verifier_builder& validator(result<basic_validator<Json>> policy) {
    validator_ = std::move(policy);
    return *this;
  }

  // Relaxation: with several keys, a token without kid (or with a kid, when no key has one) is
  // tried against each key of its alg.
  basic_verifier_builder& allow_missing_kid() {
    allow_missing_kid_ = true;
    return *this;
  }

  // The verifier, or: the validator's own error when a failed validator build was given,
  // errc::no_keys without keys, a key set's error (duplicate_key_id...), missing_key_id when one
  // of several keys has no kid (unless allow_missing_kid()).
  result<basic_verifier<Json>> build() const {
    if (!validator_) return validator_.error();
    if (keys_.empty()) return errc::no_keys;
    JOT_TRY {
      auto keys = key_set::from_keys(keys_);
      if (!keys) return keys.error();
      // With several keys each needs a kid, or a second key would be unreachable or ambiguous.
      for (const auto& key : keys_) {
        if (!key.key_id() && keys_.size() > 1 && !allow_missing_kid_) {
          return errc::missing_key_id;
        }
      }
      using state = typename basic_verifier<Json>::state;
      return basic_verifier<Json>(
          std::make_shared<const state>(state{std::move(*keys), *validator_, allow_missing_kid_}));
    }
    JOT_CATCH_ALL { return errc::out_of_memory; }
  }

 private:
  std::vector<verification_key> keys_;
  result<basic_validator<Json>> validator_ = basic_validator<Json>();
  bool allow_missing_kid_ = false;
};

JOT_END_NAMESPACE
