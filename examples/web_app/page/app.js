// The web demo's page logic (index.html). It logs in, keeps the access token in a variable (never
// in web storage), shows it decoded with a live countdown, refreshes through the HttpOnly cookie
// it cannot read, and plays the guide's scenarios: logout, logout everywhere, a stolen refresh
// token. In DPoP mode (RFC 9449) it also holds a non-extractable P-256 key and signs a proof for
// every request, and the server binds the session to that key. No framework; what the server
// sends is shown through textContent, never as HTML.
'use strict';

// Seconds before expiry at which the page refreshes by itself.
const refreshAhead = 30;

// The session as this page holds it. A reload forgets it all; the cookie brings it back.
let accessToken = null;
let expiresAt = 0;  // Date.now() at expiry, from the answer's expires_in (RFC 6749 §5.1)
let autoRefreshTried = false;  // once per access token, so that a failing server is not hammered
let busy = false;  // one scenario at a time
// DPoP mode: the key pair, made with extractable false (the private key never leaves WebCrypto:
// no script, this one included, can read it), and its public JWK for the proofs' header. Kept
// in memory only: a reload loses it, and with it the session bound to it.
let dpopKeyPair = null;
let dpopJwk = null;

// What each claim says (RFC 7519 §4.1, RFC 9068 §2.2, and the session manager's own).
const claimMeanings = {
  iss: 'issuer: this server',
  sub: 'subject: the user',
  aud: 'audience: the API it is for',
  exp: 'expiry: 5 minutes after issue',
  iat: 'issued at',
  jti: 'this token\'s id: new on every refresh',
  client_id: 'the application it was issued to',
  auth_time: 'when the user logged in',
  sid: 'the session: the same across refreshes',
  ver: 'the user\'s token version: log out everywhere bumps it',
  type: 'access: a refresh token cannot pass for one',
  scope: 'what it allows',
  cnf: 'confirmation: the thumbprint of the key it is bound to (DPoP)',
};
const timeClaims = new Set(['exp', 'iat', 'nbf', 'auth_time']);

const element = (id) => document.getElementById(id);

// A base64url segment of a JWT (RFC 7515 §2: no padding) as the JSON it encodes.
function decodeSegment(segment) {
  const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}

function currentClaims() {
  return accessToken ? decodeSegment(accessToken.split('.')[1]) : null;
}

const shortId = (id) => String(id).slice(0, 8) + '…';

function setStatus(text, state) {
  const status = element('session-status');
  status.textContent = text;
  status.className = 'status ' + state;
}

// Adds a line to "What happened", newest first: the request, its answer, what that shows.
function log(answer, text) {
  const item = document.createElement('li');
  if (answer) {
    const request = document.createElement('code');
    request.textContent = answer.request;
    const outcome = document.createElement('span');
    outcome.className = answer.status === 200 ? 'ok' : 'refused';
    outcome.textContent = answer.status + (answer.error ? ' ' + answer.error : '');
    item.append(request, ' → ', outcome, ': ');
  }
  item.append(text);
  element('log').prepend(item);
}

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const base64urlJson = (value) => base64url(new TextEncoder().encode(JSON.stringify(value)));

// DPoP mode: a P-256 key pair whose private key cannot be exported (RFC 9449 §2 and §11.4: a
// script can use it while the page is open, never take it away).
async function makeDpopKey() {
  dpopKeyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false,
    ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', dpopKeyPair.publicKey);
  dpopJwk = { kty, crv, x, y };
  // Show that the private key cannot be read, by trying.
  let exported;
  try {
    await crypto.subtle.exportKey('jwk', dpopKeyPair.privateKey);
    exported = 'exported: the key is extractable';
  } catch (error) {
    exported = 'refused: ' + error.name;
  }
  element('dpop-extractable').textContent = String(dpopKeyPair.privateKey.extractable);
  element('dpop-export').textContent = exported;
}

// A DPoP proof (RFC 9449 §4.2) for one request: typ, ES256 and the public key in the header;
// a fresh jti, the method, the URL without query, the time, and the access token's hash.
async function dpopProof(method, path, token) {
  const claims = {
    jti: base64url(crypto.getRandomValues(new Uint8Array(16))),
    htm: method,
    htu: location.origin + path,
    iat: Math.floor(Date.now() / 1000),
  };
  if (token) {
    claims.ath = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  }
  const input = base64urlJson({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk }) + '.' +
    base64urlJson(claims);
  // WebCrypto's ECDSA signature is r || s, the JWS form (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' },
    dpopKeyPair.privateKey, new TextEncoder().encode(input));
  return input + '.' + base64url(signature);
}

// One request to the demo server, with the cookie whenever the path is under /auth (the browser
// adds it; this script never sees it), and in DPoP mode a proof by the page's key (the access
// token then goes as `Authorization: DPoP`). Answers {request, status, body, error}.
async function call(method, path, { bearer, json } = {}) {
  const headers = {};
  if (dpopKeyPair) headers.DPoP = await dpopProof(method, path, bearer);
  if (bearer) headers.Authorization = (dpopKeyPair ? 'DPoP ' : 'Bearer ') + bearer;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = await response.json().catch(() => null);
  // Set-Cookie is a forbidden response header name: fetch never hands it to a script.
  element('set-cookie-seen').textContent = JSON.stringify(response.headers.get('set-cookie'));
  element('document-cookie').textContent = JSON.stringify(document.cookie);
  return { request: method + ' ' + path, status: response.status, body, error: body && body.error };
}

function claimRow(name, value, previous) {
  const row = document.createElement('tr');
  row.dataset.claim = name;
  if (previous && JSON.stringify(previous[name]) !== JSON.stringify(value)) {
    row.className = 'changed';
  }
  const cells = [name, typeof value === 'string' ? value : JSON.stringify(value),
    claimMeanings[name] || ''];
  if (timeClaims.has(name)) cells[1] += ' (' + new Date(value * 1000).toLocaleTimeString() + ')';
  for (const text of cells) {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
  }
  if (timeClaims.has(name)) row.cells[1].className = 'time';
  return row;
}

// Shows the token the page holds, or the login form when it holds none. `previous`: the claims
// of the token it replaces, whose changes are highlighted.
function render(previous) {
  element('login-panel').hidden = accessToken !== null;
  element('actions-panel').hidden = accessToken === null;
  element('session-panel').hidden = accessToken === null;
  element('dpop-panel').hidden = accessToken === null || dpopKeyPair === null;
  element('document-cookie').textContent = JSON.stringify(document.cookie);
  if (accessToken) {
    const [header, payload, signature] = accessToken.split('.');
    const token = element('token');
    token.querySelector('.seg-header').textContent = header;
    token.querySelector('.seg-payload').textContent = payload;
    token.querySelector('.seg-signature').textContent = signature;
    element('token-header').textContent = JSON.stringify(decodeSegment(header), null, 2);
    const claims = decodeSegment(payload);
    element('claims').tBodies[0].replaceChildren(
      ...Object.entries(claims).map(([name, value]) => claimRow(name, value, previous)));
    element('expires-at').textContent =
      '(exp ' + new Date(claims.exp * 1000).toLocaleTimeString() + ')';
  }
  tick();
}

// Takes the access token of a 200 answer from /login or /auth/refresh.
function adopt(body) {
  const previous = currentClaims();
  accessToken = body.access_token;
  expiresAt = Date.now() + body.expires_in * 1000;
  autoRefreshTried = false;
  render(previous);
  return { previous, claims: currentClaims() };
}

function endSession(statusText) {
  accessToken = null;
  dpopKeyPair = null;  // the key dies with the session it was bound to
  dpopJwk = null;
  render(null);
  setStatus(statusText, 'ended');
}

// The live countdown, and the refresh shortly before expiry.
function tick() {
  const countdown = element('countdown');
  if (!accessToken) {
    countdown.textContent = '–';
    return;
  }
  const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
  countdown.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
  if (left <= refreshAhead && !busy && !autoRefreshTried) {
    autoRefreshTried = true;
    run(() => refresh('automatic, 30 s before expiry'));
  }
}

// Runs one scenario with the buttons disabled; an error (the server is gone) goes to the log.
async function run(scenario) {
  busy = true;
  const buttons = document.querySelectorAll('button');
  buttons.forEach((button) => { button.disabled = true; });
  try {
    await scenario();
  } catch (error) {
    log(null, 'error: ' + error.message);
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
    busy = false;
  }
}

// When the page loads it holds no access token: the refresh cookie, if any, brings a new one.
async function restore() {
  const answer = await call('POST', '/auth/refresh');
  if (answer.status !== 200) {
    log(answer, answer.error === 'dpop_session_key_mismatch'
      ? 'page loaded: the session was bound to the key of the last page, which is gone, so the ' +
        'cookie alone cannot refresh it: it has ended'
      : 'page loaded without a usable refresh cookie: log in');
    render(null);
    setStatus('Not logged in.', '');
    return;
  }
  const { claims } = adopt(answer.body);
  log(answer, 'page loaded: the access token died with the last page, the HttpOnly cookie ' +
    'brought a new one (jti ' + shortId(claims.jti) + ', sid ' + shortId(claims.sid) + ')');
  setStatus('Session restored from the refresh cookie: logged in as ' + claims.sub + '.', 'active');
}

async function login() {
  if (element('dpop-mode').checked) await makeDpopKey();
  const answer = await call('POST', '/login', {
    json: { username: element('username').value, password: element('password').value },
  });
  if (answer.status !== 200) {
    dpopKeyPair = null;
    log(answer, 'wrong user name or password');
    setStatus('Login refused: ' + answer.error + '.', 'ended');
    return;
  }
  element('password').value = '';
  const { claims } = adopt(answer.body);
  log(answer, 'the access token is in this page\'s memory, the refresh token in an HttpOnly ' +
    'cookie (sid ' + shortId(claims.sid) + ')' + (claims.cnf
    ? '; both bound to this page\'s key (cnf.jkt ' + shortId(claims.cnf.jkt) + ')' : ''));
  if (claims.cnf) element('dpop-jkt').textContent = claims.cnf.jkt;
  setStatus('Logged in as ' + claims.sub + (claims.cnf ? ' with DPoP.' : '.'), 'active');
}

// Returns whether the session goes on.
async function refresh(why) {
  const answer = await call('POST', '/auth/refresh');
  if (answer.status !== 200) {
    log(answer, why + ': the refresh cookie is refused, the session has ended');
    endSession('Session ended: ' + answer.error + '.');
    return false;
  }
  const { previous, claims } = adopt(answer.body);
  log(answer, why + ': jti ' + shortId(previous.jti) + ' → ' + shortId(claims.jti) +
    (previous.sid === claims.sid ? ', same sid' : ', another sid'));
  return true;
}

async function whoAmI() {
  const answer = await call('GET', '/me', { bearer: accessToken });
  log(answer, answer.status === 200
    ? 'the API verified the access token: sub ' + answer.body.sub + ', scope ' + answer.body.scope +
      (answer.body.jkt ? ', with a proof by the key it is bound to' : '')
    : 'the API refused the access token');
}

// After a logout of any kind: the access token the page held is refused by the API too.
async function proveRefused(token) {
  const answer = await call('GET', '/me', { bearer: token });
  log(answer, answer.status === 200
    ? 'the old access token still works'
    : 'the access token this page held is refused from now on');
}

async function logout() {
  const held = accessToken;
  const answer = await call('POST', '/auth/logout');
  log(answer, answer.status === 200
    ? 'the session has ended on the server and the cookie is cleared'
    : 'refused, but the cookie is cleared');
  await proveRefused(held);
  endSession('Logged out.');
}

async function logoutEverywhere() {
  const held = accessToken;
  const { sub } = currentClaims();
  const answer = await call('POST', '/auth/logout-everywhere', { bearer: held });
  if (answer.status !== 200) {
    log(answer, 'refused');
    return;
  }
  const version = answer.body.token_version;
  log(answer, sub + '\'s token version is now ' + version + ': every token with an older ver, ' +
    'on every device, is refused');
  await proveRefused(held);
  endSession('Logged out everywhere (token version ' + version + ').');
}

// The stolen-token scenario: see the note under the buttons in index.html, and
// replay_stolen() in web_app.cpp.
async function replay() {
  log(null, 'the owner goes on using the app: two refreshes, so that the thief\'s copy is older ' +
    'than the last rotation');
  if (!await refresh('owner, rotation 1') || !await refresh('owner, rotation 2')) return;
  const held = accessToken;
  const thief = await call('POST', '/demo/replay-stolen-refresh', { bearer: held });
  if (thief.status === 200) {
    log(thief, 'the thief\'s copy still worked: the thief holds a session');
    return;
  }
  const ended = { refresh_token_reused: 'a spent token came back, so jot ends the whole session',
    dpop_session_key_mismatch: 'without the key the session is bound to, so jot ends it' };
  log(thief, ended[thief.error]
    ? 'the thief presents the refresh token copied at login: ' + ended[thief.error]
    : 'the thief\'s replay was refused');
  if (!ended[thief.error]) return;
  await proveRefused(held);
  const owner = await call('POST', '/auth/refresh');
  log(owner, 'the owner\'s own refresh cookie is refused too: the session is gone for both');
  endSession('Session ended: ' + thief.error + ' (a stolen refresh token was replayed).');
}

element('login').addEventListener('submit', (event) => {
  event.preventDefault();
  run(login);
});
element('refresh').addEventListener('click', () => run(() => refresh('refresh')));
element('me').addEventListener('click', () => run(whoAmI));
element('logout').addEventListener('click', () => run(logout));
element('logout-everywhere').addEventListener('click', () => run(logoutEverywhere));
element('replay').addEventListener('click', () => run(replay));
setInterval(tick, 250);
run(restore);
