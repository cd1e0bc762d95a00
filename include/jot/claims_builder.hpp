#pragma once

// basic_claims_builder<Json>: the only way to make the claims of a new token. It refuses the
// usual mistakes instead of signing them:
//  - no expiry decision: build() fails with errc::missing_expiration until expires_in(),
//    expires_at() or an explicit allow_missing_expiration() was called (RFC 8725 §3.10, short-lived
//    tokens);
//  - registered claims (RFC 7519 §4.1) only through their typed setters, and no custom claim may
//    use a registered or JOSE header name (errc::reserved_claim);
//  - names that plainly carry secrets or identity numbers (password, ssn, credit_card, ...; the
//    classifier of jot/sensitive_claims.hpp, which `jot audit` uses too) are
//    errc::sensitive_claim at any depth, as a claim or as a member name inside a claim's value,
//    unless allowed by name: JWS payloads are only base64url, anyone holding the token can read
//    them (RFC 7519 §12);
//  - NaN and infinities anywhere in a value, and strings or names that are not UTF-8, are
//    errc::invalid_argument when the claim is added: JSON has no such numbers (RFC 8259 §6) and
//    is UTF-8 (§8.1), and writing them otherwise would sign a claim other than the one built.
// `iat` is set from the builder's clock. The first error is kept and reported by build(), so a
// fluent chain needs one check at the end. Json is any nlohmann::basic_json specialisation; with
// nlohmann::ordered_json the claims keep the order in which they were set, and so does the
// signed payload. Not thread-safe (a builder is a local value); build() does not change it.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jot/detail/claim_value_checks.hpp"
#include "jot/detail/header_checks.hpp"
#include "jot/json.hpp"
#include "jot/numeric_date.hpp"
#include "jot/result.hpp"
#include "jot/sensitive_claims.hpp"

JOT_BEGIN_NAMESPACE

template <typename Json>
class basic_claims;

// Reached as jot::claims::builder (basic_claims<Json>::builder); include claims.hpp.
template <typename Json>
class basic_claims_builder {
  static_assert(is_basic_json_v<Json>, "Json must be an nlohmann::basic_json specialisation");

 public:
  // The clock of the builder's `now` and the JSON type of the claims it builds.
  using clock_type = std::chrono::system_clock;
  using json_type = Json;

  // `now` is the issue time (`iat`) and the base of expires_in(); inject it in tests. A clock
  // outside NumericDate's range (before 1970, after 9999) is errc::invalid_argument from build(),
  // even after without_issued_at(): every time derived from it would be wrong too.
  explicit basic_claims_builder(clock_type::time_point now = clock_type::now())
      : now_(std::chrono::time_point_cast<std::chrono::seconds>(now)) {
    set_date("iat", now_);
  }

  // The registered text claims `iss`, `sub`, `jti` and a single `aud`. A value that is not UTF-8
  // makes build() fail with errc::invalid_argument.
  basic_claims_builder& issuer(std::string value) { return set_text("iss", std::move(value)); }
  basic_claims_builder& subject(std::string value) { return set_text("sub", std::move(value)); }
  basic_claims_builder& jwt_id(std::string value) { return set_text("jti", std::move(value)); }
  basic_claims_builder& audience(std::string value) { return set_text("aud", std::move(value)); }
  // A braced list, audience({"a", "b"}), is a list of audiences; without this overload it would
  // be ambiguous with std::string's iterator-pair constructor.
  basic_claims_builder& audience(std::initializer_list<std::string> values) {
    return audience(std::vector<std::string>(values));
  }
  basic_claims_builder& audience(std::vector<std::string> values) {
    if (values.empty()) return fail(errc::invalid_argument);
    return set_text("aud", std::move(values));
  }

  // `exp` at `now` + lifetime; a lifetime that is not positive, or that ends past the year 9999,
  // makes build() fail with errc::invalid_argument.
  basic_claims_builder& expires_in(std::chrono::seconds lifetime) {
    // Compared before adding, so that no lifetime can overflow (NumericDate ends in 9999).
    if (lifetime <= std::chrono::seconds::zero() ||
        lifetime.count() > max_numeric_date - now_.time_since_epoch().count()) {
      return fail(errc::invalid_argument);
    }
    return expires_at(now_ + lifetime);
  }
  // Times are whole seconds (RFC 7519 §2 NumericDate); a system_clock::time_point is truncated.
  // sys_seconds reaches the year 9999, system_clock::time_point only 2262 (nanoseconds).
  basic_claims_builder& expires_at(sys_seconds when) {
    expiry_decided_ = true;
    return set_date("exp", when);
  }
  basic_claims_builder& expires_at(clock_type::time_point when) {
    return expires_at(seconds_of(when));
  }
  // A token that never expires. Only for cases that are revoked some other way; greppable.
  basic_claims_builder& allow_missing_expiration() {
    expiry_decided_ = true;
    return erase("exp");
  }
  // `nbf`: the token is not valid before `when` (build() refuses one not before `exp`).
  basic_claims_builder& not_before(sys_seconds when) { return set_date("nbf", when); }
  basic_claims_builder& not_before(clock_type::time_point when) {
    return not_before(seconds_of(when));
  }
  // `iat`, which is `now` unless set here; a verifier refuses a token issued in its future.
  basic_claims_builder& issued_at(sys_seconds when) { return set_date("iat", when); }
  basic_claims_builder& issued_at(clock_type::time_point when) {
    return issued_at(seconds_of(when));
  }
  // No `iat` at all (a verifier with expect_max_age() then refuses the token).
  basic_claims_builder& without_issued_at() { return erase("iat"); }

  // A private or public claim (RFC 7519 §4.2, §4.3). Checked here, so that both the exceptions
  // and the JOT_NO_EXCEPTIONS build refuse the same claims with the same code: the name and
  // every string and member name inside the value must be UTF-8 (RFC 8259 §8.1), every number
  // finite (RFC 8259 §6), the value no deeper than a verifier accepts (invalid_argument); the
  // name not registered or a header name (reserved_claim). Sensitive names, the claim's own and
  // any member name inside the value, are reported by build() (sensitive_claim).
  basic_claims_builder& claim(std::string name, Json value) {
    if (!check_claim_name(name)) return *this;
    JOT_TRY {
      auto scan = detail::scan_claim_value(value);
      if (scan.error) return fail(*scan.error);
      note_sensitive_names(name, std::move(scan.sensitive_names));
    }
    JOT_CATCH_ALL { return fail(errc::out_of_memory); }
    return set(
        std::move(name), [&](entry& e) { e.value.template emplace<Json>(std::move(value)); },
        /*value_plain=*/false);
  }
  // The same for a string or a list of strings (std::string, a string literal,
  // std::vector<std::string>): the claim is what claim(name, Json(value)) would make of it, kept
  // without a JSON value around it, which makes signing it cheaper.
  template <typename Text, std::enable_if_t<detail::is_claim_text_v<Text>, int> = 0>
  basic_claims_builder& claim(std::string name, Text&& value) {
    if (!check_claim_name(name)) return *this;
    note_sensitive_names(name, {});
    return set_text(std::move(name), detail::claim_text_t<Text>(std::forward<Text>(value)));
  }

  // An application's own claims type: every member of what nlohmann's to_json makes of `value`
  // becomes a claim through claim(), with all of its checks. A value that is not a JSON object,
  // or a to_json that throws, is errc::invalid_argument; the exception does not escape.
  template <typename T>
  basic_claims_builder& claims(const T& value) {
    Json object;
    JOT_TRY { object = Json(value); }
    JOT_CATCH_ALL { return fail(detail::errc_of_current_exception(errc::invalid_argument)); }
    if (!object.is_object()) return fail(errc::invalid_argument);
    for (auto it = object.begin(); it != object.end(); ++it) {
      claim(it.key(), std::move(it.value()));
    }
    return *this;
  }

  // Lets a name through the sensitive-name check, for a name that only looks sensitive
  // ("secret_santa_group"). The exact name is allowed, wherever it appears: as a claim or as a
  // member name at any depth inside a claim's value. No other name is allowed by it.
  basic_claims_builder& allow_sensitive_claim(std::string name) {
    JOT_TRY { allowed_sensitive_.push_back(std::move(name)); }
    JOT_CATCH_ALL { return fail(errc::out_of_memory); }
    return *this;
  }

  // The claims, or the first error any call above recorded, errc::missing_expiration when no
  // expiry was decided, and errc::invalid_argument for `exp` not after `nbf` (a token never valid).
  // Repeatable: the builder stays usable, and claims already built do not change with it.
  result<basic_claims<Json>> build() const {
    if (error_) return *error_;
    if (!expiry_decided_) return errc::missing_expiration;
    const detail::claim_set<Json>& payload = payload_.read();
    // `nbf` and `exp` are only ever set by set_date(): integers.
    if (const auto nbf = payload.find("nbf"), exp = payload.find("exp");
        nbf != nullptr && exp != nullptr && *exp->integer() <= *nbf->integer()) {
      return errc::invalid_argument;  // a token that is never valid
    }
    for (const auto& found : sensitive_) {
      if (std::find(allowed_sensitive_.begin(), allowed_sensitive_.end(), found.second) ==
          allowed_sensitive_.end()) {
        return errc::sensitive_claim;
      }
    }
    return basic_claims<Json>(payload_.share());  // shared, not copied
  }

 private:
  using entry = detail::claim_entry<Json>;

  static sys_seconds seconds_of(clock_type::time_point when) {
    return std::chrono::time_point_cast<std::chrono::seconds>(when);
  }

  // The entry of `name`, replaced where it is (as Json's operator[] replaces a member) or added
  // last, given its value by `assign`; `value_plain` when the value is typed and needs no escape.
  template <typename Assign>
  basic_claims_builder& set(std::string name, Assign&& assign, bool value_plain) {
    JOT_TRY {
      auto& entries = payload_.write();
      const auto found = std::find_if(entries.begin(), entries.end(),
                                      [&](const entry& e) { return e.name == name; });
      const bool is_new = found == entries.end();
      entry& target = is_new ? entries.emplace_back() : *found;
      if (is_new) target.name = std::move(name);
      assign(target);  // replaces the whole value
      target.plain = value_plain && entry::scan(target.name).plain;
    }
    JOT_CATCH_ALL { return fail(errc::out_of_memory); }
    return *this;
  }

  basic_claims_builder& erase(std::string_view name) {
    if (payload_.read().find(name) == nullptr) return *this;
    JOT_TRY {
      auto& entries = payload_.write();
      entries.erase(std::find_if(entries.begin(), entries.end(),
                                 [&](const entry& e) { return e.name == name; }));
    }
    JOT_CATCH_ALL { return fail(errc::out_of_memory); }
    return *this;
  }

  // A string or a list of strings, which must be UTF-8.
  template <typename Text>
  basic_claims_builder& set_text(std::string name, Text value) {
    const auto scan = entry::scan(value);
    if (!scan.utf8) return fail(errc::invalid_argument);
    return set(
        std::move(name), [&](entry& e) { e.value.template emplace<Text>(std::move(value)); },
        scan.plain);
  }

  // A custom claim's name: not empty, UTF-8, not registered or a header name; false after
  // recording the error.
  bool check_claim_name(const std::string& name) {
    if (name.empty() || !detail::is_valid_utf8(name)) {
      fail(errc::invalid_argument);
      return false;
    }
    if (detail::is_reserved_claim_name(name)) {
      fail(errc::reserved_claim);
      return false;
    }
    return true;
  }

  // The sensitive names of the claim `name` now: its own, and those found inside its value.
  void note_sensitive_names(const std::string& name, std::vector<std::string> members) {
    forget_sensitive_names_of(name);
    if (is_sensitive_claim_name(name)) sensitive_.emplace_back(name, name);
    for (auto& member : members) sensitive_.emplace_back(name, std::move(member));
  }

  // A claim set again replaces its value, and the sensitive names found in the old one.
  void forget_sensitive_names_of(const std::string& claim_name) {
    sensitive_.erase(std::remove_if(sensitive_.begin(), sensitive_.end(),
                                    [&](const auto& found) { return found.first == claim_name; }),
                     sensitive_.end());
  }

  basic_claims_builder& set_date(const char* name, sys_seconds when) {
    const std::int64_t seconds = when.time_since_epoch().count();
    if (seconds < 0 || seconds > max_numeric_date) return fail(errc::invalid_argument);
    return set(
        name, [&](entry& e) { e.value.template emplace<std::int64_t>(seconds); },
        /*value_plain=*/true);
  }

  basic_claims_builder& fail(errc code) {
    if (!error_) error_ = code;
    return *this;
  }

  sys_seconds now_;
  detail::shared_claim_set<Json> payload_;
  std::vector<std::string> allowed_sensitive_;
  // (claim, sensitive name found in it): the name itself or a member name inside its value.
  std::vector<std::pair<std::string, std::string>> sensitive_;
  std::optional<errc> error_;
  bool expiry_decided_ = false;
};

JOT_END_NAMESPACE
