// The offline VS Code host shared by scripts/test-vscode.mjs and scripts/screenshots.mjs (issue #7):
// VS Code 1.100.3's server from the npm package code-server@4.100.3, installed once into
// .cache/vscode-host/ (or $DJR_VSCODE_HOST_DIR), plus Debian's Chromium driven by playwright-core.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3; later code-server releases need Node 22+
// DJR_VSCODE_HOST_DIR: keep the ~400 MB install somewhere that outlives the clone (e.g. on CI).
export const HOST_DIR = process.env.DJR_VSCODE_HOST_DIR ? resolve(process.env.DJR_VSCODE_HOST_DIR) : join(root, '.cache', 'vscode-host');
export const HOST_MARKER = join(HOST_DIR, '.installed');
export const VSCODE_DIR = join(HOST_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
export const SERVER_MAIN = join(VSCODE_DIR, 'out', 'server-main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const RG = '/usr/bin/rg';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  // The workbench asks the marketplace for recommendations; keep the browser on loopback only.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

// npm run exports npm_* variables (npm_config_local_prefix, ...); a nested npm in another folder must
// not see them, or it installs into this repository.
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs a command to completion; throws with the output's tail when it fails. `log` reports timings of logged steps. */
export function run(cmd, args, { cwd, env, logFile, what, log }) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, env: env ?? cleanEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out = `$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n${r.stdout ?? ''}${r.stderr ?? ''}\n`;
  if (logFile) writeFileSync(logFile, out, { flag: 'a' });
  if (r.status !== 0) {
    const tail = out.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}${r.error ? `, ${r.error.message}` : ''}):\n${tail}`);
  }
  if (logFile && log) log(`  ${what} (${secs(t0)})`);
  return r.stdout;
}

/** Exits (through `die`) with apt instructions when Chromium, ripgrep or (when installing) the headers are missing. */
export function checkServerPrerequisites(installing, die) {
  const missing = [];
  const need = (path, pkg) => {
    if (!existsSync(path)) missing.push(`${pkg} (no ${path})`);
  };
  need(CHROMIUM, 'chromium');
  need(RG, 'ripgrep');
  if (installing) {
    // Headers the native modules of VS Code's server are compiled against on the first install.
    need('/usr/include/krb5.h', 'libkrb5-dev');
    need('/usr/include/libsecret-1', 'libsecret-1-dev');
    need('/usr/include/X11/extensions/XKBfile.h', 'libxkbfile-dev');
    need('/usr/include/X11/Xlib.h', 'libx11-dev');
  }
  if (missing.length) {
    const pkgs = missing.map((m) => m.split(' ')[0]).join(' ');
    die(
      `missing Debian package(s): ${missing.join(', ')}.\n` +
        `  install them with: apt-get update && apt-get install -y --no-install-recommends ${pkgs}\n` +
        `  (or run the electron host with VSCODE_EXECUTABLE=/path/to/code)`,
    );
  }
}

function hostMarker() {
  return JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: process.versions.modules, platform: `${process.platform}-${process.arch}` });
}

export function serverHostInstalled() {
  return existsSync(HOST_MARKER) && readFileSync(HOST_MARKER, 'utf8') === hostMarker() && existsSync(SERVER_MAIN);
}

/** Installs VS Code's server into HOST_DIR unless it is there already (idempotent). */
export function ensureServerHost(log) {
  if (serverHostInstalled()) return;
  const t0 = Date.now();
  log(`installing VS Code server (code-server@${CODE_SERVER_VERSION}) into ${HOST_DIR} (once; log: ${join(HOST_DIR, 'install.log')})`);
  rmSync(HOST_DIR, { recursive: true, force: true });
  mkdirSync(HOST_DIR, { recursive: true });
  writeFileSync(join(HOST_DIR, 'package.json'), JSON.stringify({ name: 'vscode-host', private: true, description: 'test host for scripts/test-vscode.mjs' }, null, 2));
  const logFile = join(HOST_DIR, 'install.log');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=warn'];
  // 1. the package itself, without its postinstall (that one downloads and builds).
  run(npm, ['install', '--ignore-scripts', '--no-save', '--prefix', HOST_DIR, ...quiet, `code-server@${CODE_SERVER_VERSION}`], {
    cwd: HOST_DIR,
    logFile,
    log,
    what: `npm install code-server@${CODE_SERVER_VERSION}`,
  });
  // 2. VS Code's runtime dependencies.
  run(npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], { cwd: VSCODE_DIR, logFile, log, what: 'npm install (lib/vscode)' });
  // 3. @vscode/ripgrep's postinstall would download rg from GitHub: use Debian's.
  mkdirSync(join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin'), { recursive: true });
  cpSync(RG, join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  // 4. native modules (node-pty's postinstall calls npx, hence npm_config_yes).
  run(npm, ['rebuild', ...quiet], { cwd: VSCODE_DIR, env: cleanEnv({ npm_config_yes: 'true', JOBS: 'max' }), logFile, log, what: 'npm rebuild (native modules)' });
  // 5. what code-server's postinstall does besides: node_modules.asar and the built-in extensions' deps.
  run('ln', ['-sfn', 'node_modules', 'node_modules.asar'], { cwd: VSCODE_DIR, what: 'ln node_modules.asar' });
  run(npm, ['install', '--omit=dev', ...quiet], { cwd: join(VSCODE_DIR, 'extensions'), logFile, log, what: 'npm install (lib/vscode/extensions)' });
  for (const f of ['out/server-main.js', 'node_modules/@vscode/ripgrep/bin/rg', 'node_modules/node-pty/build/Release/pty.node']) {
    if (!existsSync(join(VSCODE_DIR, f))) throw new Error(`VS Code server install incomplete: ${f} is missing (see ${logFile})`);
  }
  writeFileSync(HOST_MARKER, hostMarker());
  log(`VS Code server installed in ${secs(t0)}`);
}

/** Packages the extension with `npm run package` and returns the .vsix path. */
export function packageExtension(die) {
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'package'], { cwd: root, env: process.env, what: 'npm run package' });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${pkg.name}-${pkg.version}.vsix`);
  if (!existsSync(vsix)) die(`npm run package did not produce ${vsix}`);
  return vsix;
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * The server runs in its own process group (detached), with the extension host and the pty host as
 * its children: signal the whole group with SIGTERM, then SIGKILL after 5 s.
 */
export async function killProcessGroup(pid) {
  if (pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (s) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) signal('SIGKILL');
}
