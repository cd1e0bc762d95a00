// panva/jose on node as the other side of jot's interoperability tests (tests/interop/
// jose_interop_test.cpp). The C++ test writes one JSON request to stdin and reads one JSON reply
// from stdout, as with pyjwt_peer.py. CMake copies this file next to the node_modules folder that
// `npm ci` fills from package-lock.json, so `import('jose')` finds exactly the pinned version.
//
// Requests:
//   {"op": "probe"}
//     -> {"ok": true, "node": "20.x", "openssl": "3.x", "jose": "5.9.6"}
//   {"op": "verify", "jwks": {"keys": [...]},
//    "cases": [{"token", "algorithms": [...], "issuer", "audience", "current_date": <unix s>}]}
//     jose.createLocalJWKSet(jwks) once, then jose.jwtVerify(token, set, options) per case.
//     -> {"ok": true, "results": [{"ok": true, "header": {...}, "claims": {...}}
//                                | {"ok": false, "code": "ERR_...", "claim": "aud" | null}]}
//   {"op": "sign",
//    "keys": [{"name", "alg", "crv": "Ed448" | null, "kid", "publish": true}],
//    "tokens": [{"key": "<name>" | null, "header": {...}, "payload": {...}}]}
//     jose.generateKeyPair(alg, {crv}) per key; the public JWKS is jose.exportJWK() of each
//     published key plus kid, alg and use. Each token is new SignJWT(payload) with the protected
//     header {alg, typ: "JWT", kid} of its key, overridden by `header` (a null member removes
//     it); "key": null makes an unsecured JWT (jose.UnsecuredJWT, alg "none").
//     -> {"ok": true, "jwks": {"keys": [...]}, "tokens": ["...", ...]}
//   {"op": "jwe_encrypt", "cases": [{"jwk", "alg", "enc", "kid", "plaintext", "apu"?, "apv"?}]}
//     new CompactEncrypt(plaintext).setProtectedHeader({alg, enc, kid, cty: "JWT"}) per case,
//     encrypted to jose.importJWK(jwk, alg) (dir: the raw key); apu / apv (ECDH-ES, base64url)
//     through setKeyManagementParameters.
//     -> {"ok": true, "tokens": ["...", ...]}
//   {"op": "jwe_decrypt", "cases": [{"jwk", "alg", "enc", "token"}]}
//     jose.compactDecrypt(token, key) allowing exactly that alg and enc.
//     -> {"ok": true, "results": [{"ok": true, "plaintext", "header"} | {"ok": false, "code"}]}
//
// Exit status as pyjwt_peer.py: 0 when the request was carried out (a token jose rejects is a
// result), 2 for a request this script does not understand, 3 when jose cannot be imported, 4 for
// any other error. Node's standard library and jose only.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const EXIT_BAD_REQUEST = 2;
const EXIT_NO_JOSE = 3;
const EXIT_INTERNAL = 4;

const here = dirname(fileURLToPath(import.meta.url));

let jose;
try {
  jose = await import('jose');
} catch (error) {
  process.stderr.write(
    `jose_peer: cannot import jose from ${join(here, 'node_modules')} ` +
      `(${error.code ?? error.name}).\n` +
      `jose_peer: run \`npm ci\` in ${here}; CTest does it in the jot_interop_node_setup test, ` +
      'which needs npm (Debian: apt-get install npm) and the npm registry.\n',
  );
  process.exit(EXIT_NO_JOSE);
}

class BadRequest extends Error {}

function expect(condition, what) {
  if (!condition) throw new BadRequest(what);
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

function probe() {
  const manifest = JSON.parse(readFileSync(join(here, 'node_modules', 'jose', 'package.json')));
  return {
    ok: true,
    node: process.versions.node,
    openssl: process.versions.openssl,
    jose: manifest.version,
  };
}

// A jose rejection as data: its stable `code` (and, for claim checks, which claim failed). Any
// other exception is a bug in the request or here, and ends the run with exit status 4.
function rejection(error) {
  if (!(error instanceof jose.errors.JOSEError)) throw error;
  return { ok: false, code: error.code, claim: error.claim ?? null };
}

async function verify(request) {
  expect(isObject(request.jwks) && Array.isArray(request.cases), 'verify needs jwks and cases');
  let keySet;
  try {
    keySet = jose.createLocalJWKSet(request.jwks);
  } catch (error) {
    return rejection(error);
  }
  const results = [];
  for (const c of request.cases) {
    expect(isObject(c) && typeof c.token === 'string', 'each case needs a token');
    expect(Array.isArray(c.algorithms) && c.algorithms.length > 0, 'each case needs algorithms');
    expect(Number.isInteger(c.current_date), 'each case needs current_date (unix seconds)');
    try {
      const { payload, protectedHeader } = await jose.jwtVerify(c.token, keySet, {
        algorithms: c.algorithms,
        issuer: c.issuer ?? undefined,
        audience: c.audience ?? undefined,
        currentDate: new Date(c.current_date * 1000),
      });
      results.push({ ok: true, header: protectedHeader, claims: payload });
    } catch (error) {
      results.push(rejection(error));
    }
  }
  return { ok: true, results };
}

async function sign(request) {
  expect(Array.isArray(request.keys) && Array.isArray(request.tokens), 'sign needs keys, tokens');
  const keys = new Map();
  const published = [];
  for (const spec of request.keys) {
    expect(isObject(spec) && typeof spec.name === 'string' && typeof spec.alg === 'string',
      'each key needs a name and an alg');
    const options = spec.crv ? { crv: spec.crv } : {};
    const { publicKey, privateKey } = await jose.generateKeyPair(spec.alg, options);
    keys.set(spec.name, { spec, privateKey });
    if (spec.publish) {
      const jwk = await jose.exportJWK(publicKey);
      published.push({ ...jwk, kid: spec.kid, alg: spec.alg, use: 'sig' });
    }
  }
  const tokens = [];
  for (const t of request.tokens) {
    expect(isObject(t) && isObject(t.payload), 'each token needs a payload');
    if (t.key === null) {
      tokens.push(new jose.UnsecuredJWT(t.payload).encode());
      continue;
    }
    const key = keys.get(t.key);
    expect(key !== undefined, 'a token names a key the request does not generate');
    const header = { alg: key.spec.alg, typ: 'JWT', kid: key.spec.kid, ...(t.header ?? {}) };
    for (const name of Object.keys(header)) {
      if (header[name] === null || header[name] === undefined) delete header[name];
    }
    tokens.push(await new jose.SignJWT(t.payload).setProtectedHeader(header).sign(key.privateKey));
  }
  return { ok: true, jwks: { keys: published }, tokens };
}

// The key of a JWE case: for dir the raw secret itself (jose takes it as bytes).
async function jweKey(c) {
  expect(isObject(c.jwk) && typeof c.alg === 'string' && typeof c.enc === 'string',
    'each JWE case needs jwk, alg and enc');
  const { alg: _ignored, ...jwk } = c.jwk;
  return jose.importJWK(jwk, c.alg === 'dir' ? c.enc : c.alg);
}

async function jweEncrypt(request) {
  expect(Array.isArray(request.cases), 'jwe_encrypt needs cases');
  const tokens = [];
  for (const c of request.cases) {
    const key = await jweKey(c);
    const header = { alg: c.alg, enc: c.enc, cty: 'JWT', ...(c.kid ? { kid: c.kid } : {}) };
    const encrypt = new jose.CompactEncrypt(new TextEncoder().encode(c.plaintext))
      .setProtectedHeader(header);
    if (c.apu !== undefined || c.apv !== undefined) {  // ECDH-ES party information, base64url
      encrypt.setKeyManagementParameters({
        ...(c.apu !== undefined ? { apu: jose.base64url.decode(c.apu) } : {}),
        ...(c.apv !== undefined ? { apv: jose.base64url.decode(c.apv) } : {}),
      });
    }
    tokens.push(await encrypt.encrypt(key));
  }
  return { ok: true, tokens };
}

async function jweDecrypt(request) {
  expect(Array.isArray(request.cases), 'jwe_decrypt needs cases');
  const results = [];
  for (const c of request.cases) {
    const key = await jweKey(c);
    try {
      const { plaintext, protectedHeader } = await jose.compactDecrypt(c.token, key, {
        keyManagementAlgorithms: [c.alg],
        contentEncryptionAlgorithms: [c.enc],
      });
      results.push({ ok: true, plaintext: new TextDecoder().decode(plaintext), header: protectedHeader });
    } catch (error) {
      results.push(rejection(error));
    }
  }
  return { ok: true, results };
}

const operations = { probe, verify, sign, jwe_encrypt: jweEncrypt, jwe_decrypt: jweDecrypt };

async function main() {
  let reply;
  try {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const operation = isObject(request) ? operations[request.op] : undefined;
    expect(typeof operation === 'function', 'unknown or missing op');
    reply = await operation(request);
  } catch (error) {
    if (error instanceof BadRequest || error instanceof SyntaxError) {
      // BadRequest texts are this script's own; requests to this peer carry public keys only.
      process.stderr.write(`jose_peer: bad request (${error.name}: ${error.message})\n`);
      return EXIT_BAD_REQUEST;
    }
    process.stderr.write(`jose_peer: internal error\n${error.stack ?? error}\n`);
    return EXIT_INTERNAL;
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
  return 0;
}

process.exitCode = await main();
