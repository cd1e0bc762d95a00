#pragma once

// Real loopback sockets for the Boost.Beast tests: a synchronous Beast server on a thread of the
// test, and a client that sends one request at a time over a connection it keeps.

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace jot_test {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using beast_request = http::request<http::string_body>;
using beast_response = http::response<http::string_body>;

// A synchronous server at 127.0.0.1 on a port the kernel picks: each connection gets one answer
// from `handler`, then is closed. Stopped (and its thread joined) when it goes out of scope.
// The handler runs on the server's thread and must not throw.
class sync_beast_server {
 public:
  using handler_type = std::function<beast_response(const beast_request&)>;

  explicit sync_beast_server(handler_type handler)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        handler_(std::move(handler)),
        thread_([this] { serve(); }) {}
  sync_beast_server(const sync_beast_server&) = delete;
  sync_beast_server& operator=(const sync_beast_server&) = delete;
  ~sync_beast_server() {
    stopping_ = true;
    // A blocking accept() ends with a connection: one more, which the server drops.
    tcp::socket wake(io_);
    boost::beast::error_code ignored;
    wake.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

 private:
  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::beast::error_code error;
      acceptor_.accept(socket, error);
      if (error || stopping_) continue;
      boost::beast::flat_buffer buffer;
      beast_request request;
      http::read(socket, buffer, request, error);
      if (error) continue;
      beast_response response = handler_(request);
      http::write(socket, response, error);
      socket.shutdown(tcp::socket::shutdown_both, error);
    }
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  handler_type handler_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;  // last: it starts once everything above exists
};

// A client connection to 127.0.0.1:`port`. Beast's throwing calls: a failure fails the test.
class beast_client {
 public:
  explicit beast_client(unsigned short port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  beast_response send(const beast_request& request) {
    beast_request copy = request;
    copy.prepare_payload();
    http::write(socket_, copy);
    beast_response response;
    http::read(socket_, buffer_, response);
    return response;
  }

 private:
  boost::asio::io_context io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// A request to `target` with one Authorization field per entry of `authorization`.
inline beast_request make_request(http::verb method, std::string_view target,
                                  std::initializer_list<std::string_view> authorization = {}) {
  beast_request request{method, boost::beast::string_view(target.data(), target.size()), 11};
  request.set(http::field::host, "127.0.0.1");
  for (const std::string_view value : authorization) {
    request.insert(http::field::authorization,
                   boost::beast::string_view(value.data(), value.size()));
  }
  return request;
}

// A field of a response as a std::string ("" when absent).
template <typename Name>
std::string field_of(const beast_response& response, const Name& name) {
  const auto value = response[name];
  return std::string(value.data(), value.size());
}

}  // namespace jot_test
