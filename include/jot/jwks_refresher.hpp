#pragma once

// jwks_refresher: keeps a jwks_cache fresh from a thread of its own, so that verification never
// waits for the JWKS endpoint (jwks_cache_options::fetch_on_verify = false). An application with
// an event loop of its own (Boost.Asio, gRPC) may call cache.refresh_if_needed() from a timer
// instead.
//
//   jot::jwks_cache_options options;
//   options.fetch_on_verify = false;
//   jot::jwks_cache cache(fetch, validator, options);
//   auto refresher = jot::jwks_refresher::start(cache, std::chrono::seconds(5)).value();
//   if (!refresher->wait_for_keys(std::chrono::seconds(10))) return 1;  // endpoint down at start

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "jot/config.hpp"
#include "jot/jwks_cache.hpp"
#include "jot/result.hpp"

JOT_BEGIN_NAMESPACE

// Calls refresh_if_needed() on one cache every `period` (the cache's max_age and cooldown decide
// whether that fetches), from a thread it starts and joins when destroyed. The cache must outlive
// it. Not copyable or movable.
template <typename Json>
class basic_jwks_refresher {
 public:
  // Starts the thread; its first refresh runs at once, so that the keys are there early.
  // invalid_argument for a period that is not positive; out_of_memory, or keys_unavailable when
  // the system refuses a thread (the keys could not be kept fresh).
  static result<std::unique_ptr<basic_jwks_refresher>> start(basic_jwks_cache<Json>& cache,
                                                             std::chrono::milliseconds period) {
    if (period <= std::chrono::milliseconds::zero()) return errc::invalid_argument;
    JOT_TRY {
      return std::unique_ptr<basic_jwks_refresher>(new basic_jwks_refresher(cache, period));
    }
    JOT_CATCH_ALL { return detail::errc_of_current_exception(errc::keys_unavailable); }
  }

  basic_jwks_refresher(const basic_jwks_refresher&) = delete;
  basic_jwks_refresher& operator=(const basic_jwks_refresher&) = delete;

  // Stops the thread (a fetch under way is waited for) and joins it.
  ~basic_jwks_refresher() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  // Waits until a key set was fetched, at most `timeout`: whether there is one.
  bool wait_for_keys(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, timeout, [this] { return has_keys_; });
  }

 private:
  basic_jwks_refresher(basic_jwks_cache<Json>& cache, std::chrono::milliseconds period)
      : cache_(cache), period_(period), thread_([this] { run(); }) {}

  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      (void)cache_.refresh_if_needed();  // a failure keeps the last good set; retried next period
      const bool has_keys = bool(cache_.keys());
      lock.lock();
      has_keys_ = has_keys_ || has_keys;
      wake_.notify_all();
      wake_.wait_for(lock, period_, [this] { return stopping_; });
    }
  }

  basic_jwks_cache<Json>& cache_;
  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool has_keys_ = false;
  std::thread thread_;  // last: started once everything it uses exists
};

// The refresher of a jot::jwks_cache.
using jwks_refresher = basic_jwks_refresher<nlohmann::json>;

JOT_END_NAMESPACE
