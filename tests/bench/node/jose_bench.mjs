// panva/jose on node as a cross-language row of the benchmark report.
//
// Usage: node jose_bench.mjs --fixture FIXTURE.json [--min-time SECONDS] [--check-only]
//
// Checks and times jose as tests/bench/python/pyjwt_bench.py does PyJWT, and prints the same JSON
// object (that file describes it). tools/run-bench.sh copies this file next to the node_modules
// folder that `npm ci` fills from package-lock.json, so that `import('jose')` finds exactly the
// pinned version. Used as jose's documentation shows: keys imported once (importPKCS8 and
// importSPKI; an HMAC secret as the bytes of a TextEncoder), then per token
// `new SignJWT(claims).setProtectedHeader(...).setSubject(...)...sign(key)`, or
// `jwtVerify(token, key, {algorithms: [alg]})` and the `sub` and `roles` read. jose's operations
// are asynchronous, and for the asymmetric algorithms node runs the signature on its thread pool:
// the CPU time measured is the process's, so that work is counted.

import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';

import { SignJWT, errors, importPKCS8, importSPKI, jwtVerify } from 'jose';

// The JWS algorithms jose 5 implements on node (its README's list).
const SUPPORTED = new Set(
  ['HS', 'RS', 'PS'].flatMap((family) => ['256', '384', '512'].map((bits) => family + bits)),
);
for (const alg of ['ES256', 'ES384', 'ES512', 'EdDSA']) SUPPORTED.add(alg);

class Implementation {
  static async make(alg, entry, claims) {
    const self = new Implementation();
    self.alg = alg;
    self.claims = claims;
    if ('secret' in entry) {
      self.signingKey = self.verificationKey = new TextEncoder().encode(entry.secret);
    } else {
      self.signingKey = await importPKCS8(entry.private_pem, alg);
      self.verificationKey = await importSPKI(entry.public_pem, alg);
    }
    return self;
  }

  async sign() {
    const claims = this.claims;
    return new SignJWT({ type: 'access', roles: [...claims.roles] })
      .setProtectedHeader({ alg: this.alg, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(this.signingKey);
  }

  async verify(token) {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.verificationKey, { algorithms: [this.alg] }));
    } catch (error) {
      if (error instanceof errors.JOSEError) return false;
      throw error;
    }
    const roles = payload.roles;
    return (
      payload.sub === this.claims.sub &&
      Array.isArray(roles) &&
      roles.length === this.claims.roles.length &&
      roles.every((role, i) => role === this.claims.roles[i])
    );
  }
}

// What went wrong, as jot_bench's check_implementation says it; the token it signed.
async function check(implementation, tokens) {
  const failures = [];
  if (!(await implementation.verify(tokens.valid))) {
    failures.push('rejects the canonical token (or reads other claims from it)');
  }
  for (const [variant, failure] of [
    ['flipped_signature', 'accepts a flipped signature'],
    ['swapped_payload', 'accepts a swapped payload'],
    ['expired', 'accepts an expired token'],
    ['other_alg', 'accepts a token of another alg'],
  ]) {
    if (await implementation.verify(tokens[variant])) failures.push(failure);
  }
  const own = await implementation.sign();
  if (!own) {
    failures.push('fails to sign');
  } else if (!(await implementation.verify(own))) {
    failures.push('rejects the token it signed');
  }
  return [failures, own];
}

function cpuNanoseconds() {
  const usage = process.cpuUsage(); // microseconds, all of the process's threads
  return (usage.user + usage.system) * 1000;
}

// Batches, each larger, until one takes at least minTime seconds of CPU time (the ones before it
// warm up, the JIT included); that batch's count and times.
async function measure(operation, minTime) {
  let iterations = 1;
  for (;;) {
    const cpuStart = cpuNanoseconds();
    const wallStart = process.hrtime.bigint();
    for (let i = 0; i < iterations; ++i) {
      if (!(await operation())) {
        throw new Error('an operation that passed its check failed while timed');
      }
    }
    const cpu = cpuNanoseconds() - cpuStart;
    const wall = Number(process.hrtime.bigint() - wallStart);
    if (cpu >= minTime * 1e9) return { iterations, cpu, wall };
    const grow = cpu <= 0 ? 10 : Math.min(10, (1.4 * minTime * 1e9) / cpu);
    iterations = Math.max(iterations + 1, Math.floor(iterations * grow));
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      'min-time': { type: 'string', default: '0.1' },
      'check-only': { type: 'boolean', default: false },
    },
  });
  if (!values.fixture) throw new Error('--fixture FIXTURE.json is required');
  const minTime = Number(values['min-time']);
  const fixture = JSON.parse(readFileSync(values.fixture, 'utf8'));

  const out = { failures: [], unsupported: {}, signed: {}, timings: [] };
  const implementations = [];
  for (const [alg, entry] of Object.entries(fixture.algorithms)) {
    if (!SUPPORTED.has(alg)) {
      out.unsupported[alg] = 'not among the algorithms jose signs JWTs with';
      continue;
    }
    const implementation = await Implementation.make(alg, entry, fixture.claims);
    const [failures, own] = await check(implementation, entry.tokens);
    out.signed[alg] = own;
    out.failures.push(...failures.map((failure) => `${alg}: ${failure}`));
    implementations.push([implementation, entry.tokens.valid]);
  }

  if (out.failures.length === 0 && !values['check-only']) {
    for (const [implementation, token] of implementations) {
      for (const [op, operation] of [
        ['sign', () => implementation.sign()],
        ['verify', () => implementation.verify(token)],
      ]) {
        const { iterations, cpu, wall } = await measure(operation, minTime);
        out.timings.push({
          op,
          alg: implementation.alg,
          iterations,
          cpu_ns: cpu,
          real_ns: wall,
        });
      }
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exitCode = out.failures.length === 0 ? 0 : 1;
}

await main();
