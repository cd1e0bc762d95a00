#pragma once

// The demo's only page: a login form and buttons that call the API and show its answers. The
// access token lives in a script variable only (never localStorage, which any injected script
// could read later); the refresh token is an HttpOnly cookie the script cannot see at all.
// No external resource, so the Content-Security-Policy can forbid them all.

namespace demo {

inline constexpr const char* page_html = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>jot demo</title>
<style>
  body { font: 15px system-ui, sans-serif; max-width: 46em; margin: 2em auto; }
  input, button { font: inherit; margin: 0.2em; }
  pre { background: #f4f4f4; padding: 0.8em; white-space: pre-wrap; word-break: break-all; }
</style>
</head>
<body>
<h1>jot demo</h1>
<p>Demo users: <code>alice</code> / <code>wonderland</code> (scopes profile, orders:read) and
<code>bob</code> / <code>builder</code> (scope profile).</p>
<form id="login">
  <input id="username" name="username" autocomplete="username" placeholder="username">
  <input id="password" name="password" type="password" autocomplete="current-password"
         placeholder="password">
  <button id="login-button" type="submit">Log in</button>
</form>
<p>
  <button id="me">Who am I?</button>
  <button id="refresh">Refresh</button>
  <button id="logout">Log out</button>
</p>
<p>Access token in memory: <span id="token-state">none</span></p>
<pre id="output">Log in to start.</pre>
<script>
'use strict';
let accessToken = null;  // in memory only: a reload forgets it, /auth/refresh brings a new one

function show(label, status, body) {
  document.getElementById('output').textContent =
      label + ' -> HTTP ' + status + '\n' + JSON.stringify(body, null, 2);
  document.getElementById('token-state').textContent =
      accessToken ? 'yes (' + accessToken.length + ' characters)' : 'none';
}

async function call(label, path, options) {
  const response = await fetch(path, options);
  const text = await response.text();
  let body;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
  if (response.ok && body && body.access_token) accessToken = body.access_token;
  show(label, response.status, body);
  return response;
}

document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  call('POST /login', '/login', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({username: document.getElementById('username').value,
                          password: document.getElementById('password').value}),
  });
});
document.getElementById('me').addEventListener('click', () => {
  const headers = accessToken ? {'Authorization': 'Bearer ' + accessToken} : {};
  call('GET /me', '/me', {headers});
});
document.getElementById('refresh').addEventListener('click', () => {
  call('POST /auth/refresh', '/auth/refresh', {method: 'POST'});
});
document.getElementById('logout').addEventListener('click', async () => {
  await call('POST /auth/logout', '/auth/logout', {method: 'POST'});
  accessToken = null;
  document.getElementById('token-state').textContent = 'none';
});
</script>
</body>
</html>
)html";

}  // namespace demo
