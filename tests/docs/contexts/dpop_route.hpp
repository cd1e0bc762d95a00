// Context: a cpp-httplib server whose route takes DPoP-bound tokens (docs/protect.md): the
// server, the session manager that verifies the tokens, the verifier of the proofs and a handler.
// doc-test: requires=httplib
#include <jot/dpop.hpp>
#include <jot/http/httplib.hpp>
#include <jot/jot.hpp>
#include <jot/session.hpp>

void add_orders(httplib::Server& server, const jot::session_manager& sessions,
                const jot::dpop::verifier& proofs) {
  const auto handler = [](const httplib::Request&, httplib::Response& res,
                          const jot::verified_token& token) {
    res.set_content(std::string(*token.claims().subject()), "text/plain");
  };
  // doc-test: fragment
}
