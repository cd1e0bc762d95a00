// panva/dpop and panva/jose on node as the other side of jot's DPoP interoperability tests
// (tests/interop/dpop_interop_test.cpp). As jose_peer.mjs: one JSON request on stdin, one JSON
// reply on stdout; CMake copies this file beside the node_modules folder that `npm ci` fills from
// package-lock.json, so the imports find exactly the pinned versions.
//
// Requests:
//   {"op": "sign", "cases": [{"alg", "htm", "htu", "nonce": <string|null>,
//                             "access_token": <string|null>}]}
//     Per case a fresh key pair (dpop.generateKeyPair(alg): ES256, Ed25519, RS256 or PS256) and
//     dpop.generateProof(keyPair, htu, htm, nonce, accessToken): the client side of RFC 9449 as
//     panva/dpop writes it.
//     -> {"ok": true, "proofs": [{"proof", "thumbprint"}]}  (thumbprint: calculateThumbprint)
//   {"op": "verify", "cases": [{"proof", "algorithms": [...], "htm", "htu",
//                               "access_token": <string|null>, "current_date": <unix s>}]}
//     The checks of RFC 9449 §4.3 made with jose: jose.jwtVerify(proof, jose.EmbeddedJWK,
//     {typ: "dpop+jwt", algorithms, currentDate, maxTokenAge: 60}) verifies the signature with
//     the proof's own jwk (which jose refuses when it holds a private key) and the iat window;
//     then jti, htm, htu and ath are compared here, and the key's thumbprint is
//     jose.calculateJwkThumbprint.
//     -> {"ok": true, "results": [{"ok": true, "thumbprint", "claims"}
//                                | {"ok": false, "code": "ERR_..." | "DPOP_<CLAIM>"}]}
//
// Exit status: 0 when the request was carried out, 2 for a request this script does not
// understand, 3 when dpop or jose cannot be imported, 4 for any other error.

import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const EXIT_BAD_REQUEST = 2;
const EXIT_NO_PACKAGE = 3;
const EXIT_INTERNAL = 4;

const here = dirname(fileURLToPath(import.meta.url));

let dpop;
let jose;
try {
  dpop = await import('dpop');
  jose = await import('jose');
} catch (error) {
  process.stderr.write(
    `dpop_peer: cannot import dpop or jose from ${join(here, 'node_modules')} ` +
      `(${error.code ?? error.name}).\n` +
      `dpop_peer: run \`npm ci\` in ${here}; CTest does it in the jot_interop_node_setup test.\n`,
  );
  process.exit(EXIT_NO_PACKAGE);
}

class BadRequest extends Error {}

function expect(condition, what) {
  if (!condition) throw new BadRequest(what);
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value) => (typeof value === 'string' ? value : undefined);

async function sign(request) {
  expect(Array.isArray(request.cases), 'sign needs cases');
  const proofs = [];
  for (const c of request.cases) {
    expect(isObject(c) && typeof c.alg === 'string' && typeof c.htm === 'string' &&
      typeof c.htu === 'string', 'each case needs alg, htm and htu');
    const keyPair = await dpop.generateKeyPair(c.alg);
    const proof = await dpop.generateProof(keyPair, c.htu, c.htm, optionalString(c.nonce),
      optionalString(c.access_token));
    proofs.push({ proof, thumbprint: await dpop.calculateThumbprint(keyPair.publicKey) });
  }
  return { ok: true, proofs };
}

// A refusal of the claim checks made here, named after the claim.
const refused = (claim) => ({ ok: false, code: `DPOP_${claim.toUpperCase()}` });

async function verifyOne(c) {
  let verified;
  try {
    verified = await jose.jwtVerify(c.proof, jose.EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: c.algorithms,
      currentDate: new Date(c.current_date * 1000),
      maxTokenAge: 60,
    });
  } catch (error) {
    if (!(error instanceof jose.errors.JOSEError)) throw error;
    return { ok: false, code: error.code };
  }
  const { payload, protectedHeader } = verified;
  if (typeof payload.jti !== 'string' || payload.jti.length === 0) return refused('jti');
  if (payload.htm !== c.htm) return refused('htm');
  if (payload.htu !== c.htu) return refused('htu');
  if (typeof c.access_token === 'string') {
    const ath = createHash('sha256').update(c.access_token, 'ascii').digest('base64url');
    if (payload.ath !== ath) return refused('ath');
  } else if (payload.ath !== undefined) {
    return refused('ath');
  }
  return {
    ok: true,
    thumbprint: await jose.calculateJwkThumbprint(protectedHeader.jwk, 'sha256'),
    claims: payload,
  };
}

async function verify(request) {
  expect(Array.isArray(request.cases), 'verify needs cases');
  const results = [];
  for (const c of request.cases) {
    expect(isObject(c) && typeof c.proof === 'string' && Array.isArray(c.algorithms) &&
      typeof c.htm === 'string' && typeof c.htu === 'string' && Number.isInteger(c.current_date),
    'each case needs proof, algorithms, htm, htu and current_date');
    results.push(await verifyOne(c));
  }
  return { ok: true, results };
}

const operations = { sign, verify };

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
      process.stderr.write(`dpop_peer: bad request (${error.name}: ${error.message})\n`);
      return EXIT_BAD_REQUEST;
    }
    process.stderr.write(`dpop_peer: internal error\n${error.stack ?? error}\n`);
    return EXIT_INTERNAL;
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
  return 0;
}

process.exitCode = await main();
