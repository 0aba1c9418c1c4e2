// What demo-test.mjs and teach-test.mjs share: their argument parsing, headless Chromium with a fake camera that
// plays a .y4m video, the page's error capture, the checks and the one JSON summary line they print.
import { chromium } from 'playwright-core';

// Parses the command line into a copy of `defaults`: each key is an option spelled in kebab case (timeoutMs:
// --timeout-ms); a boolean default makes a switch, a number default a number option, anything else (undefined for a
// required option) a string option.
export function parseArgs(argv, defaults) {
  const o = { ...defaults };
  const keys = new Map(Object.keys(defaults)
    .map((k) => ['--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), k]));
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const k = keys.get(a);
    if (k === undefined) throw new Error('unknown argument ' + a);
    if (typeof defaults[k] === 'boolean') { o[k] = true; continue; }
    if (i + 1 >= argv.length) { throw new Error(a + ' needs a value'); }
    const v = argv[++i];
    o[k] = typeof defaults[k] === 'number' ? Number(v) : v;
  }
  return o;
}

// Opens a page of `viewport` in Debian's headless Chromium (`o.chromium`) whose camera plays `o.y4m`, and runs
// `body(page, check)`, which returns the summary; then checks that the server (window.kslrDemo.errors)
// and the page reported no errors. Prints {ok, checks, summary} as one JSON line on stdout and exits 0 when every
// check passed, 1 otherwise (a thrown error is the failed check 'run').
export async function runInBrowser(o, viewport, body) {
  const checks = [];
  const check = (name, ok, detail) => { checks.push({ name, ok: !!ok, detail }); };
  const browser = await chromium.launch({
    executablePath: o.chromium,
    headless: true,
    // Fake camera from the .y4m; auto-accept the permission prompt. The networking flags stop Chromium from reaching
    // for Google's hosts (a closed network refuses them).
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--use-file-for-fake-video-capture=' + o.y4m, '--autoplay-policy=no-user-gesture-required',
      '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
  let summary = {};
  const pageErrors = [];
  let page = null;
  try {
    page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push('console: ' + m.text()); });
    const s = await body(page, check);
    const fin = await page.evaluate(() => ({ errors: window.kslrDemo.errors }));
    check('no server errors', fin.errors.length === 0, JSON.stringify(fin.errors.slice(0, 3)));
    check('no page errors', pageErrors.length === 0, pageErrors.slice(0, 3).join(' | '));
    summary = s;
  } catch (e) {
    let status = null;
    try { status = page && await page.textContent('#status'); } catch (ignored) { /* page gone */ }
    check('run', false, String(e && e.stack || e) + ` | status "${status}" | page errors: ${pageErrors.join(' | ')}`);
  } finally {
    await browser.close();
  }
  const failed = checks.filter((c) => !c.ok);
  process.stdout.write(JSON.stringify({ ok: failed.length === 0, checks, summary }) + '\n');
  process.exit(failed.length === 0 ? 0 : 1);
}
