#pragma once

// A demo server (examples/web_app, examples/microservice) run as a child process for one test:
// started with `--port 0`, so the kernel picks a free loopback port and no two tests collide;
// its origin is read from the "listening on <origin>" line it prints; stopped by its PID when the
// test ends, pass or fail (RAII). The child's stderr goes to the test's, for diagnosis.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "catch.hpp"

extern char** environ;

namespace jot_test {

class server_process {
 public:
  explicit server_process(std::vector<std::string> argv) {
    argv.insert(argv.end(), {"--port", "0"});
    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
    ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<char*> pointers;
    for (std::string& arg : argv) pointers.push_back(arg.data());
    pointers.push_back(nullptr);
    const int spawned =
        ::posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, pointers.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
      ::close(out[0]);
      pid_ = -1;
      FAIL("cannot start " << argv[0] << ": " << std::strerror(spawned));
    }
    origin_ = read_origin(out[0]);
    ::close(out[0]);  // the servers print nothing after that line
    if (origin_.empty()) {
      stop();
      FAIL(argv[0] << " did not print the address it listens on");
    }
  }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;
  ~server_process() { stop(); }

  // "http://127.0.0.1:<port>"
  const std::string& origin() const noexcept { return origin_; }

 private:
  // The slowest start (two password hashes under a sanitizer on a loaded machine) takes seconds.
  static constexpr std::chrono::seconds start_timeout{60};

  static std::string read_origin(int fd) {
    static constexpr std::string_view prefix = "listening on ";
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + start_timeout;
    while (text.find('\n') == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return {};
      char buffer[256];
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got <= 0) return {};  // the server exited
      text.append(buffer, static_cast<std::size_t>(got));
    }
    const std::string line = text.substr(0, text.find('\n'));
    if (line.compare(0, prefix.size(), prefix) != 0) return {};
    return line.substr(prefix.size());
  }

  void stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

  pid_t pid_ = -1;
  std::string origin_;
};

}  // namespace jot_test
