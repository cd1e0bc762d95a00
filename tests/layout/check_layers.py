"""The include graph of include/jot follows the layers (CONTRIBUTING.md, "Layers").

The folders are the layers: the token core (include/jot/*.hpp and include/jot/detail/), sessions
(include/jot/session/ and the <jot/session.hpp> umbrella), DPoP (include/jot/dpop/ and
<jot/dpop.hpp>), HTTP (include/jot/http/ and <jot/http.hpp>), Redis (include/jot/redis/) and
encrypted tokens (include/jot/jwe/ and <jot/jwe.hpp>, which only the application includes: the
core never depends on it). Dependencies point one way, core <- session <- dpop <- redis,
dpop <- http and core <- jwe, so a header may
include only headers of its own layer or of a layer below it (which also keeps every detail/
header below the public headers of the layers above it), and no header may reach itself through
its includes. Exits 1 and names every offending include.

Usage: python3 check_layers.py <repository root>
"""

import pathlib
import re
import sys

BELOW = {  # the layers each layer may include, itself among them
    "core": {"core"},
    "session": {"core", "session"},
    "dpop": {"core", "session", "dpop"},
    # http -> dpop (and the session layer under it): a route that accepts DPoP-bound tokens
    # verifies the request's proof (dpop::verifier) and the token's binding to its key
    # (session/dpop_binding.hpp) inside authorize(), the one decision every adapter shares.
    "http": {"core", "session", "dpop", "http"},
    "redis": {"core", "session", "dpop", "redis"},
    "jwe": {"core", "jwe"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"](jot/[^">]+)[">]', re.MULTILINE)


def layer_of(name):
    """The layer of a header named as included, e.g. jot/session/stores.hpp."""
    parts = name.split("/")
    if len(parts) > 2 and parts[1] in BELOW:
        return parts[1]
    if name in ("jot/session.hpp", "jot/dpop.hpp", "jot/http.hpp", "jot/jwe.hpp"):
        return name[4:-4]
    return "core"


def main(root):
    include_dir = pathlib.Path(root) / "include"
    headers = {str(p.relative_to(include_dir)): p for p in include_dir.glob("jot/**/*.hpp")}
    graph = {}
    errors = []
    for name, path in sorted(headers.items()):
        includes = INCLUDE.findall(path.read_text(encoding="utf-8"))
        graph[name] = [i for i in includes if i in headers]
        for included in includes:
            if included not in headers:
                errors.append(f"{name} includes {included}, which does not exist")
            elif layer_of(included) not in BELOW[layer_of(name)]:
                errors.append(f"{name} ({layer_of(name)}) includes {included} "
                              f"({layer_of(included)}), a layer above it")
    # Any cycle, a mutual include among them: depth-first search with the path on a stack.
    state = {}
    def visit(node, path):
        state[node] = "open"
        for nxt in graph[node]:
            if state.get(nxt) == "open":
                errors.append("include cycle: " + " -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"
    for node in graph:
        if node not in state:
            visit(node, [node])
    for error in errors:
        print(error)
    print(f"{len(headers)} headers, {sum(len(v) for v in graph.values())} includes checked")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
