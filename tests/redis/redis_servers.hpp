#pragma once

// Real Redis servers for the tests: redis_server starts one `redis-server` (Debian's redis 7) on
// a free loopback port with a temporary directory, redis_cluster six of them as a cluster of 3
// masters + 3 replicas. Every server listens on 127.0.0.1 only and is stopped by its PID when its
// object goes, and the kernel kills it should this process die first (PR_SET_PDEATHSIG), so no
// test run leaves a server behind. No other address or port is ever touched.
//
// A missing redis-server fails the tests rather than skipping them: .ci/run installs it
// (tools/run-tests.sh), and a suite that silently did nothing would prove nothing.

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <jot/redis/cluster.hpp>
#include <jot/redis/connection_pool.hpp>

#include "catch.hpp"
#include "child_process.hpp"

namespace jot_redis_test {

using namespace std::chrono_literals;
using jot::redis::command;
using jot::redis::reply;

// How long a server may take to answer after it starts, and a cluster to agree after a change.
inline constexpr auto start_deadline = 20s;
inline constexpr auto cluster_deadline = 60s;

// Polls `done` every 50 ms until it is true or `deadline` has passed; returns its last answer.
template <typename Condition>
bool eventually(Condition done, std::chrono::steady_clock::duration deadline = cluster_deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(50ms);
  }
}

// Whether TCP `port` on 127.0.0.1 can be bound now.
inline bool port_is_free(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return free;
}

// A port the kernel hands out as free whose cluster bus port (port + 10000, as Redis Cluster
// uses by default) is free too; ports are taken from 20000-55000 so that the bus port is valid.
inline int free_port() {
  for (int tries = 0; tries < 1000; ++tries) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!bound) continue;
    const int port = ntohs(address.sin_port);
    if (port >= 20000 && port <= 55000 && port_is_free(port + 10000)) return port;
  }
  FAIL("no free loopback port pair found");
  return 0;
}

// Options for a client of the server on `port`, with short timeouts: a dead server is noticed in
// a fraction of a second.
inline jot::redis::connection_options options_for(int port) {
  jot::redis::connection_options options;
  options.host = "127.0.0.1";
  options.port = port;
  options.connect_timeout = 500ms;
  options.command_timeout = 2000ms;
  return options;
}

class redis_server {
 public:
  // `extra` is appended to the command line (e.g. {"--cluster-enabled", "yes"}).
  explicit redis_server(std::vector<std::string> extra = {})
      : port_(free_port()), extra_(std::move(extra)) {
    std::string pattern = (std::filesystem::temp_directory_path() / "jot-redis-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    start();
  }
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;
  ~redis_server() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  int port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return "redis://" + endpoint(); }
  std::string unix_socket() const { return (dir_ / "redis.sock").string(); }
  bool running() const { return pid_ > 0; }

  // Starts it (again: same port, same directory, so a persistent server finds its data) and
  // waits until it answers PING.
  void start() {
    REQUIRE(pid_ < 0);
    std::vector<std::string> args = {"redis-server",
                                     "--port",
                                     std::to_string(port_),
                                     "--bind",
                                     "127.0.0.1",
                                     "--dir",
                                     dir_.string(),
                                     "--unixsocket",
                                     unix_socket(),
                                     "--unixsocketperm",
                                     "700",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--daemonize",
                                     "no",
                                     "--logfile",
                                     (dir_ / "redis.log").string()};
    args.insert(args.end(), extra_.begin(), extra_.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec. The server dies with this process.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      const int null = ::open("/dev/null", O_RDWR);
      if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
      }
      ::execvp("redis-server", argv.data());
      ::_exit(127);
    }
    pid_ = pid;
    const bool answered = eventually(
        [&] {
          int status = 0;
          if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            FAIL(
                "redis-server did not start (is it installed? Debian: apt-get install "
                "redis-server; tools/run-tests.sh installs it). Its log: "
                << (dir_ / "redis.log").string());
          }
          return ping();
        },
        start_deadline);
    REQUIRE(answered);
  }

  // SIGTERM (a clean shutdown) or SIGKILL (a crash), then waits for it to exit.
  void stop(int signal = SIGTERM) {
    if (pid_ < 0) return;
    ::kill(pid_, signal);
    const auto end = std::chrono::steady_clock::now() + 10s;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > end) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
    pid_ = -1;
  }
  void kill() { stop(SIGKILL); }

  // SIGSTOP: the process stays, its sockets stay open and the kernel still completes TCP
  // handshakes into its listen backlog, but nothing is read or answered: a stalled server, as a
  // long fork, a swapped-out process or a frozen virtual machine makes it. resume() is SIGCONT.
  void suspend() const { ::kill(pid_, SIGSTOP); }
  void resume() const { ::kill(pid_, SIGCONT); }

  // Sends one command on a fresh connection; an empty reply when the server cannot be reached.
  // It administers servers of every eviction policy, those the tests make evicting included.
  reply ask(const command& arguments) const {
    auto options = options_for(port_);
    options.allow_evicting_policy = true;
    auto opened = jot::redis::connection::open(options);
    if (!opened) return reply();
    auto replies = opened->run({arguments});
    if (!replies) return reply();
    return std::move(replies->front());
  }
  // Whether it answers; a server with a password answers NOAUTH.
  bool ping() const {
    const reply answer = ask({"PING"});
    return answer.text() == "PONG" || answer.is_error("NOAUTH");
  }
  long long integer(const command& arguments) const {
    const reply answer = ask(arguments);
    REQUIRE(answer.type() == REDIS_REPLY_INTEGER);
    return answer.get()->integer;
  }
  // One line of INFO / CLUSTER INFO text ("role:master" -> "master"); empty when missing.
  std::string info_field(const command& arguments, std::string_view field) const {
    const std::string text(ask(arguments).text());
    const std::string wanted = std::string(field) + ":";
    const auto at = text.find(wanted);
    if (at == std::string::npos) return {};
    const auto end = text.find("\r\n", at);
    return text.substr(at + wanted.size(), end - at - wanted.size());
  }

 private:
  int port_;
  std::vector<std::string> extra_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

// Three masters and three replicas, made by redis-cli --cluster create, with a 1 s
// cluster-node-timeout so that a failed master is replaced within a few seconds.
class redis_cluster {
 public:
  static constexpr int size = 6;

  redis_cluster() {
    for (int i = 0; i < size; ++i) {
      nodes_.push_back(std::make_unique<redis_server>(std::vector<std::string>{
          "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
          "--cluster-node-timeout", "1000",
          // Replicas may be promoted however long they were cut off: the tests kill masters.
          "--cluster-replica-validity-factor", "0"}));
    }
    std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
    for (const auto& node : nodes_) create.push_back(node->endpoint());
    create.insert(create.end(), {"--cluster-replicas", "1", "--cluster-yes"});
    const auto created = run_redis_cli(create);
    INFO(created.out << created.err);
    REQUIRE(created.status == 0);
    REQUIRE(eventually([&] { return healthy(); }));
  }

  redis_server& node(int i) { return *nodes_[static_cast<std::size_t>(i)]; }

  jot::redis::cluster_options options() const {
    jot::redis::cluster_options options;
    options.node = options_for(nodes_[0]->port());
    for (std::size_t i = 1; i < nodes_.size(); ++i) {
      options.more_seeds.emplace_back("127.0.0.1", nodes_[i]->port());
    }
    return options;
  }

  // Every running node sees the cluster as ok with all slots served, and every slot's master
  // has a replica in sync again (so a later test can fail it over).
  bool healthy() const {
    int masters = 0, replicas = 0;
    for (const auto& node : nodes_) {
      if (!node->running()) continue;
      if (node->info_field({"CLUSTER", "INFO"}, "cluster_state") != "ok" ||
          node->info_field({"CLUSTER", "INFO"}, "cluster_slots_ok") != "16384") {
        return false;
      }
      const std::string role = node->info_field({"INFO", "replication"}, "role");
      if (role == "master") {
        ++masters;
      } else if (node->info_field({"INFO", "replication"}, "master_link_status") == "up") {
        ++replicas;
      }
    }
    return masters == 3 && replicas == masters;
  }

  // The index of the node that is master of `slot`, as that node itself says (-1: none).
  int master_of(int slot) const {
    for (int i = 0; i < size; ++i) {
      const auto& node = *nodes_[static_cast<std::size_t>(i)];
      if (!node.running() || node.info_field({"INFO", "replication"}, "role") != "master") {
        continue;
      }
      const reply slots = node.ask({"CLUSTER", "SLOTS"});
      const redisReply* map = slots.get();
      if (map == nullptr || map->type != REDIS_REPLY_ARRAY) continue;
      for (std::size_t r = 0; r < map->elements; ++r) {
        const redisReply* range = map->element[r];
        if (range->element[0]->integer <= slot && slot <= range->element[1]->integer &&
            range->element[2]->element[1]->integer == node.port()) {
          return i;
        }
      }
    }
    return -1;
  }
  // The index of a running replica of node `master` (-1: none).
  int replica_of(int master) const {
    const std::string master_port =
        std::to_string(nodes_[static_cast<std::size_t>(master)]->port());
    for (int i = 0; i < size; ++i) {
      const auto& node = *nodes_[static_cast<std::size_t>(i)];
      if (node.running() && node.info_field({"INFO", "replication"}, "role") == "slave" &&
          node.info_field({"INFO", "replication"}, "master_port") == master_port) {
        return i;
      }
    }
    return -1;
  }
  std::string id_of(int i) const {
    return std::string(nodes_[static_cast<std::size_t>(i)]->ask({"CLUSTER", "MYID"}).text());
  }

  static jot_test::process_result run_redis_cli(std::vector<std::string> args) {
    args[0] = "/usr/bin/redis-cli";
    return jot_test::run_program(args, {},
                                 "Debian: apt-get install redis-tools (tools/run-tests.sh does)");
  }

 private:
  std::vector<std::unique_ptr<redis_server>> nodes_;
};

// Suspends `server` for its lifetime, so that a failing REQUIRE still resumes it.
class suspension {
 public:
  explicit suspension(const redis_server& server) : server_(server) { server_.suspend(); }
  suspension(const suspension&) = delete;
  suspension& operator=(const suspension&) = delete;
  ~suspension() { server_.resume(); }

 private:
  const redis_server& server_;
};

// One standalone server for a suite's tests that neither stop it nor change its configuration,
// started at first use, and a pool to it. A test keeps to its own keys (fresh_prefix()).
inline redis_server& shared_server() {
  static redis_server server;
  return server;
}

inline std::shared_ptr<jot::redis::connection_pool> shared_client() {
  static const auto client =
      std::make_shared<jot::redis::connection_pool>(options_for(shared_server().port()));
  return client;
}

}  // namespace jot_redis_test
