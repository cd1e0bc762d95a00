// The web demo in a real browser: Debian's chromium, headless, driven by playwright-core (no
// browser download: executablePath names the system binary). Walks every button of the page and
// asserts what the page shows: the token's three segments, its header and claims, a countdown
// that decreases, a document.cookie without the refresh cookie, a jti that changes on refresh, a
// reload that restores the session, logout and logout everywhere ending it, a replayed
// refresh token ending it with refresh_token_reused, and DPoP mode: a non-extractable WebCrypto
// key, a proof per request, a session bound to the key, and a token copied out of the page
// refused without a proof or with another key's. Saves a screenshot of each state.
//
//   node browser_test.mjs <web_app binary> <screenshot directory>
//
// Exits non-zero on any failure, including a missing chromium: CI installs it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const [webApp, screenshotDir] = process.argv.slice(2);
const chromiumPath = process.env.JOT_CHROMIUM || '/usr/bin/chromium';
const step_timeout_ms = 20000;
const refreshCookieName = '__Secure-refresh';

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok - ${message}`);
}

// Starts the demo on a free loopback port; resolves to its origin.
function startServer() {
  const server = spawn(webApp, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = new Promise((resolve, reject) => {
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`web_app exited (${code}) before listening`)));
    createInterface({ input: server.stdout }).once('line', (line) => {
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first line from web_app: ${line}`));
    });
  });
  return { server, origin };
}

// A browser profile of its own (a "device"), whose page fails the test on any script error or
// Content-Security-Policy violation. `setUp(context)` runs before the page loads.
async function openDevice(browser, origin, setUp = async () => {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await setUp(context);
  const page = await context.newPage();
  page.setDefaultTimeout(step_timeout_ms);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(origin);
  return { context, page, problems };
}

const status = (page) => page.locator('#session-status').textContent();
const waitForStatus = (page, text) =>
  page.locator('#session-status', { hasText: text }).waitFor();
const claim = (page, name) =>
  page.locator(`#claims tr[data-claim="${name}"] td:nth-child(2)`).textContent();
const newestLog = (page) => page.locator('#log li').first().textContent();
const refreshCookies = async (context) =>
  // All of the context's cookies: filtering by URL, some playwright versions drop Secure cookies
  // of http://127.0.0.1 that chromium itself keeps and sends.
  (await context.cookies()).filter((cookie) => cookie.name === refreshCookieName);

// The countdown "m:ss" in seconds.
async function countdownSeconds(page) {
  const [minutes, seconds] = (await page.locator('#countdown').textContent()).split(':');
  return Number(minutes) * 60 + Number(seconds);
}

async function login(page, user, password) {
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#login-button');
  await waitForStatus(page, `Logged in as ${user}.`);
}

// Clicks a button and waits until the page has finished what it started: the click handler
// disables every button at once and enables them again when its scenario is over.
async function press(page, button) {
  await page.click(button);
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
}

async function screenshot(page, name) {
  const path = join(screenshotDir, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

// A DPoP proof by `keyPair` (node's WebCrypto), as a thief with a key of their own would make it.
async function foreignProof(keyPair, method, url, token) {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const ath = Buffer.from(await crypto.subtle.digest('SHA-256', Buffer.from(token)))
    .toString('base64url');
  const input = encode({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }) + '.' +
    encode({ jti: crypto.randomUUID(), htm: method, htu: url, iat: Math.floor(Date.now() / 1000),
      ath });
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' },
    keyPair.privateKey, Buffer.from(input));
  return input + '.' + Buffer.from(signature).toString('base64url');
}

// DPoP mode, end to end: see the top of this file.
async function dpopScenario(open, origin) {
  const { page } = await open();
  await waitForStatus(page, 'Not logged in.');
  await page.check('#dpop-mode');
  await page.fill('#username', 'alice');
  await page.fill('#password', 'wonderland');
  await page.click('#login-button');
  await waitForStatus(page, 'Logged in as alice with DPoP.');
  const proofs = [];
  page.on('request', (request) => {
    const proof = request.headers().dpop;
    if (proof) proofs.push({ url: request.url(), method: request.method(), proof });
  });

  // The key: made with extractable false; WebCrypto refuses to export it, as the page shows.
  check(await page.evaluate(() => dpopKeyPair.privateKey.extractable) === false,
    'DPoP: the page\'s private key is not extractable');
  const exportError = await page.evaluate(() => crypto.subtle.exportKey('jwk',
    dpopKeyPair.privateKey).then(() => 'exported', (error) => error.name));
  check(exportError === 'InvalidAccessError',
    `DPoP: exporting the private key is refused (${exportError})`);
  check(await page.locator('#dpop-extractable').textContent() === 'false' &&
    await page.locator('#dpop-export').textContent() === 'refused: InvalidAccessError',
  'DPoP: the page shows the key is not extractable and the export refused');

  // The session is bound to it: cnf.jkt in the token is the thumbprint the page shows.
  const token = (await Promise.all(['header', 'payload', 'signature'].map(
    (part) => page.locator(`#token .seg-${part}`).textContent()))).join('.');
  const jkt = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).cnf.jkt;
  check(typeof jkt === 'string' && jkt.length === 43 &&
    await page.locator('#dpop-jkt').textContent() === jkt,
  'DPoP: the access token carries cnf.jkt, the key\'s thumbprint');
  check((await claim(page, 'cnf')).includes(jkt), 'DPoP: the claims table shows cnf');

  // Every request carries a proof: GET /me and a refresh work, and stay bound to the same key.
  await press(page, '#me');
  check((await newestLog(page)).includes('GET /me → 200: the API verified the access token: ' +
    'sub alice, scope profile orders:read, with a proof by the key it is bound to'),
  'DPoP: GET /me with the token and a proof answers alice');
  await press(page, '#refresh');
  check((await newestLog(page)).startsWith('POST /auth/refresh → 200'),
    'DPoP: a refresh with a proof rotates');
  const refreshed = (await Promise.all(['header', 'payload', 'signature'].map(
    (part) => page.locator(`#token .seg-${part}`).textContent()))).join('.');
  check(refreshed !== token && JSON.parse(Buffer.from(refreshed.split('.')[1], 'base64url')
    .toString()).cnf.jkt === jkt, 'DPoP: the refreshed token is bound to the same key');
  const me = proofs.find((p) => p.url.endsWith('/me'));
  const refreshProof = proofs.find((p) => p.url.endsWith('/auth/refresh'));
  check(me && refreshProof, 'DPoP: the page sent a DPoP proof with GET /me and the refresh');
  const [meHeader, meClaims] = me.proof.split('.').slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  check(meHeader.typ === 'dpop+jwt' && meHeader.alg === 'ES256' && !('d' in meHeader.jwk) &&
    meClaims.htm === 'GET' && meClaims.htu === origin + '/me' && typeof meClaims.ath === 'string',
  'DPoP: the proof is ES256 dpop+jwt with a public jwk, htm, htu and ath');
  await screenshot(page, 'dpop.png');

  // The token copied out of the page, used elsewhere: as Bearer, and with a thief's own key.
  const asBearer = await fetch(origin + '/me',
    { headers: { Authorization: 'Bearer ' + refreshed } });
  check(asBearer.status === 401 && (await asBearer.json()).error === 'dpop_proof_required',
    'DPoP: the copied token as Bearer is refused (401 dpop_proof_required)');
  check(asBearer.headers.get('www-authenticate') ===
    `Bearer realm="${origin}", error="invalid_token", error_description="the access token is ` +
    `bound to a DPoP key but came without a proof of it", DPoP realm="${origin}", algs="ES256"`,
  'DPoP: with an invalid_token Bearer challenge and a DPoP challenge naming ES256');
  const thiefKey = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true,
    ['sign', 'verify']);
  const withThiefProof = await fetch(origin + '/me', { headers: {
    Authorization: 'DPoP ' + refreshed,
    DPoP: await foreignProof(thiefKey, 'GET', origin + '/me', refreshed),
  } });
  check(withThiefProof.status === 401 &&
    (await withThiefProof.json()).error === 'dpop_key_mismatch',
  'DPoP: the copied token with a proof by another key is refused (401 dpop_key_mismatch)');
  check(withThiefProof.headers.get('www-authenticate') ===
    `Bearer realm="${origin}", DPoP realm="${origin}", error="invalid_token", ` +
    'error_description="the access token is not bound to the DPoP proof\'s key", algs="ES256"',
  'DPoP: with the error in the DPoP challenge');
  // A proof the page sent, taken with the token it was made for: a proof works once.
  const replayedProof = await fetch(origin + '/me', { headers: {
    Authorization: 'DPoP ' + token, DPoP: me.proof } });
  check(replayedProof.status === 401 &&
    (await replayedProof.json()).error === 'dpop_proof_replayed',
  'DPoP: a proof taken from the page, replayed with its token, is refused (dpop_proof_replayed)');

  // The stolen refresh token without the key ends the session.
  await press(page, '#replay');
  await waitForStatus(page, 'Session ended: dpop_session_key_mismatch');
  check((await page.locator('#log').textContent())
    .includes('POST /demo/replay-stolen-refresh → 401 dpop_session_key_mismatch'),
  'DPoP: the stolen refresh token without the key is refused and ends the session');

  // A reload loses the key, and the cookie alone cannot refresh the session.
  const second = await open();
  await waitForStatus(second.page, 'Not logged in.');
  await second.page.check('#dpop-mode');
  await second.page.fill('#username', 'bob');
  await second.page.fill('#password', 'builder');
  await second.page.click('#login-button');
  await waitForStatus(second.page, 'Logged in as bob with DPoP.');
  await second.page.reload();
  await waitForStatus(second.page, 'Not logged in.');
  check((await newestLog(second.page)).includes('401 dpop_session_key_mismatch'),
    'DPoP: after a reload the key is gone and the cookie alone is refused');
}

async function main() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no chromium at ${chromiumPath} (Debian: apt-get install chromium)`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  const { server, origin: originPromise } = startServer();
  let browser;
  try {
    const origin = await originPromise;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // launch() gives every run a fresh temporary profile. --no-sandbox: CI runs as root;
      // --disable-dev-shm-usage: containers often have a tiny /dev/shm; the rest keep chromium
      // from calling home.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
        '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync'],
    });
    const devices = [];
    const open = async (setUp) => {
      const device = await openDevice(browser, origin, setUp);
      devices.push(device);
      return device;
    };

    // A first visit: the page tries the refresh cookie, finds none, and offers the login form.
    const { context, page } = await open();
    await waitForStatus(page, 'Not logged in.');
    check((await newestLog(page)).includes('401 missing_credentials'),
      'on load without a cookie, POST /auth/refresh is 401 missing_credentials');
    check(await page.isVisible('#login'), 'the login form is shown');

    await login(page, 'alice', 'wonderland');
    check(await page.isHidden('#login'), 'after login the form is gone and the session is shown');

    // The token, colour-coded: three segments that are the token the server sent.
    const segments = await Promise.all(['header', 'payload', 'signature'].map(
      (part) => page.locator(`#token .seg-${part}`).textContent()));
    check(segments.every((segment) => /^[A-Za-z0-9_-]+$/.test(segment)),
      'the three segments are shown, each base64url');
    const colours = await Promise.all(['header', 'payload', 'signature'].map((part) =>
      page.locator(`#token .seg-${part}`).evaluate((span) => getComputedStyle(span).color)));
    check(new Set(colours).size === 3, `each segment has its own colour (${colours.join(', ')})`);
    const header = JSON.parse(Buffer.from(segments[0], 'base64url').toString());
    check(header.alg === 'ES256' && header.typ === 'at+jwt', 'the header segment is ES256 at+jwt');
    const shownHeader = JSON.parse(await page.locator('#token-header').textContent());
    check(shownHeader.alg === 'ES256' && shownHeader.typ === 'at+jwt' && shownHeader.kid,
      'the decoded header is shown');
    const claims = JSON.parse(Buffer.from(segments[1], 'base64url').toString());
    check(await claim(page, 'sub') === 'alice' && await claim(page, 'scope') ===
      'profile orders:read' && await claim(page, 'client_id') === 'jot-demo-web' &&
      await claim(page, 'jti') === claims.jti && await claim(page, 'sid') === claims.sid,
    'the decoded claims are shown: sub, scope, client_id, jti, sid');
    check((await claim(page, 'exp')).startsWith(String(claims.exp)), 'exp is shown');

    const left = await countdownSeconds(page);
    check(left > 240 && left <= 300, `the countdown starts near 5 minutes (${left} s)`);
    await page.waitForFunction((before) => {
      const [minutes, seconds] = document.getElementById('countdown').textContent.split(':');
      return Number(minutes) * 60 + Number(seconds) < before;
    }, left);
    check(await countdownSeconds(page) < left, 'the countdown decreases');

    // The refresh cookie: kept by chromium, invisible to every script.
    const [cookie] = await refreshCookies(context);
    check(cookie !== undefined, 'chromium kept the __Secure- refresh cookie on http://127.0.0.1');
    check(cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict' &&
          cookie.path === '/auth', 'the cookie is HttpOnly, Secure, SameSite=Strict, Path=/auth');
    check(await page.evaluate(() => document.cookie) === '', 'the script sees no cookie');
    check(await page.locator('#document-cookie').textContent() === '""',
      'the page shows document.cookie, empty');
    check(await page.locator('#set-cookie-seen').textContent() === 'null',
      'the page shows that fetch hides the Set-Cookie header');
    check((await page.locator('#session-panel').textContent())
      .includes('HttpOnly cookie: this page cannot read it'), 'the page says where the token is');
    // Even a document inside the cookie's path cannot read it: HttpOnly, not just the path.
    const inside = await context.newPage();
    await inside.goto(origin + '/auth/refresh');  // a 404 page, but at a path the cookie covers
    check(!(await inside.evaluate(() => document.cookie)).includes(refreshCookieName),
      'a script under /auth cannot read the refresh cookie either');
    await inside.close();
    check(await page.evaluate(() => localStorage.length + sessionStorage.length) === 0,
      'no token in web storage');
    await screenshot(page, 'logged-in.png');

    // Refresh: a new jti, the same session.
    await press(page, '#refresh');
    const refreshedJti = await claim(page, 'jti');
    check(refreshedJti !== claims.jti, 'Refresh: the jti shown changes');
    check(await claim(page, 'sid') === claims.sid, 'Refresh: the session id stays');
    check(await page.locator('#claims tr.changed[data-claim="jti"]').count() === 1,
      'Refresh: the jti row is highlighted');
    check((await newestLog(page)).includes(`jti ${claims.jti.slice(0, 8)}`),
      'Refresh: the log shows the old and the new jti');
    await screenshot(page, 'refreshed.png');

    await press(page, '#me');
    check((await newestLog(page)).includes('GET /me → 200: the API verified the access token: ' +
      'sub alice'), 'GET /me with the access token answers alice');

    // Reload: the access token is gone with the page; the cookie restores the session.
    await page.reload();
    await waitForStatus(page, 'Session restored from the refresh cookie: logged in as alice.');
    check(await claim(page, 'sid') === claims.sid, 'reload: the same session is restored');
    check(await claim(page, 'jti') !== refreshedJti, 'reload: with a new access token');
    await screenshot(page, 'restored.png');

    // Logout: the session ends on the server, and the page proves it with the old token.
    await press(page, '#logout');
    await waitForStatus(page, 'Logged out.');
    check((await page.locator('#log').textContent()).includes('GET /me → 401 token_revoked'),
      'Logout: the access token the page held is refused (token_revoked)');
    check((await refreshCookies(context)).length === 0, 'Logout: the cookie is cleared');
    check(await page.isVisible('#login') && await page.isHidden('#session-panel'),
      'Logout: the page holds no token and offers the login form');
    await page.reload();
    await waitForStatus(page, 'Not logged in.');
    check(true, 'Logout: a reload does not restore the session');
    await screenshot(page, 'logged-out.png');

    // Log out everywhere, from a laptop: the phone's session ends too.
    const laptop = await open();
    const phone = await open();
    await login(laptop.page, 'alice', 'wonderland');
    await login(phone.page, 'alice', 'wonderland');
    await press(laptop.page, '#logout-everywhere');
    await waitForStatus(laptop.page, 'Logged out everywhere (token version 1).');
    check((await laptop.page.locator('#log').textContent())
      .includes('GET /me → 401 token_version_mismatch'),
    'Log out everywhere: the laptop\'s access token is refused (token_version_mismatch)');
    check((await refreshCookies(laptop.context)).length === 0,
      'Log out everywhere: the laptop\'s cookie is cleared');
    await screenshot(laptop.page, 'logged-out-everywhere.png');
    await press(phone.page, '#refresh');
    await waitForStatus(phone.page, 'Session ended: token_version_mismatch.');
    check(await phone.page.isHidden('#session-panel'),
      'Log out everywhere: the phone\'s refresh is refused and its page ends the session');

    // The stolen refresh token: replayed, it ends the session for the thief and the owner.
    const owner = await open();
    await login(owner.page, 'alice', 'wonderland');
    const ownerSid = await claim(owner.page, 'sid');
    await press(owner.page, '#replay');
    await waitForStatus(owner.page, 'Session ended: refresh_token_reused');
    const replayLog = await owner.page.locator('#log').textContent();
    check((replayLog.match(/POST \/auth\/refresh → 200: owner, rotation/g) || []).length === 2,
      'Replay: the owner refreshes twice first');
    check(replayLog.includes('POST /demo/replay-stolen-refresh → 401 refresh_token_reused'),
      'Replay: the thief\'s copy is refused as refresh_token_reused');
    check(replayLog.includes('GET /me → 401 token_revoked') &&
      replayLog.includes('POST /auth/refresh → 401 token_revoked'),
    'Replay: the owner\'s access token and refresh cookie are refused too');
    check((await refreshCookies(owner.context)).length === 0, 'Replay: the cookie is cleared');
    check(ownerSid.length > 0 && await owner.page.isHidden('#session-panel'),
      'Replay: the page holds no token any more');
    await screenshot(owner.page, 'replayed.png');

    // 30 s before expiry the page refreshes by itself (the browser's clock, fast-forwarded).
    const sleeper = await open((context) => context.clock.install());
    await login(sleeper.page, 'bob', 'builder');
    const sleeperJti = await claim(sleeper.page, 'jti');
    await sleeper.page.clock.fastForward('04:35');
    await sleeper.page.locator('#log li', { hasText: 'automatic, 30 s before expiry' }).waitFor();
    await sleeper.page.waitForFunction(() => !document.querySelector('button:disabled'));
    check(await claim(sleeper.page, 'jti') !== sleeperJti &&
      await countdownSeconds(sleeper.page) > 240,
    'near expiry the page refreshes by itself: a new jti, a new 5 minutes');

    await dpopScenario(open, origin);

    for (const device of devices) {
      check(device.problems.length === 0,
        `no script error nor CSP violation (${device.problems.join('; ') || 'none'})`);
    }
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
}

main().then(() => console.log('browser test passed'), (error) => {
  console.error(error);
  process.exit(1);
});
