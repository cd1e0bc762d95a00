#pragma once

// The one classifier of claim names that jot's claims builder and `jot audit` share. A JWS
// payload is only base64url: anyone who holds the token reads it (RFC 7519 §12, RFC 8725 §3.3).
//  - sensitive: secrets, and numbers that identify a person or an account to a bank or a state
//    (password, client_secret, api_key, ssn, national_id, passport, iban, credit_card, dob ...).
//    The claims builder refuses them at any depth (errc::sensitive_claim) unless allowed by name.
//  - personal: contact and identity data (email, phone_number, address, birthdate, name ...).
//    OpenID Connect defines several as standard claims (OpenID Connect Core §5.1), so the builder
//    signs them; `jot audit` points them out.
// Names are compared lower-case with only ASCII letters and digits kept, so "Credit-Card",
// "credit_card" and "creditCard" are one name. Thread-safe: pure functions.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "jot/config.hpp"

JOT_BEGIN_NAMESPACE

// What a claim name is named for; see the top of this file.
enum class claim_name_kind { ordinary, personal, sensitive };

namespace detail {

// Sensitive wherever they appear inside a name ("new_password", "client_secret").
inline constexpr std::string_view sensitive_name_parts[] = {
    "password",   "passwd",         "passphrase", "secret", "privatekey", "creditcard",
    "cardnumber", "socialsecurity", "cvv",        "apikey", "accesskey"};
// Short names that are sensitive only on their own ("ssn", but not "lessons"; "pin", but not
// "spin_count").
inline constexpr std::string_view sensitive_names[] = {
    "pwd",   "ssn", "pin",        "cvc",         "pan",     "iban",
    "taxid", "dob", "nationalid", "dateofbirth", "passport"};
// Personal data wherever it appears ("work_email", "phone_number", "birthdate").
inline constexpr std::string_view personal_name_parts[] = {
    "email", "phone", "mobile", "address", "birth", "postcode", "postalcode", "zipcode", "street"};
// Personal data only on its own ("name", but not "username" or "tenant_name").
inline constexpr std::string_view personal_names[] = {"name",       "fullname",  "firstname",
                                                      "lastname",   "givenname", "familyname",
                                                      "middlename", "surname",   "gender"};

inline void normalize_claim_name(std::string_view name, std::string& out) {
  out.clear();
  for (const char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
}

// For each byte, the length of the shortest of `list` that starts with it (0: none), so that a
// position where no part can start, or no longer fits, is passed over with one lookup.
template <std::size_t N>
constexpr std::array<std::size_t, 256> shortest_by_first_byte(const std::string_view (&list)[N]) {
  std::array<std::size_t, 256> shortest{};
  for (const std::string_view item : list) {
    std::size_t& entry = shortest[static_cast<unsigned char>(item.front())];
    if (entry == 0 || item.size() < entry) entry = item.size();
  }
  return shortest;
}

// One pass over the name, comparing at each position only the parts that start with its letter
// and fit in the rest (the lists are short and the names shorter: no search per part).
template <const auto& Parts>
bool contains_any_part(std::string_view normalized) noexcept {
  static constexpr auto shortest = shortest_by_first_byte(Parts);
  for (std::size_t at = 0; at < normalized.size(); ++at) {
    const std::size_t fits = shortest[static_cast<unsigned char>(normalized[at])];
    if (fits == 0 || fits > normalized.size() - at) continue;
    const std::string_view rest = normalized.substr(at);
    for (const std::string_view part : Parts) {
      if (part.front() == rest.front() && rest.substr(0, part.size()) == part) return true;
    }
  }
  return false;
}

// Whether `normalized` is one of Names: compared only with those of its length and first letter.
template <const auto& Names>
bool is_one_of(std::string_view normalized) noexcept {
  for (const std::string_view name : Names) {
    if (name.size() == normalized.size() && name.front() == normalized.front() &&
        name == normalized) {
      return true;
    }
  }
  return false;
}

// True when `name` is already as normalize_claim_name() leaves it (lower-case ASCII letters and
// digits alone, as most names are), so that it is classified without a copy.
constexpr bool is_normalized_claim_name(std::string_view name) noexcept {
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

inline bool is_sensitive_normalized_claim_name(std::string_view normalized) noexcept {
  return contains_any_part<sensitive_name_parts>(normalized) ||
         is_one_of<sensitive_names>(normalized);
}

// `normalized` as normalize_claim_name() leaves it; lets a caller walking many names reuse one
// buffer.
inline claim_name_kind classify_normalized_claim_name(std::string_view normalized) noexcept {
  if (is_sensitive_normalized_claim_name(normalized)) return claim_name_kind::sensitive;
  // "email_verified", "phone_number_verified": a flag about the data, not the data.
  constexpr std::string_view verified = "verified";
  if (normalized.size() >= verified.size() &&
      normalized.substr(normalized.size() - verified.size()) == verified) {
    return claim_name_kind::ordinary;
  }
  if (contains_any_part<personal_name_parts>(normalized) || is_one_of<personal_names>(normalized)) {
    return claim_name_kind::personal;
  }
  return claim_name_kind::ordinary;
}

}  // namespace detail

// What a claim (or member) name is named for. May allocate for a name over 15 characters.
inline claim_name_kind classify_claim_name(std::string_view name) {
  if (detail::is_normalized_claim_name(name)) return detail::classify_normalized_claim_name(name);
  std::string normalized;
  detail::normalize_claim_name(name, normalized);
  return detail::classify_normalized_claim_name(normalized);
}

// The names the claims builder refuses (errc::sensitive_claim) unless allowed by name.
inline bool is_sensitive_claim_name(std::string_view name) {
  if (detail::is_normalized_claim_name(name)) {
    return detail::is_sensitive_normalized_claim_name(name);
  }
  std::string normalized;
  detail::normalize_claim_name(name, normalized);
  return detail::is_sensitive_normalized_claim_name(normalized);
}

JOT_END_NAMESPACE
