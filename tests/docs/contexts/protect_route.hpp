// Context: a service's declarations at namespace scope, with both HTTP adapters at hand; the
// fragments build one program over several blocks (docs/protect.md).
// doc-test: requires=httplib,beast
#include <string>
#include <utility>

#include <boost/beast/http.hpp>
#include <jot/http/beast.hpp>
#include <jot/http/httplib.hpp>
#include <jot/jot.hpp>

// doc-test: fragment
