// jot revoke and jot bump-version: an operator's two commands against the Redis session stores
// (jot::redis) that a deployment's services read: put a token on the blocklist, or end every
// token of a subject (logout everywhere). Built with jot::redis when hiredis was found; without
// it they say so and exit 2.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jot/errc.hpp>
#include <jot/unverified.hpp>

#ifdef JOT_CLI_WITH_REDIS
#include <jot/redis/redis.hpp>
#endif

#include "args.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace jot_cli {

namespace {

constexpr const char* redis_options_help = R"(
Redis options:
  --redis URL                 redis://host[:port][/db] or unix:///path/to/redis.sock[?db=N]
                              (no password in the URL: the command line is visible to others)
  --redis-password-file FILE  the password (first line), for AUTH
  --redis-user NAME           the ACL user the password belongs to (Redis 6+)
  --cluster                   URL names one node of a Redis Cluster
  --prefix PREFIX             the services' key prefix (default "jot:")
  --min-replicas N            durability: succeed only once N replicas hold the write (WAIT)
  --replica-timeout MS        how long to wait for them (default 1000)
  --timeout MS                connect and command timeout (default 2000)
)";

std::string revoke_help_text() {
  return std::string(R"(usage: jot revoke --redis URL [options] [TOKEN | FILE | -]
       jot revoke --redis URL [options] --jti JTI --expires-at SECONDS

Puts a token's jti on the Redis blocklist until its exp, as jot::redis::revocation_store does:
every service that checks revocations (expect_that(jot::not_revoked(store)),
session_manager::authenticate) rejects it from then on. Only the token's jti and exp are used
and its signature is NOT checked (revoking can only refuse more). A token past its exp needs no
entry. Prints {"jti":...,"expires_at":...}.

)") + token_input_help +
         R"(
Exit status: 0 revoked, 1 the token cannot be revoked (malformed, no jti or exp:
"error: <code>: <reason>"), 2 usage or I/O error or Redis failure
("error: store_unavailable: ...").
)";
}

constexpr const char* bump_help_text = R"(usage: jot bump-version --redis URL [options] SUBJECT

Bumps SUBJECT's token version, as jot::redis::token_version_store::bump does: every token issued
to it so far, access or refresh, is rejected (token_version_mismatch) by the services that
check versions. Logout everywhere, or a password change. Prints {"subject":...,"version":N}.

Exit status: 0 bumped, 2 usage error or Redis failure ("error: store_unavailable: ...").
)";

}  // namespace

#ifdef JOT_CLI_WITH_REDIS

namespace {

const std::vector<option_spec> redis_specs = {
    {"redis", true, false},           {"redis-password-file", true, false},
    {"redis-user", true, false},      {"cluster", false, false},
    {"prefix", true, false},          {"min-replicas", true, false},
    {"replica-timeout", true, false}, {"timeout", true, false},
};

std::vector<option_spec> with_redis_specs(std::vector<option_spec> own) {
  own.insert(own.end(), redis_specs.begin(), redis_specs.end());
  return own;
}

// The stores the options describe; usage failures for options that do not fit.
jot::session_stores stores_from(const char* command, const arguments& args) {
  const auto url = args.value("redis");
  if (!url) fail_usage(command, "--redis URL is required");
  auto options = jot::redis::parse_url(*url);
  if (!options) {
    fail_usage(command, "--redis: not a redis:// or unix:// URL this jot can use (no rediss://)");
  }
  if (!options->password.empty() || !options->username.empty()) {
    fail_usage(command, "--redis: put the password in --redis-password-file, not in the URL");
  }
  if (const auto file = args.value("redis-password-file")) {
    std::string password = read_file("redis-password-file", *file);
    password = password.substr(0, password.find_first_of("\r\n"));
    if (password.empty()) fail_usage(command, "--redis-password-file: the file is empty");
    options->password = std::move(password);
  }
  if (const auto user = args.value("redis-user")) {
    if (options->password.empty()) fail_usage(command, "--redis-user needs --redis-password-file");
    options->username = *user;
  }
  const auto milliseconds = [&](const char* option, std::int64_t fallback) {
    const auto text = args.value(option);
    return std::chrono::milliseconds(text ? parse_integer(command, option, *text, 1, 600000)
                                          : fallback);
  };
  options->connect_timeout = options->command_timeout = milliseconds("timeout", 2000);
  options->pool_size = 1;
  jot::redis::store_options store;
  if (const auto prefix = args.value("prefix")) store.key_prefix = *prefix;
  if (const auto replicas = args.value("min-replicas")) {
    store.min_replicas =
        static_cast<int>(parse_integer(command, "min-replicas", *replicas, 0, 100));
  }
  store.replica_timeout = milliseconds("replica-timeout", 1000);
  return jot::redis::make_stores(jot::redis::make_client(*options, args.has("cluster")), store);
}

// The payload member `name` of `payload`: missing_claim when absent.
const nlohmann::json& claim_of(const nlohmann::json& payload, const char* name) {
  const auto it = payload.find(name);
  if (it == payload.end()) fail_token(jot::errc::missing_claim);
  return *it;
}

}  // namespace

int revoke_command(const command_arguments& argv) {
  constexpr const char* name = "revoke";
  if (wants_help(argv)) {
    print_text(revoke_help_text() + redis_options_help);
    return exit_ok;
  }
  const arguments args = parse_arguments(
      name, argv, with_redis_specs({{"jti", true, false}, {"expires-at", true, false}}), 0, 1);
  std::string jti;
  std::int64_t expires_at = 0;
  if (args.has("jti") || args.has("expires-at")) {
    if (!args.has("jti") || !args.has("expires-at") || !args.positional().empty()) {
      fail_usage(name, "give either a TOKEN or both --jti and --expires-at");
    }
    jti = *args.value("jti");
    if (jti.empty()) fail_usage(name, "--jti must not be empty");
    expires_at =
        parse_integer(name, "expires-at", *args.value("expires-at"), 1, jot::max_numeric_date);
  } else {
    const std::string token = read_token(args, jot::default_max_token_size);
    auto decoded = jot::unverified::decode(token);
    if (!decoded) fail_token(decoded.error());
    const auto& id = claim_of(decoded->payload, "jti");
    const auto& exp = claim_of(decoded->payload, "exp");
    if (!id.is_string() || id.get_ref<const std::string&>().empty() || !exp.is_number() ||
        exp.get<double>() < 1 || exp.get<double>() > static_cast<double>(jot::max_numeric_date)) {
      fail_token(jot::errc::invalid_claim_type);
    }
    jti = id.get<std::string>();
    expires_at = static_cast<std::int64_t>(exp.get<double>());
  }
  const auto stores = stores_from(name, args);
  const jot::sys_seconds until{std::chrono::seconds(expires_at)};
  if (auto revoked = stores.revocations->revoke(jti, until); !revoked) {
    fail_key(revoked.error(), "--redis");
  }
  print_line(json_text({{"jti", jti}, {"expires_at", expires_at}}));
  return exit_ok;
}

int bump_version_command(const command_arguments& argv) {
  constexpr const char* name = "bump-version";
  if (wants_help(argv)) {
    print_text(std::string(bump_help_text) + redis_options_help);
    return exit_ok;
  }
  const arguments args = parse_arguments(name, argv, with_redis_specs({}), 1, 1);
  const std::string& subject = args.positional().front();
  if (subject.empty()) fail_usage(name, "SUBJECT must not be empty");
  const auto stores = stores_from(name, args);
  auto version = stores.versions->bump(subject);
  if (!version) fail_key(version.error(), "--redis");
  print_line(json_text({{"subject", subject}, {"version", *version}}));
  return exit_ok;
}

#else  // built without jot::redis

constexpr const char* without_redis =
    "this jot was built without Redis support (hiredis was not found)";

int revoke_command(const command_arguments& argv) {
  if (!wants_help(argv)) fail_usage("revoke", without_redis);
  print_text(revoke_help_text() + redis_options_help);
  return exit_ok;
}

int bump_version_command(const command_arguments& argv) {
  if (!wants_help(argv)) fail_usage("bump-version", without_redis);
  print_text(std::string(bump_help_text) + redis_options_help);
  return exit_ok;
}

#endif

}  // namespace jot_cli
