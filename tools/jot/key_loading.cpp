#include "key_loading.hpp"

#include <algorithm>
#include <utility>

#include <openssl/crypto.h>

#include "cli.hpp"
#include "io.hpp"

namespace jot_cli {

namespace {

enum class key_format { pem, der, json };

key_format format_of(std::string_view bytes) {
  const std::size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == '{') return key_format::json;
  if (bytes.find("-----BEGIN") != std::string_view::npos) return key_format::pem;
  return key_format::der;
}

// When a key fits none of the algorithms it was tried for, the most telling reason is reported:
// "weak_key" says more than "curve_mismatch", which says more than "key_type_mismatch" (the
// answer of every algorithm of another family).
int specificity(std::error_code code) {
  if (code == jot::errc::key_type_mismatch) return 0;
  if (code == jot::errc::key_algorithm_mismatch) return 1;
  if (code == jot::errc::curve_mismatch) return 2;
  return 3;
}

class attempts {
 public:
  void note(std::error_code code) {
    if (!best_ || specificity(code) > specificity(*best_)) best_ = code;
  }
  bool empty() const { return !best_.has_value(); }
  std::error_code best() const {
    return best_.value_or(jot::make_error_code(jot::errc::key_type_mismatch));
  }
  // True when every failure only said "this key is for another algorithm".
  bool only_misfits() const { return !best_ || specificity(*best_) < 3; }

 private:
  std::optional<std::error_code> best_;
};

// "--secret-file holds an HMAC secret for HS256, HS384 or HS512", from jot's table.
std::string secret_file_hint() {
  std::string names;
  std::vector<jot::algorithm> hmac;
  for (jot::algorithm alg : jot::all_algorithms) {
    if (jot::is_hmac(alg)) hmac.push_back(alg);
  }
  for (std::size_t i = 0; i < hmac.size(); ++i) {
    if (i != 0) names += i + 1 == hmac.size() ? " or " : ", ";
    names += jot::fully_specified_name(hmac[i]);
  }
  return "--secret-file holds an HMAC secret for " + names;
}

// Two algorithms that take the same kind of key: RSA (PKCS#1 v1.5 and PSS), or one family on one
// curve (each EC curve, each Edwards curve, and HMAC, which has none).
bool same_kind_of_key(jot::algorithm a, jot::algorithm b) {
  if (jot::is_rsa(a) && jot::is_rsa(b)) return true;
  return jot::detail::info(a).family == jot::detail::info(b).family &&
         jot::detail::info(a).crv == jot::detail::info(b).crv;
}

bool all_hmac(const std::vector<jot::algorithm>& algorithms) {
  return std::all_of(algorithms.begin(), algorithms.end(), jot::is_hmac);
}

jot::secret_bytes read_secret(const std::string& path) {
  std::string bytes = read_file("--secret-file", path);
  jot::secret_bytes secret(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return secret;
}

nlohmann::json parse_key_json(std::string_view where, std::string_view text) {
  auto parsed = jot::parse_json_object(text);
  if (!parsed) fail_key(parsed.error(), where, "not a valid JWK or JWKS");
  return std::move(*parsed);
}

bool is_key_set(const nlohmann::json& json) { return json.contains("keys"); }

// The hint for a PEM/DER file no algorithm accepted.
std::string encoded_key_hint(const attempts& tried, const std::vector<jot::algorithm>& algorithms,
                             bool signing) {
  if (all_hmac(algorithms) && tried.best() == jot::errc::key_type_mismatch) {
    return "an HS algorithm takes --secret-file";
  }
  if (tried.best() == jot::errc::invalid_key) {
    return signing ? "not a private key in PEM, DER or JWK form"
                   : "not a key in PEM, DER, JWK or JWKS form";
  }
  return {};
}

void load_encoded_slot(std::string_view where, std::string_view text, key_format format,
                       const std::vector<jot::algorithm>& allowed, key_slot& slot) {
  attempts tried;
  for (jot::algorithm alg : allowed) {
    auto key = format == key_format::pem ? jot::verification_key::from_pem(alg, text)
                                         : jot::verification_key::from_der(alg, text);
    if (key) {
      slot.keys.push_back(std::move(*key));
    } else {
      tried.note(key.error());
    }
  }
  if (slot.keys.empty()) fail_key(tried.best(), where, encoded_key_hint(tried, allowed, false));
}

void load_jwk_slot(std::string_view where, const nlohmann::json& jwk,
                   const std::vector<jot::algorithm>& allowed, key_slot& slot) {
  attempts tried;
  for (jot::algorithm alg : allowed) {
    auto key = jot::verification_key::from_jwk(jwk, alg);
    if (key) {
      slot.keys.push_back(std::move(*key));
    } else {
      tried.note(key.error());
    }
  }
  if (slot.keys.empty()) fail_key(tried.best(), where);
}

// A key file is the user's own and named on the command line, not a JWKS fetched from a
// publisher, so it may hold HMAC secrets: the CLI allows symmetric keys explicitly (the
// library's default refuses them, as a published JWKS must never hold one).
jot::jwks_options key_file_options(std::optional<jot::algorithm> default_algorithm) {
  jot::jwks_options options(default_algorithm);
  options.allow_symmetric_keys = true;
  return options;
}

// A JWKS, one key at a time through jot::key_set::from_jwks, so that the library decides which
// keys are for signatures (use, key_ops, kty, alg) and how a key without `alg` is read, while a
// key for an algorithm the user did not allow is simply left out.
void load_jwks_slots(std::string_view where, const nlohmann::json& set,
                     const std::vector<jot::algorithm>& allowed, std::vector<key_slot>& slots) {
  const auto entries = set.find("keys");
  if (!entries->is_array()) fail_key(jot::errc::invalid_key, where, "\"keys\" is not an array");
  if (entries->size() > jot::key_set::max_keys) {
    fail_key(jot::errc::invalid_argument, where,
             "a JWKS of more than " + std::to_string(jot::key_set::max_keys) + " keys");
  }
  std::size_t found = 0;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const nlohmann::json& entry = (*entries)[i];
    const std::string origin = std::string(where) + " (key " + std::to_string(i + 1) + ")";
    const nlohmann::json single = {{"keys", nlohmann::json::array({entry})}};
    key_slot slot{origin, {}};
    if (entry.is_object() && entry.contains("alg")) {
      auto keys = jot::key_set::from_jwks(single, key_file_options(std::nullopt));
      if (!keys && keys.error() == jot::errc::no_keys) continue;  // not a signature key
      if (!keys) fail_key(keys.error(), origin);
      const jot::verification_key& key = keys->keys().front();
      if (std::find(allowed.begin(), allowed.end(), key.alg()) != allowed.end()) {
        slot.keys.push_back(key);
      }
    } else {
      attempts tried;
      for (jot::algorithm alg : allowed) {
        auto keys = jot::key_set::from_jwks(single, key_file_options(alg));
        if (keys) {
          slot.keys.push_back(keys->keys().front());
        } else if (keys.error() != jot::errc::no_keys) {
          tried.note(keys.error());
        }
      }
      // A weak or malformed signing key fails the whole set, as in jot::key_set::from_jwks; a
      // key that is merely for another algorithm is left out.
      if (slot.keys.empty() && !tried.only_misfits()) fail_key(tried.best(), origin);
    }
    if (slot.keys.empty()) continue;
    slots.push_back(std::move(slot));
    ++found;
  }
  if (found == 0) {
    fail_key(jot::errc::no_keys, where, "no key of the set is for " + algorithm_list(allowed));
  }
}

void load_key_file(const std::string& path, const std::vector<jot::algorithm>& allowed,
                   std::vector<key_slot>& slots) {
  const std::string where = "--key " + path;
  const std::string text = read_file("--key", path);
  const key_format format = format_of(text);
  if (format != key_format::json) {
    key_slot slot{where, {}};
    load_encoded_slot(where, text, format, allowed, slot);
    slots.push_back(std::move(slot));
    return;
  }
  const nlohmann::json json = parse_key_json(where, text);
  if (is_key_set(json)) {
    load_jwks_slots(where, json, allowed, slots);
    return;
  }
  key_slot slot{where, {}};
  load_jwk_slot(where, json, allowed, slot);
  slots.push_back(std::move(slot));
}

key_slot load_secret_slot(const std::string& path, const std::vector<jot::algorithm>& allowed) {
  const std::string where = "--secret-file " + path;
  const jot::secret_bytes secret = read_secret(path);
  key_slot slot{where, {}};
  attempts tried;
  for (jot::algorithm alg : allowed) {
    if (!jot::is_hmac(alg)) continue;
    auto key = jot::verification_key::hmac(alg, secret.clone());
    if (key) {
      slot.keys.push_back(std::move(*key));
    } else {
      tried.note(key.error());
    }
  }
  if (slot.keys.empty()) {
    fail_key(tried.best(), where, tried.empty() ? secret_file_hint() : "");
  }
  return slot;
}

}  // namespace

std::vector<jot::algorithm> parse_algorithms(std::string_view command,
                                             const std::vector<std::string>& values) {
  std::vector<jot::algorithm> out;
  const auto add = [&out](jot::algorithm alg) {
    if (std::find(out.begin(), out.end(), alg) == out.end()) out.push_back(alg);
  };
  for (const std::string& value : values) {
    std::string_view rest = value;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view name = rest.substr(0, comma);
      if (const auto alg = jot::algorithm_from_name(name)) {
        add(*alg);
      } else {
        // A polymorphic `alg` ("EdDSA", RFC 8037 §3.1) stands for every algorithm that writes it.
        bool known = false;
        for (jot::algorithm each : jot::all_algorithms) {
          if (jot::algorithm_name(each) != name) continue;
          add(each);
          known = true;
        }
        if (!known) fail_usage(command, "--alg takes " + algorithm_names(", ", " or "));
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

std::string algorithm_names(std::string_view separator, std::string_view last_separator,
                            bool polymorphic) {
  std::vector<std::string_view> names;
  for (jot::algorithm alg : jot::all_algorithms) {
    for (std::string_view name : {jot::algorithm_name(alg), jot::fully_specified_name(alg)}) {
      const bool is_polymorphic = !jot::algorithm_from_name(name);
      if ((polymorphic || !is_polymorphic) &&
          std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += i + 1 == names.size() ? last_separator : separator;
    out += names[i];
  }
  return out;
}

const std::vector<jot::algorithm>& default_algorithms() {
  static const std::vector<jot::algorithm> first_of_each_kind = [] {
    std::vector<jot::algorithm> out;
    for (jot::algorithm alg : jot::all_algorithms) {
      if (std::none_of(out.begin(), out.end(),
                       [alg](jot::algorithm taken) { return same_kind_of_key(alg, taken); })) {
        out.push_back(alg);
      }
    }
    return out;
  }();
  return first_of_each_kind;
}

std::string default_algorithm_text() {
  std::string out;
  for (jot::algorithm alg : default_algorithms()) {
    if (!out.empty()) out += ", ";
    const std::string_view kind = jot::is_rsa(alg)    ? std::string_view("RSA")
                                  : jot::is_hmac(alg) ? std::string_view("oct")
                                                      : jot::detail::info(alg).crv;
    out += std::string(kind) + " -> " + std::string(jot::fully_specified_name(alg));
  }
  return out;
}

std::string algorithm_list(const std::vector<jot::algorithm>& algorithms) {
  std::string out;
  for (jot::algorithm alg : algorithms) {
    if (!out.empty()) out += ", ";
    out += jot::fully_specified_name(alg);
  }
  return out;
}

std::vector<key_slot> load_verification_slots(const arguments& args,
                                              const std::vector<jot::algorithm>& allowed) {
  std::vector<key_slot> slots;
  for (const auto& [option, path] : args.options()) {
    if (option == "key") {
      load_key_file(path, allowed, slots);
    } else if (option == "secret-file") {
      slots.push_back(load_secret_slot(path, allowed));
    }
  }
  return slots;
}

jot::signing_key load_signing_key(std::string_view command, const arguments& args,
                                  const std::vector<jot::algorithm>& candidates) {
  const auto key_path = args.value("key");
  const auto secret_path = args.value("secret-file");
  if (key_path.has_value() == secret_path.has_value()) {
    fail_usage(command, "give exactly one of --key FILE and --secret-file FILE");
  }
  attempts tried;
  if (secret_path) {
    const std::string where = "--secret-file " + *secret_path;
    const jot::secret_bytes secret = read_secret(*secret_path);
    for (jot::algorithm alg : candidates) {
      if (!jot::is_hmac(alg)) continue;
      auto key = jot::signing_key::hmac(alg, secret.clone());
      if (key) return std::move(*key);
      tried.note(key.error());
    }
    fail_key(tried.best(), where, tried.empty() ? secret_file_hint() : "");
  }
  const std::string where = "--key " + *key_path;
  std::string text = read_file("--key", *key_path);
  const key_format format = format_of(text);
  if (format == key_format::json) {
    const nlohmann::json jwk = parse_key_json(where, text);
    OPENSSL_cleanse(text.data(), text.size());
    if (is_key_set(jwk)) fail_key(jot::errc::invalid_key, where, "give one JWK, not a JWKS");
    for (jot::algorithm alg : candidates) {
      auto key = jot::signing_key::from_jwk(jwk, alg);
      if (key) return std::move(*key);
      tried.note(key.error());
    }
    fail_key(
        tried.best(), where,
        tried.best() == jot::errc::invalid_key ? "not a private key in PEM, DER or JWK form" : "");
  }
  for (jot::algorithm alg : candidates) {
    auto key = format == key_format::pem ? jot::signing_key::from_pem(alg, text)
                                         : jot::signing_key::from_der(alg, text);
    if (key) {
      OPENSSL_cleanse(text.data(), text.size());
      return std::move(*key);
    }
    tried.note(key.error());
  }
  OPENSSL_cleanse(text.data(), text.size());
  fail_key(tried.best(), where, encoded_key_hint(tried, candidates, true));
}

public_key_file load_public_key_file(
    std::string_view command, const std::string& path,
    const std::optional<std::vector<jot::algorithm>>& user_algorithms, bool allow_set) {
  const std::vector<jot::algorithm>& candidates =
      user_algorithms ? *user_algorithms : default_algorithms();
  const std::string where = path;
  const std::string text = read_file("KEYFILE", path);
  const key_format format = format_of(text);
  public_key_file out;
  attempts tried;
  if (format != key_format::json) {
    for (jot::algorithm alg : candidates) {
      if (jot::is_hmac(alg)) continue;
      auto key = format == key_format::pem ? jot::verification_key::from_pem(alg, text)
                                           : jot::verification_key::from_der(alg, text);
      if (key) {
        out.keys.push_back(std::move(*key));
        return out;
      }
      tried.note(key.error());
    }
    fail_key(tried.best(), where, encoded_key_hint(tried, candidates, false));
  }
  nlohmann::json json = parse_key_json(where, text);
  if (is_key_set(json)) {
    if (!allow_set) fail_usage(command, "KEYFILE must hold one key, not a JWKS");
    std::optional<jot::algorithm> default_algorithm;
    if (user_algorithms && user_algorithms->size() == 1)
      default_algorithm = user_algorithms->front();
    auto keys = jot::key_set::from_jwks(json, key_file_options(default_algorithm));
    if (!keys) fail_key(keys.error(), where);
    out.keys = keys->keys();
    return out;
  }
  if (!user_algorithms && json.contains("alg")) {
    auto key = jot::verification_key::from_jwk(json);
    if (!key) fail_key(key.error(), where);
    out.keys.push_back(std::move(*key));
  } else {
    for (jot::algorithm alg : candidates) {
      auto key = jot::verification_key::from_jwk(json, alg);
      if (key) {
        out.keys.push_back(std::move(*key));
        break;
      }
      tried.note(key.error());
    }
    if (out.keys.empty()) fail_key(tried.best(), where);
  }
  out.jwk = std::move(json);
  return out;
}

}  // namespace jot_cli
