// The web demo in a real browser: Debian's chromium, headless, driven by playwright-core (no
// browser download: executablePath names the system binary). Logs in through the page, shows
// that no script can read the refresh cookie while /auth/refresh still works, asks /me, logs
// out, and saves a screenshot.
//
//   node browser_test.mjs <web_app binary> <screenshot.png>
//
// Exits non-zero on any failure, including a missing chromium: CI installs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const [webApp, screenshotPath] = process.argv.slice(2);
const chromiumPath = process.env.JOT_CHROMIUM || '/usr/bin/chromium';
const step_timeout_ms = 20000;

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

// Clicks a button of the page and waits for the answer it shows ("<label> -> HTTP <status>").
async function press(page, button, expected) {
  await page.evaluate(() => { document.getElementById('output').textContent = ''; });
  await page.click(button);
  await page.locator('#output', { hasText: expected }).waitFor({ timeout: step_timeout_ms });
  return page.locator('#output').textContent();
}

async function main() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no chromium at ${chromiumPath} (Debian: apt-get install chromium)`);
  }
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
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(step_timeout_ms);
    await page.goto(origin);

    await page.fill('#username', 'alice');
    await page.fill('#password', 'wonderland');
    const login = await press(page, '#login-button', 'POST /login -> HTTP 200');
    check(login.includes('"token_type": "Bearer"'), 'login through the form answers a Bearer token');

    // All of the context's cookies: filtering by URL, some playwright versions drop Secure
    // cookies of http://127.0.0.1 that chromium itself keeps and sends.
    const refreshCookies = async () =>
      (await context.cookies()).filter((cookie) => cookie.name === '__Secure-refresh');
    const [refresh] = await refreshCookies();
    check(refresh !== undefined, 'chromium kept the __Secure- refresh cookie on http://127.0.0.1');
    check(refresh.httpOnly && refresh.secure && refresh.sameSite === 'Strict' &&
          refresh.path === '/auth', 'the cookie is HttpOnly, Secure, SameSite=Strict, Path=/auth');
    check(await page.evaluate(() => document.cookie) === '', 'the page sees no cookie');
    // Even a document inside the cookie's path cannot read it: HttpOnly, not just the path.
    const inside = await context.newPage();
    await inside.goto(origin + '/auth/refresh');  // a 404 page, but at a path the cookie covers
    check(!(await inside.evaluate(() => document.cookie)).includes('__Secure-refresh'),
      'a script under /auth cannot read the refresh cookie either');
    await inside.close();

    await press(page, '#refresh', 'POST /auth/refresh -> HTTP 200');
    check(true, '/auth/refresh works with the cookie the script cannot see');
    const me = await press(page, '#me', 'GET /me -> HTTP 200');
    check(me.includes('"sub": "alice"'), '/me answers alice with the refreshed access token');
    check(await page.evaluate(() => localStorage.length + sessionStorage.length) === 0,
      'no token in web storage');
    await page.screenshot({ path: screenshotPath, fullPage: true });
    console.log(`screenshot: ${screenshotPath}`);

    await press(page, '#logout', 'POST /auth/logout -> HTTP 200');
    check((await refreshCookies()).length === 0, 'logout cleared the cookie');
    await press(page, '#refresh', 'POST /auth/refresh -> HTTP 401');
    check(true, 'after logout /auth/refresh is refused');
    await press(page, '#me', 'GET /me -> HTTP 401');
    check(true, 'after logout the page holds no access token');
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
  }
}

main().then(() => console.log('browser test passed'), (error) => {
  console.error(error);
  process.exit(1);
});
