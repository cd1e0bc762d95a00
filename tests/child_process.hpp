#pragma once

// Runs a program as a child process with `input` on its stdin and collects its exit status,
// stdout and stderr: the jot CLI in the CLI tests, PyJWT and node jose in the interop tests.
// stdin is written while stdout and stderr are read (poll), so inputs and outputs of any size work
// without deadlock, and a child that exits before reading all of its input (EPIPE) is not an
// error: what it printed and its status are the result. Input and output travel through pipes
// only, never argv or files, because they can carry secrets (HMAC keys) that must not end up in
// the process list or on disk.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

extern char** environ;

namespace jot_test {

struct process_result {
  int status = -1;  // the exit code, or -1 when the child was killed by a signal
  std::string out;
  std::string err;
};

namespace detail {

class fd_guard {
 public:
  explicit fd_guard(int fd = -1) noexcept : fd_(fd) {}
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  ~fd_guard() { reset(); }
  int get() const noexcept { return fd_; }
  bool open() const noexcept { return fd_ >= 0; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace detail

// A child that has not finished after this long is killed and the test fails: a hang, since the
// slowest child (a peer generating keys for a whole batch) needs seconds on a loaded machine.
inline constexpr std::chrono::seconds run_timeout{300};

// `install_hint`, when given, follows the error that the program cannot be started.
inline process_result run_program(const std::vector<std::string>& argv, std::string_view input,
                                  const std::string& install_hint = {}) {
  REQUIRE_FALSE(argv.empty());
  // A child that exits without reading its stdin must not kill the test with SIGPIPE.
  static const bool sigpipe_ignored = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)sigpipe_ignored;

  int in[2], out[2], err[2];
  REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
  detail::fd_guard in_read(in[0]), in_write(in[1]);
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  detail::fd_guard out_read(out[0]), out_write(out[1]);
  REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
  detail::fd_guard err_read(err[0]), err_write(err[1]);

  // posix_spawn, not a shell: no quoting, and the child gets exactly these three descriptors
  // (dup2 clears close-on-exec on the copies; every other descriptor of ours is O_CLOEXEC).
  posix_spawn_file_actions_t actions;
  REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
  ::posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& arg : args) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawn(&pid, args[0].c_str(), &actions, nullptr, pointers.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    FAIL("cannot run " << args[0] << ": " << std::strerror(spawned) << ". " << install_hint);
  }
  in_read.reset();
  out_write.reset();
  err_write.reset();

  ::fcntl(in_write.get(), F_SETFL, ::fcntl(in_write.get(), F_GETFL) | O_NONBLOCK);
  std::string_view pending = input;
  if (pending.empty()) in_write.reset();

  process_result result;
  const auto deadline = std::chrono::steady_clock::now() + run_timeout;
  while (out_read.open() || err_read.open()) {
    std::vector<pollfd> fds;
    if (in_write.open()) fds.push_back({in_write.get(), POLLOUT, 0});
    if (out_read.open()) fds.push_back({out_read.get(), POLLIN, 0});
    if (err_read.open()) fds.push_back({err_read.get(), POLLIN, 0});
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const int ready =
        ::poll(fds.data(), fds.size(),
               static_cast<int>(std::max<long long>(0, static_cast<long long>(left.count()))));
    if (ready < 0 && errno == EINTR) continue;
    REQUIRE(ready >= 0);
    if (ready == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      FAIL(args[0] << " did not finish within " << run_timeout.count() << " s");
    }
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_write.get()) {
        const ssize_t written = ::write(p.fd, pending.data(), pending.size());
        if (written > 0) pending.remove_prefix(static_cast<std::size_t>(written));
        // EPIPE: the child stopped reading (it has seen enough); that is its right.
        if (pending.empty() || (written < 0 && errno != EAGAIN && errno != EINTR)) {
          in_write.reset();
        }
        continue;
      }
      char buffer[65536];
      const ssize_t got = ::read(p.fd, buffer, sizeof buffer);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        (p.fd == out_read.get() ? out_read : err_read).reset();
        continue;
      }
      (p.fd == out_read.get() ? result.out : result.err)
          .append(buffer, static_cast<std::size_t>(got));
    }
  }
  in_write.reset();
  int status = 0;
  pid_t waited;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  REQUIRE(waited == pid);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace jot_test
