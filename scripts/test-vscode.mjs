#!/usr/bin/env node
// Extension-host tests in a real VS Code, offline (issue #7).
//
//   node scripts/test-vscode.mjs [--host server|electron] [--vsix] [--workspace DIR] [--no-build]
//                                [--timeout SECONDS] [--grep PATTERN] [--keep] [--verbose]
//
// Hosts:
//   server    (default) VS Code 1.100.3's server from the npm package code-server@4.100.3, installed
//             once into .cache/vscode-host/ (or $DJR_VSCODE_HOST_DIR), plus Debian's Chromium driven headless by playwright-core.
//             Needs the apt packages chromium ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev
//             libx11-dev (the native modules are rebuilt from source on the first run).
//   electron  @vscode/test-electron's runTests with the VS Code binary in $VSCODE_EXECUTABLE (the
//             default host when that variable is set). --download lets test-electron download VS Code
//             instead (impossible offline, so never done unless asked).
//
// --vsix packages the extension (npm run package), installs the .vsix into a fresh extensions dir and
// runs the same suite against the installed copy: the development path is then an empty stub
// extension, because VS Code only runs extensionTestsPath together with an extensionDevelopmentPath.
//
// The suite (test/vscode/*.ts) is compiled with esbuild into .cache/vscode-suite/. It runs against a
// temporary copy of the workspace (default: example/), so nothing in the repository is modified. It
// writes its results to $DJR_VSCODE_RESULT; this script passes only when the extension host exits
// with code 0 AND that file reports more than 0 passed tests and 0 failed. (The exit code alone is not
// enough: under VS Code's server the extension host exits with 0 even when run() rejects.)
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  HOST_MARKER,
  VSCODE_DIR,
  checkServerPrerequisites as checkHostPrerequisites,
  cleanEnv,
  ensureServerHost as ensureHost,
  freePort,
  killProcessGroup,
  packageExtension,
  root,
  run as runCommand,
  secs,
} from './vscode-host.mjs';

// One folder per run, so parallel runs do not overwrite each other's suite (mocha resolves from here).
const SUITE_OUT = join(root, '.cache', 'vscode-suite', `run-${process.pid}`);

// ---------------------------------------------------------------------------------------------- args
function parseArgs(argv) {
  const o = {
    host: process.env.DJR_VSCODE_HOST || (process.env.VSCODE_EXECUTABLE ? 'electron' : 'server'),
    vsix: false,
    workspace: process.env.DJR_VSCODE_WORKSPACE || join(root, 'example'),
    build: true,
    timeoutSec: Number(process.env.DJR_VSCODE_TIMEOUT || 300),
    grep: undefined,
    keep: false,
    verbose: !!process.env.DJR_VSCODE_VERBOSE,
    download: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--vsix') o.vsix = true;
    else if (a.startsWith('--host')) o.host = val();
    else if (a.startsWith('--workspace')) o.workspace = resolve(val());
    else if (a === '--no-build') o.build = false;
    else if (a.startsWith('--timeout')) o.timeoutSec = Number(val());
    else if (a.startsWith('--grep')) o.grep = val();
    else if (a === '--keep') o.keep = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--download') o.download = true;
    else if (a === '-h' || a === '--help') {
      const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
      console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else die(`unknown argument ${a} (see --help)`);
  }
  if (!['server', 'electron'].includes(o.host)) die(`--host must be server or electron, not ${o.host}`);
  if (!(o.timeoutSec > 0)) die('--timeout must be a positive number of seconds');
  return o;
}

function die(msg) {
  console.error(`test-vscode: ${msg}`);
  process.exit(2);
}

const log = (msg) => console.log(`[test-vscode] ${msg}`);
const run = (cmd, args, opts) => runCommand(cmd, args, { log, ...opts });
const checkServerPrerequisites = (installing) => checkHostPrerequisites(installing, die);
const ensureServerHost = () => ensureHost(log);

// ------------------------------------------------------------------------------------ build & suite
async function buildSuite() {
  const { build } = await import('esbuild');
  rmSync(SUITE_OUT, { recursive: true, force: true });
  const dir = join(root, 'test', 'vscode');
  const entries = readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await build({
    entryPoints: entries.map((f) => join(dir, f)),
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha'],
  });
  return join(SUITE_OUT, 'index.js');
}

function buildExtension(o) {
  if (o.vsix) {
    const vsix = packageExtension(die);
    log(`packaged ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KiB)`);
    return vsix;
  }
  if (o.build) run(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, env: process.env, what: 'node scripts/build.mjs' });
  for (const f of ['client/out/extension.js', 'server/out/server.js']) {
    if (!existsSync(join(root, f))) die(`${f} does not exist after the build (is ${f.replace('/out/', '/src/').replace(/\.js$/, '.ts')} written yet?)`);
  }
  return undefined;
}

function prepareTemp(o) {
  const tmp = mkdtempSync(join(tmpdir(), 'djr-vscode-'));
  const ws = join(tmp, 'workspace');
  cpSync(o.workspace, ws, {
    recursive: true,
    filter: (src) => !/(^|[\\/])(__pycache__|node_modules|\.venv|\.git)$/.test(src),
  });
  for (const d of ['user-data', 'server-data', 'extensions']) mkdirSync(join(tmp, d));
  return {
    tmp,
    ws,
    userData: join(tmp, 'user-data'),
    serverData: join(tmp, 'server-data'),
    extensions: join(tmp, 'extensions'),
    result: join(tmp, 'result.json'),
  };
}

function makeStub(tmp) {
  const stub = join(tmp, 'stub-extension');
  mkdirSync(stub);
  writeFileSync(
    join(stub, 'package.json'),
    JSON.stringify({ name: 'djr-test-stub', publisher: 'djr-test', version: '0.0.0', description: 'empty development extension: the tested one comes from the installed .vsix', engines: { vscode: '*' } }, null, 2),
  );
  return stub;
}

// ------------------------------------------------------------------------------------- server host
async function runServerHost(o, t, suiteIndex, vsix) {
  const serverMain = join(VSCODE_DIR, 'out', 'server-main.js');
  const logPath = join(t.tmp, 'server.log');
  const logStream = createWriteStream(logPath);
  const env = cleanEnv({
    // No extension gallery at all (code-server's build would default to open-vsx.org): nothing to reach.
    EXTENSIONS_GALLERY: '{}',
    DJR_VSCODE_RESULT: t.result,
    DJR_VSCODE_MODE: vsix ? 'vsix' : 'dev',
    DJR_VSCODE_EXTENSIONS_DIR: t.extensions,
    DJR_VSCODE_EXTENSION_ROOT: root,
    ...(o.grep ? { DJR_VSCODE_GREP: o.grep } : {}),
  });
  const dataArgs = ['--user-data-dir', t.userData, '--server-data-dir', t.serverData, '--extensions-dir', t.extensions];

  let devPath = root;
  if (vsix) {
    run(process.execPath, [serverMain, '--install-extension', vsix, '--force', ...dataArgs, '--accept-server-license-terms'], {
      cwd: VSCODE_DIR,
      env,
      what: `install ${vsix}`,
    });
    const installed = readdirSync(t.extensions).filter((d) => !d.startsWith('.') && statSync(join(t.extensions, d)).isDirectory());
    log(`installed into ${t.extensions}: ${installed.join(', ') || '(nothing!)'}`);
    devPath = makeStub(t.tmp);
  }

  const port = await freePort();
  const args = [serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
    '--disable-telemetry', '--disable-workspace-trust', ...dataArgs];
  const server = spawn(process.execPath, args, { cwd: VSCODE_DIR, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (server.pid !== undefined) serverGroups.add(server.pid);
  const serverLines = [];
  const consoleLines = [];
  let browser;
  let settle;
  const outcome = new Promise((r) => (settle = r));
  const state = { ready: false, launched: false, exitCode: undefined };
  let readyResolve;
  const ready = new Promise((r) => (readyResolve = r));

  const onLine = (line) => {
    logStream.write(`${line}\n`);
    serverLines.push(line);
    if (o.verbose) console.log(`  [server] ${line}`);
    if (/Extension host agent listening on/.test(line)) {
      state.ready = true;
      readyResolve();
    }
    if (/Launched Extension Host Process/.test(line)) state.launched = true;
    const m = /Extension Host Process exited with code: (-?\d+|null)/.exec(line);
    if (m && state.exitCode === undefined) {
      state.exitCode = m[1] === 'null' ? null : Number(m[1]);
      settle({ kind: 'exited', code: state.exitCode });
    }
  };
  createInterface({ input: server.stdout }).on('line', onLine);
  createInterface({ input: server.stderr }).on('line', onLine);
  server.on('exit', (code, signal) => settle({ kind: 'server-exit', detail: `VS Code server exited early (code ${code}, signal ${signal})` }));
  server.on('error', (e) => settle({ kind: 'server-exit', detail: `could not start the VS Code server: ${e.message}` }));

  const overall = setTimeout(() => settle({ kind: 'timeout', detail: `no result after ${o.timeoutSec} s` }), o.timeoutSec * 1000);
  const readyTimer = setTimeout(() => {
    if (!state.ready) settle({ kind: 'timeout', detail: 'the VS Code server did not start listening within 60 s' });
  }, 60_000);

  try {
    const t0 = Date.now();
    const first = await Promise.race([ready.then(() => 'ready'), outcome]);
    if (first !== 'ready') return { ...first, serverLines, consoleLines, logPath };
    log(`VS Code server listening on 127.0.0.1:${port} (${secs(t0)})`);

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    browser.on('disconnected', () => settle({ kind: 'browser', detail: 'the browser disconnected before the extension host exited' }));
    const page = await browser.newPage();
    page.on('console', (m) => {
      const line = `${m.type()}: ${m.text()}`;
      consoleLines.push(line);
      if (o.verbose) console.log(`  [browser] ${line.slice(0, 400)}`);
    });
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p.split('\\').join('/')}`;
    const payload = [
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(suiteIndex)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(t.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    if (o.verbose) log(`opening ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const launchTimer = setTimeout(() => {
      if (!state.launched) settle({ kind: 'timeout', detail: 'no extension host was launched within 90 s of opening the workbench' });
    }, 90_000);
    // run() writes a first result as soon as VS Code calls it: silence after that means it was never called.
    const loadedTimer = setTimeout(() => {
      if (!existsSync(t.result)) settle({ kind: 'timeout', detail: 'the suite was not started within 150 s of opening the workbench (extensionTestsPath not loaded?)' });
    }, 150_000);
    const res = await outcome;
    clearTimeout(launchTimer);
    clearTimeout(loadedTimer);
    log(`extension host ${res.kind === 'exited' ? `exited with code ${res.code}` : 'did not finish'} (${secs(t0)} after the server started)`);
    return { ...res, serverLines, consoleLines, logPath };
  } catch (e) {
    return { kind: 'error', detail: e.stack || String(e), serverLines, consoleLines, logPath };
  } finally {
    clearTimeout(overall);
    clearTimeout(readyTimer);
    settle({ kind: 'cleanup' });
    if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    await killTree(server);
    logStream.end();
  }
}

// The server runs in its own process group (detached), with the extension host and the pty host as
// its children: signal the whole group, then make sure.
async function killTree(child) {
  if (child.pid === undefined) return;
  await killProcessGroup(child.pid);
  serverGroups.delete(child.pid);
}

/** Process groups of servers still running, killed on SIGINT/SIGTERM of this script. */
const serverGroups = new Set();

// ----------------------------------------------------------------------------------- electron host
async function runElectronHost(o, t, suiteIndex, vsix) {
  const te = await import('@vscode/test-electron');
  let exe = process.env.VSCODE_EXECUTABLE;
  if (!exe) {
    if (!o.download) die('the electron host needs VSCODE_EXECUTABLE (or --download, which needs internet access)');
    exe = await te.downloadAndUnzipVSCode('1.100.3');
  }
  const env = {
    DJR_VSCODE_RESULT: t.result,
    DJR_VSCODE_MODE: vsix ? 'vsix' : 'dev',
    DJR_VSCODE_EXTENSIONS_DIR: t.extensions,
    DJR_VSCODE_EXTENSION_ROOT: root,
    ...(o.grep ? { DJR_VSCODE_GREP: o.grep } : {}),
  };
  const dataArgs = ['--user-data-dir', t.userData, '--extensions-dir', t.extensions];
  let devPath = root;
  if (vsix) {
    const [cli, ...cliArgs] = te.resolveCliArgsFromVSCodeExecutablePath(exe);
    run(cli, [...cliArgs, '--install-extension', vsix, '--force', ...dataArgs], { cwd: root, env: process.env, what: `install ${vsix}` });
    devPath = makeStub(t.tmp);
  }
  const t0 = Date.now();
  try {
    const code = await te.runTests({
      vscodeExecutablePath: exe,
      extensionDevelopmentPath: devPath,
      extensionTestsPath: suiteIndex,
      extensionTestsEnv: env,
      // --disable-extensions would also disable the installed .vsix.
      launchArgs: [t.ws, ...(vsix ? [] : ['--disable-extensions']), ...dataArgs],
    });
    log(`VS Code exited with code ${code} (${secs(t0)})`);
    return { kind: 'exited', code, serverLines: [], consoleLines: [] };
  } catch (e) {
    if (e instanceof te.TestRunFailedError && typeof e.code === 'number') return { kind: 'exited', code: e.code, serverLines: [], consoleLines: [] };
    return { kind: 'error', detail: e.stack || String(e), serverLines: [], consoleLines: [] };
  }
}

// ------------------------------------------------------------------------------------------ report
function report(o, res, t) {
  let result;
  try {
    result = JSON.parse(readFileSync(t.result, 'utf8'));
  } catch {
    result = undefined;
  }
  console.log('');
  console.log(`VS Code extension-host tests (${o.host} host, ${o.vsix ? 'installed .vsix' : 'development extension'}${result ? `, VS Code ${result.vscodeVersion}` : ''}):`);
  const problems = [];
  if (result) {
    for (const tr of result.tests) {
      const mark = tr.state === 'passed' ? 'ok  ' : tr.state === 'pending' ? 'skip' : 'FAIL';
      console.log(`  ${mark} ${tr.title}${tr.durationMs !== undefined ? ` (${tr.durationMs} ms)` : ''}`);
      if (tr.error) console.log(tr.error.split('\n').slice(0, 12).map((l) => `         ${l}`).join('\n'));
    }
    if (result.error) problems.push(`the suite crashed: ${result.error}`);
    if (!result.done) problems.push('the suite did not finish');
    if (result.failures > 0) problems.push(`${result.failures} test(s) failed`);
    if (result.passes === 0) problems.push('no test passed (0 ran?)');
  } else {
    problems.push('the suite wrote no result file (did the extension host load it?)');
  }
  if (res.kind !== 'exited') problems.push(res.detail || res.kind);
  else if (res.code !== 0) problems.push(`the extension host exited with code ${res.code}`);

  const passed = result ? result.passes : 0;
  const failed = result ? result.failures : 0;
  if (problems.length) {
    console.log('');
    for (const p of problems) console.log(`  problem: ${p}`);
    const interesting = res.consoleLines.filter((l) => /^(error|pageerror)/.test(l) && !/404|ERR_NAME_NOT_RESOLVED|open-vsx|serviceWorker|Service Worker|ENOTFOUND/.test(l));
    if (interesting.length) console.log(`\n  browser errors:\n${interesting.slice(-15).map((l) => `    ${l.slice(0, 500)}`).join('\n')}`);
    if (res.serverLines.length) console.log(`\n  server log (last lines):\n${res.serverLines.slice(-15).map((l) => `    ${l}`).join('\n')}`);
    const exthostLog = findExthostLog(t.serverData);
    if (exthostLog) {
      const lines = readFileSync(exthostLog, 'utf8').trim().split('\n');
      console.log(`\n  extension host log ${exthostLog} (last lines):\n${lines.slice(-25).map((l) => `    ${l}`).join('\n')}`);
    }
  }
  console.log('');
  // The plain closing line CI reads: "N passed, N failed" (one word and a colon may precede it).
  console.log(`vscode: ${passed} passed, ${problems.length ? Math.max(failed, 1) : failed} failed`);
  return problems.length === 0;
}

function findExthostLog(serverData) {
  const logs = join(serverData, 'data', 'logs');
  if (!existsSync(logs)) return undefined;
  const stack = [logs];
  while (stack.length) {
    const d = stack.pop();
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) stack.push(p);
      else if (n === 'remoteexthost.log') return p;
    }
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------- main
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  if (!existsSync(o.workspace)) die(`workspace ${o.workspace} does not exist (pass --workspace DIR)`);
  if (o.host === 'server') {
    checkServerPrerequisites(!existsSync(HOST_MARKER));
    ensureServerHost();
  }
  const vsix = buildExtension(o);
  const suiteIndex = await buildSuite();
  const t = prepareTemp(o);
  log(`workspace: copy of ${o.workspace} at ${t.ws}`);
  let ok = false;
  const cleanup = () => {
    if (!o.keep) rmSync(t.tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      for (const pid of serverGroups) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      cleanup();
      process.exit(130);
    });
  }
  try {
    const res = o.host === 'server' ? await runServerHost(o, t, suiteIndex, vsix) : await runElectronHost(o, t, suiteIndex, vsix);
    ok = report(o, res, t);
  } finally {
    if (o.keep) log(`kept ${t.tmp} and ${SUITE_OUT}`);
    else rmSync(SUITE_OUT, { recursive: true, force: true });
    cleanup();
  }
  log(`${ok ? 'passed' : 'FAILED'} in ${secs(t0)}`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`test-vscode: ${e.stack || e}`);
  process.exit(1);
});
