// Sessions: a login gets a short-lived access token and a refresh token; the refresh token
// rotates on every use, a client may retry a refresh whose answer it lost, and a stolen copy
// presented after the owner used it ends the session.
#include <chrono>
#include <iostream>
#include <string>

#include <jot/jot.hpp>
#include <jot/session.hpp>

namespace {
template <typename T>
const char* outcome(const jot::result<T>& result) {
  return result ? "success" : jot::errc_name(result.error());
}
}  // namespace

int main() {
  // Two keys: services verify access tokens with the public half of the first; only the auth
  // server holds the second, so no service can even check a refresh token.
  auto access_key = jot::signing_key::generate(jot::algorithm::es256);
  auto refresh_key = jot::signing_key::generate(jot::algorithm::hs256);
  if (!access_key || !refresh_key) return 1;

  // Memory stores by default (one process); pass Redis ones to share sessions between servers.
  auto sessions = jot::session_manager::builder{}
                      .issuer("https://auth.example.com")
                      .access_audience("https://api.example.com")
                      .client_id("web-app")
                      .access_key(access_key->with_key_id("access-2026-12").value())
                      .refresh_key(refresh_key->with_key_id("refresh-2026-12").value())
                      .build();
  if (!sessions) {
    std::cerr << "session manager: " << sessions.error().message() << "\n";
    return 1;
  }

  // Login (after checking the password): a new session and its first pair.
  auto login = sessions->issue_pair("user-42", {{"roles", {"admin"}}});
  if (!login) return 1;
  const auto lifetime = login->access_expires_at.time_since_epoch() -
                        std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch());
  std::cout << "login: access token valid for " << (lifetime.count() + 59) / 60 << " min\n";

  // Every request: authenticate the access token.
  auto request = sessions->authenticate(login->access_token);
  if (!request) return 1;
  std::cout << "GET /orders: " << *request->claims().subject()
            << " roles=" << request->claims().find("roles")->dump() << "\n";

  // The access token expires: the client trades its refresh token for a new pair.
  auto renewed = sessions->refresh(login->refresh_token);
  std::cout << "refresh: " << outcome(renewed) << "\n";
  if (!renewed) return 1;

  // The kinds cannot stand in for each other.
  std::cout << "refresh token as an access token: "
            << outcome(sessions->authenticate(renewed->refresh_token)) << "\n";
  std::cout << "access token as a refresh token: "
            << outcome(sessions->refresh(renewed->access_token)) << "\n";

  // A client that lost the answer retries with the token it just spent: inside the reuse interval
  // (30 s by default) it gets the same new refresh token, not a second one.
  auto retried = sessions->refresh(login->refresh_token);
  std::cout << "a retry with the spent token: "
            << (retried && retried->refresh_token == renewed->refresh_token ? "the same pair"
                                                                            : "refused")
            << "\n";

  // The owner refreshes again. Then an attacker replays the refresh token they stole at login:
  // it was spent before the last rotation, so someone holds a copy. The whole session ends
  // (RFC 9700 §4.14.2), the owner's too.
  auto current = sessions->refresh(renewed->refresh_token);
  if (!current) return 1;
  std::cout << "the stolen refresh token: " << outcome(sessions->refresh(login->refresh_token))
            << "\n";
  std::cout << "the owner's current refresh token: "
            << outcome(sessions->refresh(current->refresh_token)) << "\n";

  // Logout ends a session at once.
  auto next_login = sessions->issue_pair("user-42");
  if (!next_login) return 1;
  std::cout << "logout: " << outcome(sessions->end_session(next_login->refresh_token))
            << ", then refresh: " << outcome(sessions->refresh(next_login->refresh_token)) << "\n";
  return 0;
}
