#pragma once

// Runs another JWT implementation (a PyJWT or a node jose script) as a child process: one request
// on its stdin, its stdout and stderr collected, its exit status reported. Shared by the PyJWT
// peer (pyjwt_peer.hpp) and the jose peer (node_peer.hpp).
//
// The request goes through a pipe, never argv or a file, because it can carry secrets (HMAC keys)
// that must not end up in the process list, on disk or in a CTest log. Only the peer's stdout and
// stderr go to files, in a private temporary folder that is removed afterwards.

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
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

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

// A batch of keys, tokens and JWKS can exceed the default 64 KiB pipe; Linux lets an
// unprivileged process grow a pipe to /proc/sys/fs/pipe-max-size (1 MiB by default).
inline std::size_t grow_pipe(int fd) {
  constexpr int wanted = 1024 * 1024;
  const int granted = ::fcntl(fd, F_SETPIPE_SZ, wanted);
  if (granted > 0) return static_cast<std::size_t>(granted);
  const int current = ::fcntl(fd, F_GETPIPE_SZ);
  return current > 0 ? static_cast<std::size_t>(current) : std::size_t{4096};
}

}  // namespace detail

// Runs `argv` (argv[0] is the program's path) with `request` on its stdin and returns what it
// did, without judging it. `install_hint` says what to install when the program cannot start.
inline peer_output run_process(const std::vector<std::string>& argv, std::string_view request,
                               const std::string& install_hint) {
  REQUIRE_FALSE(argv.empty());
  // The whole request is written into the pipe before the peer starts, so that no write can
  // block on a reader that has not been spawned yet (or has died: no SIGPIPE either). That needs
  // the request to fit the pipe's buffer.
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  detail::unique_fd stdin_read(pipe_fds[0]);
  detail::unique_fd stdin_write(pipe_fds[1]);
  const std::size_t capacity = detail::grow_pipe(stdin_write.get());
  INFO("a peer request of " << request.size() << " bytes does not fit the " << capacity
                            << "-byte pipe: split the batch");
  REQUIRE(request.size() <= capacity);
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
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);
  pid_t pid = -1;
  const int spawn_error =
      ::posix_spawn(&pid, args[0].c_str(), &actions, nullptr, arg_pointers.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    FAIL("cannot run " << args[0] << ": " << std::strerror(spawn_error) << ". " << install_hint);
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

// A path CMake fixed at configure time, or a failed test that says what to install when CMake
// found nothing (an empty or *-NOTFOUND value).
inline std::string configured_program(const char* path, const char* variable,
                                      const std::string& install_hint) {
  const std::string program = path;
  if (program.empty() || program.find("NOTFOUND") != std::string::npos) {
    FAIL("CMake found no program for " << variable << " (" << program << "). " << install_hint);
  }
  return program;
}

// Insists that the peer carried the request out: exit status 0 and a JSON object with an `ok`
// member on stdout. The request is never printed (it may hold a secret); the peer's stderr is.
inline nlohmann::json parse_reply(const peer_output& output, const std::string& peer_name) {
  INFO(peer_name << " exited with " << output.exit_status << "; its stderr:\n" << output.err);
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

// The string member `name`, or "<absent>" (for messages and equality checks that should fail
// readably rather than throw).
inline std::string text(const nlohmann::json& object, const char* name) {
  const nlohmann::json value = member(object, name);
  return value.is_string() ? value.get<std::string>() : std::string("<absent>");
}

// "accepted", or the name of the errc jot rejected a token with, for INFO messages.
template <typename Result>
std::string verdict(const Result& result) {
  return result ? "accepted" : jot::errc_name(result.error());
}

}  // namespace jot_interop
