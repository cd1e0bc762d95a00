#pragma once

// Test doubles for the session stores: each wraps a real store of its kind and, when told to,
// fails the reads or the writes as a store that cannot be reached does, with
// errc::store_unavailable, or by throwing std::runtime_error when throw_instead is set as well
// (builds without exceptions return the error then too). A failing call never reaches the
// wrapped store. `calls` counts every operation, failed or not, so a test can assert that a
// store was not asked at all. The family store can also lose its answers to consume()
// (lose_consume_answers): the call is made, then reported as store_unavailable, as when a server
// runs a command after its caller stopped waiting.
// Reads: is_revoked, current, is_active. Writes: revoke, bump, start, consume, revoke (family).

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <jot/jot.hpp>
#include <jot/session.hpp>

namespace jot_test {

class store_faults {
 public:
  std::atomic<bool> fail_reads{false}, fail_writes{false}, throw_instead{false};
  std::atomic<int> calls{0};

 protected:
  enum class access { read, write };

  // Counts the call; true when it must fail with store_unavailable (or throws instead).
  bool failing(access kind) {
    ++calls;
    if (!(kind == access::read ? fail_reads : fail_writes)) return false;
#ifndef JOT_NO_EXCEPTIONS
    if (throw_instead) throw std::runtime_error("session store unreachable (test double)");
#endif
    return true;
  }
};

class faulty_revocation_store : public jot::revocation_store, public store_faults {
 public:
  explicit faulty_revocation_store(std::shared_ptr<jot::revocation_store> real)
      : real_(std::move(real)) {}

  jot::result<void> revoke(std::string_view jti, jot::sys_seconds expires_at) override {
    if (failing(access::write)) return jot::errc::store_unavailable;
    return real_->revoke(jti, expires_at);
  }
  jot::result<bool> is_revoked(std::string_view jti) override {
    if (failing(access::read)) return jot::errc::store_unavailable;
    return real_->is_revoked(jti);
  }

 private:
  std::shared_ptr<jot::revocation_store> real_;
};

class faulty_token_version_store : public jot::token_version_store, public store_faults {
 public:
  explicit faulty_token_version_store(std::shared_ptr<jot::token_version_store> real)
      : real_(std::move(real)) {}

  jot::result<std::uint64_t> current(std::string_view subject) override {
    if (failing(access::read)) return jot::errc::store_unavailable;
    return real_->current(subject);
  }
  jot::result<std::uint64_t> bump(std::string_view subject) override {
    if (failing(access::write)) return jot::errc::store_unavailable;
    return real_->bump(subject);
  }

 private:
  std::shared_ptr<jot::token_version_store> real_;
};

class faulty_refresh_family_store : public jot::refresh_family_store, public store_faults {
 public:
  explicit faulty_refresh_family_store(std::shared_ptr<jot::refresh_family_store> real)
      : real_(std::move(real)) {}

  jot::result<void> start(const jot::refresh_family& family) override {
    if (failing(access::write)) return jot::errc::store_unavailable;
    return real_->start(family);
  }
  jot::result<jot::refresh_consumption> consume(std::string_view family_id,
                                                std::string_view token_id,
                                                const jot::refresh_successor& successor,
                                                jot::sys_seconds now) override {
    if (failing(access::write)) return jot::errc::store_unavailable;
    auto consumed = real_->consume(family_id, token_id, successor, now);
    if (lose_consume_answers) return jot::errc::store_unavailable;
    return consumed;
  }
  std::atomic<bool> lose_consume_answers{false};
  jot::result<void> revoke(std::string_view family_id) override {
    if (failing(access::write)) return jot::errc::store_unavailable;
    return real_->revoke(family_id);
  }
  jot::result<bool> is_active(std::string_view family_id, jot::sys_seconds now) override {
    if (failing(access::read)) return jot::errc::store_unavailable;
    return real_->is_active(family_id, now);
  }

 private:
  std::shared_ptr<jot::refresh_family_store> real_;
};

// Memory stores behind the doubles: real behaviour until a test flips a switch.
struct faulty_memory_stores {
  std::shared_ptr<faulty_revocation_store> revocations =
      std::make_shared<faulty_revocation_store>(std::make_shared<jot::memory_revocation_store>());
  std::shared_ptr<faulty_token_version_store> versions =
      std::make_shared<faulty_token_version_store>(
          std::make_shared<jot::memory_token_version_store>());
  std::shared_ptr<faulty_refresh_family_store> families =
      std::make_shared<faulty_refresh_family_store>(
          std::make_shared<jot::memory_refresh_family_store>());
};

}  // namespace jot_test
