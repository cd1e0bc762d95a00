#pragma once

// The C++ side of the PyJWT peer (pyjwt_peer.py): runs the script once per request, hands it the
// request on stdin and returns its JSON reply. A peer that cannot be started, exits non-zero or
// answers with something that is not JSON fails the current test with the peer's stderr: CI
// installs python3-jwt, so a missing interpreter or PyJWT is an error, never a skip.
//
// Secrets: the request (which carries the HMAC secret) goes through a pipe, so it is never
// written to disk, to argv or to a test log. Only the peer's stdout and stderr go to files, in a
// private temporary folder that is removed afterwards.

#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

#include <jot/jot.hpp>
#include <nlohmann/json.hpp>

#include "catch.hpp"

extern char** environ;

// A failed `CHECK(result.error() == jot::errc::x)` then prints "jot:24 == token_expired" and the
// INFO beside it the name of the code jot returned.
namespace Catch {
template <>
struct StringMaker<jot::errc> {
  static std::string convert(jot::errc code) { return jot::errc_name(code); }
};
}  // namespace Catch

namespace jot_interop {

// The interpreter CMake found and the peer script, both fixed at configure time.
inline constexpr const char* python_path = JOT_PYTHON3;
inline constexpr const char* peer_script = JOT_PYJWT_PEER;

struct peer_output {
  int exit_status = -1;  // the exit code, or -1 when the peer was killed by a signal
  std::string out;
  std::string err;
};

namespace detail {

// Closes a file descriptor when the test leaves the scope, also through a failed REQUIRE.
class unique_fd {
 public:
  explicit unique_fd(int fd = -1) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { reset(); }
  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// A fresh 0700 folder (mkdtemp) for the peer's output, removed with everything in it.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "jot-interop-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      FAIL("cannot create a temporary folder: " << std::strerror(errno));
    }
    path_ = pattern;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline int open_output(const std::filesystem::path& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

}  // namespace detail

// Runs the peer with `request` on its stdin and returns what it did, without judging it.
inline peer_output run_peer(const std::string& request) {
  const std::string python = python_path;
  if (python.empty() || python.find("NOTFOUND") != std::string::npos) {
    FAIL("CMake found no python3 interpreter (JOT_PYTHON3="
         << python
         << "). The interop tests "
            "need /usr/bin/python3 with PyJWT (Debian: apt-get install python3 python3-jwt), or "
            "configure with -DJOT_PYTHON3=/path/to/python3.");
  }

  // The whole request is written into the pipe before the peer starts, so that no write can
  // block on a reader that has not been spawned yet (or has died: no SIGPIPE either). That
  // needs the request to fit the pipe buffer: 64 KiB on Linux, far more than any request here.
  REQUIRE(request.size() < 32 * 1024);
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  detail::unique_fd stdin_read(pipe_fds[0]);
  detail::unique_fd stdin_write(pipe_fds[1]);
  std::string_view pending = request;
  while (!pending.empty()) {
    const ssize_t written = ::write(stdin_write.get(), pending.data(), pending.size());
    if (written < 0 && errno == EINTR) continue;
    REQUIRE(written > 0);
    pending.remove_prefix(static_cast<std::size_t>(written));
  }
  stdin_write.reset();  // the peer reads to end-of-file

  detail::temp_dir dir;
  const auto out_path = dir.path() / "stdout.json";
  const auto err_path = dir.path() / "stderr.txt";
  detail::unique_fd out_fd(detail::open_output(out_path));
  detail::unique_fd err_fd(detail::open_output(err_path));
  REQUIRE(out_fd.get() >= 0);
  REQUIRE(err_fd.get() >= 0);

  // posix_spawn, not std::system: no shell, so no quoting of paths, and the child gets exactly
  // these three descriptors (everything else of ours is O_CLOEXEC or closed by exec).
  posix_spawn_file_actions_t actions;
  REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
  ::posix_spawn_file_actions_adddup2(&actions, stdin_read.get(), STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_fd.get(), STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err_fd.get(), STDERR_FILENO);
  std::string arg0 = python;
  std::string arg1 = peer_script;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  const int spawn_error = ::posix_spawn(&pid, python.c_str(), &actions, nullptr, argv, environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    FAIL("cannot run the PyJWT peer with " << python << ": " << std::strerror(spawn_error)
                                           << ". Install python3 and python3-jwt (Debian), or "
                                              "configure with -DJOT_PYTHON3=/path/to/python3.");
  }
  stdin_read.reset();
  out_fd.reset();
  err_fd.reset();

  int status = 0;
  pid_t waited;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  REQUIRE(waited == pid);

  peer_output output;
  output.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  output.out = detail::slurp(out_path);
  output.err = detail::slurp(err_path);
  return output;
}

// Runs the peer and insists that it carried the request out: exit status 0 and a JSON object on
// stdout. The request is never printed (it holds the secret); the peer's stderr is.
inline nlohmann::json call_peer(const nlohmann::json& request) {
  const peer_output output = run_peer(request.dump());
  INFO("PyJWT peer (" << python_path << " " << peer_script << ") exited with " << output.exit_status
                      << "; its stderr:\n"
                      << output.err);
  REQUIRE(output.exit_status == 0);
  const auto reply = nlohmann::json::parse(output.out, nullptr, /*allow_exceptions=*/false);
  INFO("peer stdout was not one JSON object: " << output.out);
  REQUIRE(reply.is_object());
  REQUIRE(reply.contains("ok"));
  return reply;
}

// `object[name]`, or null when there is no such member. operator[] on a const nlohmann::json
// asserts (aborts the whole run) on a missing member; a test should fail one check instead.
inline nlohmann::json member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? nlohmann::json() : *it;
}

// "accepted", or the name of the errc jot rejected a token with, for INFO messages.
template <typename Result>
std::string verdict(const Result& result) {
  return result ? "accepted" : jot::errc_name(result.error());
}

inline std::string b64url(std::string_view bytes) { return jot::base64url_encode(bytes); }

// PyJWT's jwt.decode() of a jot token: the reply is {"ok": true, "claims", "header"} or
// {"ok": false, "error": "<exception class>"}.
struct decode_request {
  std::string token;
  std::string secret;  // raw bytes
  std::string algorithm;
  std::optional<std::string> audience;
  std::optional<std::string> issuer;
};

inline nlohmann::json pyjwt_decode(const decode_request& r) {
  nlohmann::json request = {{"op", "decode"},
                            {"token", r.token},
                            {"secret", b64url(r.secret)},
                            {"algorithms", {r.algorithm}}};
  request["audience"] = r.audience ? nlohmann::json(*r.audience) : nlohmann::json(nullptr);
  request["issuer"] = r.issuer ? nlohmann::json(*r.issuer) : nlohmann::json(nullptr);
  return call_peer(request);
}

// PyJWT's jwt.encode(); an absent secret is PyJWT's key=None (alg "none").
struct encode_request {
  std::string algorithm;
  std::optional<std::string> secret;  // raw bytes
  nlohmann::json headers = nlohmann::json::object();
  nlohmann::json payload = nlohmann::json::object();
};

inline std::string pyjwt_encode(const encode_request& r) {
  nlohmann::json request = {
      {"op", "encode"}, {"algorithm", r.algorithm}, {"headers", r.headers}, {"payload", r.payload}};
  request["secret"] = r.secret ? nlohmann::json(b64url(*r.secret)) : nlohmann::json(nullptr);
  const nlohmann::json reply = call_peer(request);
  REQUIRE(member(reply, "ok") == true);
  REQUIRE(member(reply, "token").is_string());
  return reply.at("token").get<std::string>();
}

// HS256 -> HS384 -> HS512 -> HS256: a different algorithm that a 64-byte secret also suits.
// Not a switch: jot::algorithm grows asymmetric members these tests never use.
inline jot::algorithm next_hmac_algorithm(jot::algorithm alg) {
  if (alg == jot::algorithm::hs256) return jot::algorithm::hs384;
  if (alg == jot::algorithm::hs384) return jot::algorithm::hs512;
  return jot::algorithm::hs256;
}

inline std::string algorithm_label(jot::algorithm alg) {
  return std::string(jot::algorithm_name(alg));
}

}  // namespace jot_interop
