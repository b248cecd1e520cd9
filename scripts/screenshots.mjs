#!/usr/bin/env node
// Screenshots of the extension in a real VS Code, offline (issue #7): docs/screenshots/*.png.
//
//   node scripts/screenshots.mjs [--keep] [--verbose] [--out DIR]
//
// Packages the extension (npm run package), installs the .vsix into a fresh extensions dir of the
// VS Code 1.100.3 server of scripts/vscode-host.mjs (installed once into .cache/vscode-host/, as for
// `npm run test:vscode`), starts that server WITHOUT a test payload on
// a temporary copy of example/, drives the workbench in headless Chromium (playwright-core, fixed
// 1400x900 viewport, light theme) and saves:
//   settings-squiggles.png  shop/settings.py with its diagnostics
//   hover.png               the diagnostic hover on the DEBUG line
//   quick-fix.png           the quick-fix menu on the DEBUG line
//   checklist.png           the Readiness Checklist view with a category expanded
//   problems.png            the Problems panel
// Every step waits for a real UI condition (with a timeout); the server and the browser are always
// killed at the end.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  HOST_MARKER,
  SERVER_MAIN,
  VSCODE_DIR,
  checkServerPrerequisites,
  cleanEnv,
  ensureServerHost,
  freePort,
  killProcessGroup,
  packageExtension,
  root,
  run,
  secs,
} from './vscode-host.mjs';

const VIEWPORT = { width: 1400, height: 900 };
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.layoutControl.enabled': false,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'editor.fontSize': 14,
  'editor.hover.delay': 150,
  'git.enabled': false,
  'breadcrumbs.enabled': true,
};

const args = process.argv.slice(2);
const opt = {
  keep: args.includes('--keep'),
  verbose: args.includes('--verbose'),
  out: args.includes('--out') ? resolve(args[args.indexOf('--out') + 1]) : join(root, 'docs', 'screenshots'),
};

const log = (msg) => console.log(`[screenshots] ${msg}`);
const die = (msg) => {
  console.error(`screenshots: ${msg}`);
  process.exit(2);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------ prepare
function packageVsix() {
  const t0 = Date.now();
  const vsix = packageExtension(die);
  log(`npm run package: ${relative(root, vsix)} (${(statSync(vsix).size / 1024).toFixed(0)} KiB, ${secs(t0)})`);
  return vsix;
}

function prepareTemp() {
  const tmp = mkdtempSync(join(tmpdir(), 'djr-shots-'));
  const ws = join(tmp, 'example');
  cpSync(join(root, 'example'), ws, { recursive: true, filter: (src) => !/(^|[\\/])(__pycache__|node_modules|\.venv|\.git)$/.test(src) });
  const t = { tmp, ws, userData: join(tmp, 'user-data'), serverData: join(tmp, 'server-data'), extensions: join(tmp, 'extensions') };
  for (const d of [t.userData, t.serverData, t.extensions]) mkdirSync(d);
  // The web workbench of VS Code's server reads its user settings from <user-data-dir>/User.
  mkdirSync(join(t.userData, 'User'), { recursive: true });
  writeFileSync(join(t.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return t;
}

// ------------------------------------------------------------------------------------------- shots
async function waitFor(page, selector, what, timeout = 30_000) {
  try {
    await page.waitForSelector(selector, { state: 'visible', timeout });
  } catch {
    throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (${selector})`);
  }
}

async function shoot(page, name, shots) {
  const file = join(opt.out, name);
  await page.screenshot({ path: file, animations: 'disabled' });
  shots.push(file);
  log(`  ${name}`);
}

/** The squiggles on the editor line whose text starts with `prefix`, as a locator. */
async function squigglesOnLine(page, prefix) {
  const top = await page.evaluate((prefix) => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return undefined;
    for (const line of editor.querySelectorAll('.view-lines .view-line')) {
      if (line.textContent.replace(/\u00a0/g, ' ').trimStart().startsWith(prefix)) return line.style.top;
    }
    return undefined;
  }, prefix);
  if (top === undefined) throw new Error(`no editor line starts with ${prefix}`);
  const overlay = (t) => `.editor-group-container.active .monaco-editor .view-overlays > div[style*="top:${t}"] .cdr[class*="squiggly-"]`;
  return page.locator(`${overlay(top)}, ${overlay(top.replace(/^/, ' '))}`);
}

/** Moves the mouse onto each squiggle of the line until the hover shows `rule`; returns where it hovered. */
async function hoverRule(page, prefix, rule) {
  const squiggles = await squigglesOnLine(page, prefix);
  await squiggles.first().waitFor({ state: 'visible', timeout: 10_000 });
  const boxes = [];
  for (const el of await squiggles.all()) {
    const b = await el.boundingBox();
    if (b && b.width > 0) boxes.push(b);
  }
  boxes.sort((a, b) => b.x - a.x); // rightmost first: on `X = os.getenv("V", "default")` that is the default
  let last;
  for (const box of boxes) {
    const x = box.x + Math.min(box.width / 2, 40);
    const y = box.y + box.height / 2 - 4;
    await page.mouse.move(5, VIEWPORT.height - 5); // off the editor, so the previous hover goes away
    await page.waitForSelector('.monaco-editor .monaco-hover:not(.hidden) .hover-row', { state: 'hidden', timeout: 5_000 }).catch(() => {});
    await page.mouse.move(x - 30, y + 40);
    await page.mouse.move(x, y, { steps: 8 });
    await waitFor(page, '.monaco-editor .monaco-hover:not(.hidden) .hover-row', 'the diagnostic hover', 15_000);
    await page.waitForFunction(() => /DJ-/.test(document.querySelector('.monaco-editor .monaco-hover:not(.hidden)')?.textContent || ''), undefined, { timeout: 10_000 });
    last = { x, y };
    const text = await page.locator('.monaco-editor .monaco-hover:not(.hidden)').first().textContent();
    if (text.includes(rule)) return last;
  }
  log(`  (no hover on the ${prefix} line shows ${rule}; keeping the last one)`);
  return last;
}

async function takeShots(page, port, t) {
  const shots = [];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(t.ws)}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await waitFor(page, '.monaco-workbench .part.activitybar', 'the workbench', 60_000);
  await waitFor(page, '.part.statusbar', 'the status bar', 30_000);
  // Notification toasts (e.g. about the gallery) would cover the screenshots.
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = '.notifications-toasts { display: none !important; }';
    document.head.appendChild(style);
  });

  // (1) shop/settings.py with squiggles, opened through Quick Open.
  await page.locator('.part.editor').click({ position: { x: 300, y: 300 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  await waitFor(page, '.quick-input-widget .quick-input-box input', 'Quick Open');
  await page.keyboard.type('shop/settings.py', { delay: 20 });
  await waitFor(page, '.quick-input-widget .monaco-list-row[aria-label*="settings.py"]', 'the Quick Open result for shop/settings.py');
  await page.keyboard.press('Enter');
  await waitFor(page, '.editor-group-container.active .tab.active[aria-label*="settings.py"]', 'the settings.py tab');
  await waitFor(page, '.editor-group-container.active .monaco-editor .view-overlays .squiggly-warning, .editor-group-container.active .monaco-editor .view-overlays .squiggly-error',
    'diagnostics (squiggles) from the extension', 90_000);
  // Wait until the Problems count in the status bar is non-zero, i.e. the whole analysis arrived.
  await page.waitForFunction(() => {
    const el = document.querySelector('.statusbar-item[id="status.problems"]');
    return el && /[1-9]/.test(el.textContent || el.getAttribute('aria-label') || '');
  }, undefined, { timeout: 60_000 });
  await sleep(1500); // let the remaining diagnostics and semantic colours settle
  await shoot(page, 'settings-squiggles.png', shots);

  // (2) hover on the DEBUG line's squiggle (DJ-SEC-001: DEBUG on by default).
  const { x, y } = await hoverRule(page, 'DEBUG', 'DJ-SEC-001');
  await sleep(400);
  await shoot(page, 'hover.png', shots);

  // (3) the quick-fix menu: cursor on the squiggle, Ctrl+.
  await page.mouse.click(x, y);
  await page.keyboard.press('Escape');
  await page.mouse.move(5, VIEWPORT.height - 5); // away from the editor, so no hover comes back
  await sleep(200);
  await page.keyboard.press('Control+.');
  await waitFor(page, '.action-widget .monaco-list-row.action', 'the quick-fix menu', 15_000);
  await sleep(400);
  await shoot(page, 'quick-fix.png', shots);
  await page.keyboard.press('Escape');

  // (4) the Readiness Checklist view, with a category expanded.
  const icon = page.locator('.part.activitybar .action-item a[aria-label^="Django Readiness"], .part.activitybar .action-item[aria-label^="Django Readiness"]').first();
  await icon.waitFor({ state: 'visible', timeout: 30_000 });
  await icon.click();
  await waitFor(page, `.part.sidebar .monaco-list-row[aria-level="1"]`, 'checklist rows', 60_000);
  // Widen the side bar (drag its sash) so the item titles are readable.
  const side = await page.locator('.part.sidebar').boundingBox();
  if (side) {
    const sx = side.x + side.width;
    const sy = side.y + side.height / 2;
    await page.mouse.move(sx - 1, sy);
    await page.mouse.down();
    await page.mouse.move(sx + 190, sy, { steps: 10 });
    await page.mouse.up();
    await page.waitForFunction((w) => (document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) > w + 100, side.width, { timeout: 5_000 })
      .catch(() => log('  (could not widen the side bar; continuing)'));
  }
  const collapsed = page.locator('.part.sidebar .monaco-list-row[aria-level="1"][aria-expanded="false"]');
  const expanded = page.locator('.part.sidebar .monaco-list-row[aria-level="1"][aria-expanded="true"]');
  if ((await expanded.count()) === 0 && (await collapsed.count()) > 0) {
    // Prefer a category with failing items: the first collapsed one that is not all-green.
    await collapsed.first().click();
  }
  await waitFor(page, '.part.sidebar .monaco-list-row[aria-level="2"]', 'an expanded checklist category', 15_000);
  await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
  await sleep(400);
  await shoot(page, 'checklist.png', shots);

  // (5) the Problems panel.
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('Control+Shift+M');
  await waitFor(page, '.part.panel .markers-panel .monaco-list-row', 'the Problems panel rows', 15_000);
  await sleep(400);
  await shoot(page, 'problems.png', shots);
  return shots;
}

// -------------------------------------------------------------------------------------------- main
async function main() {
  const t0 = Date.now();
  checkServerPrerequisites(!existsSync(HOST_MARKER), die);
  ensureServerHost(log);
  const vsix = packageVsix();
  const t = prepareTemp();
  log(`workspace: copy of example/ at ${t.ws}`);
  mkdirSync(opt.out, { recursive: true });
  let ok = false;
  try {
    ok = await shootInServer(vsix, t);
  } finally {
    if (opt.keep) log(`kept ${t.tmp}`);
    else rmSync(t.tmp, { recursive: true, force: true });
  }
  log(`${ok ? 'done' : 'FAILED'} in ${secs(t0)}`);
  process.exit(ok ? 0 : 1);
}

/** Installs the .vsix, starts the server and the browser, takes the screenshots; always stops both. */
async function shootInServer(vsix, t) {
  const serverMain = SERVER_MAIN;
  const env = cleanEnv({ EXTENSIONS_GALLERY: '{}' });
  const dataArgs = ['--user-data-dir', t.userData, '--server-data-dir', t.serverData, '--extensions-dir', t.extensions];
  run(process.execPath, [serverMain, '--install-extension', vsix, '--force', ...dataArgs, '--accept-server-license-terms'], { cwd: VSCODE_DIR, env, what: `install ${vsix}` });
  const installed = readdirSync(t.extensions).filter((d) => !d.startsWith('.') && statSync(join(t.extensions, d)).isDirectory());
  if (!installed.some((d) => d.startsWith('django-readiness.'))) throw new Error(`the .vsix was not installed into ${t.extensions}`);
  log(`installed ${installed.join(', ')}`);

  const port = await freePort();
  const logPath = join(t.tmp, 'server.log');
  const logStream = createWriteStream(logPath);
  const server = spawn(process.execPath, [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
    '--disable-telemetry', '--disable-workspace-trust', ...dataArgs], { cwd: VSCODE_DIR, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let browser;
  let ok = false;
  const emergency = () => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    process.exit(130);
  };
  process.once('SIGINT', emergency);
  process.once('SIGTERM', emergency);
  const consoleLines = [];
  try {
    await new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error('the VS Code server did not start listening within 60 s')), 60_000);
      const onLine = (line) => {
        logStream.write(`${line}\n`);
        if (opt.verbose) console.log(`  [server] ${line}`);
        if (/Extension host agent listening on/.test(line)) {
          clearTimeout(timer);
          res();
        }
      };
      createInterface({ input: server.stdout }).on('line', onLine);
      createInterface({ input: server.stderr }).on('line', onLine);
      server.on('exit', (code, sig) => rej(new Error(`the VS Code server exited (code ${code}, signal ${sig}); log: ${logPath}`)));
    });
    log(`VS Code server listening on 127.0.0.1:${port}`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US' });
    const page = await context.newPage();
    page.on('console', (m) => {
      consoleLines.push(`${m.type()}: ${m.text()}`);
      if (opt.verbose) console.log(`  [browser] ${m.type()}: ${m.text().slice(0, 300)}`);
    });
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    try {
      const shots = await takeShots(page, port, t);
      console.log('');
      for (const f of shots) console.log(`${relative(root, f)}  ${(statSync(f).size / 1024).toFixed(0)} KiB`);
      ok = true;
    } catch (e) {
      const fail = join(t.tmp, 'failure.png');
      await page.screenshot({ path: fail }).catch(() => {});
      console.error(`screenshots: ${e.message}`);
      console.error(`  the page at the failure: ${fail}${opt.keep ? '' : ' (pass --keep to keep it)'}; server log: ${logPath}`);
      const errs = consoleLines.filter((l) => /^(error|pageerror)/.test(l) && !/404|ERR_NAME_NOT_RESOLVED|ENOTFOUND/.test(l));
      if (errs.length) console.error(errs.slice(-10).map((l) => `  ${l.slice(0, 300)}`).join('\n'));
    }
  } finally {
    if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
    await killProcessGroup(server.pid);
    logStream.end();
  }
  return ok;
}

main().catch((e) => {
  console.error(`screenshots: ${e.stack || e}`);
  process.exit(1);
});
