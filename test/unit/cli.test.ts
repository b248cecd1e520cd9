import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, writeProject } from '../helpers/engine';
import { pythonParses } from '../helpers/python';

const CLI = join(REPO_ROOT, 'server/out/cli.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const INSECURE = `import os\nSECRET_KEY = "short"\nDEBUG = True\nALLOWED_HOSTS = []\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n`;

test('text output: path:line:col: ID message, a summary, exit 1', () => {
  const dir = writeProject({ 'settings.py': INSECURE });
  const r = cli(['check', '.', '--settings', 'settings.py', '--django-version', '4.2'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^settings\.py:3:9: DJ-SEC-001 DEBUG is True/m);
  assert.match(r.stdout, /^Found \d+ problems \(/m);
});

test('json output has exactly the documented shape', () => {
  const dir = writeProject({ 'settings.py': INSECURE });
  const r = cli(['check', '--settings', 'settings.py', '--format', 'json', '--select', 'DJ-SEC-001'], dir);
  assert.equal(r.code, 1, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(json), ['version', 'diagnostics']);
  assert.equal(json.version, 1);
  assert.equal(json.diagnostics.length, 1);
  const d = json.diagnostics[0];
  assert.deepEqual(Object.keys(d), ['file', 'code', 'severity', 'message', 'range', 'djangoChecks', 'fix']);
  assert.equal(d.file, 'settings.py');
  assert.equal(d.code, 'DJ-SEC-001');
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.range, { start: { line: 2, character: 8 }, end: { line: 2, character: 12 } });
  assert.deepEqual(d.djangoChecks, ['security.W018']);
  assert.equal(d.fix.edits[0].file, 'settings.py');
  assert.equal(typeof d.fix.edits[0].newText, 'string');
});

test('sarif output is SARIF 2.1.0 with rule metadata', () => {
  const dir = writeProject({ 'settings.py': INSECURE });
  const r = cli(['check', '--settings', 'settings.py', '--format', 'sarif'], dir);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'django-readiness');
  assert.ok(run.tool.driver.rules.some((rule: { id: string }) => rule.id === 'DJ-SEC-001'));
  const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'DJ-SEC-001');
  assert.equal(result.level, 'error');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'settings.py');
  assert.equal(result.locations[0].physicalLocation.region.startLine, 3);
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'DJ-SEC-001');
});

test('--fix rewrites files, re-checks, and leaves valid Python', () => {
  const dir = writeProject({ 'settings.py': INSECURE });
  const r = cli(['check', '--settings', 'settings.py', '--fix'], dir);
  assert.match(r.stdout, /^fixed settings\.py$/m);
  const text = readFileSync(join(dir, 'settings.py'), 'utf8');
  assert.ok(pythonParses(text).ok, text);
  assert.doesNotMatch(r.stdout, /DJ-SEC-001/);
  const again = cli(['check', '--settings', 'settings.py', '--fix'], dir);
  assert.doesNotMatch(again.stdout, /^fixed/m, 'a second --fix must change nothing');
});

test('a clean project exits 0', () => {
  const dir = writeProject({
    'settings.py':
      'import os\nSECRET_KEY = os.environ["K"]\nALLOWED_HOSTS = ["a.example"]\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n]\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True\nCSRF_COOKIE_SECURE = True\n',
  });
  const r = cli(['check', '--settings', 'settings.py', '--select', 'DJ-SEC'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No problems found/);
});

test('bad usage exits 2 with a clear message', () => {
  const dir = writeProject({ 'settings.py': INSECURE });
  for (const args of [['check', '--format', 'xml'], ['lint'], ['check', '--select', 'NOPE-1'], ['check', '--django-version', 'new'], ['check', '--settings', 'missing.py']]) {
    const r = cli(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, /^django-readiness: /);
  }
});

test('the whole output is written before the CLI exits (it ends itself once stdout and stderr are flushed)', () => {
  const example = join(REPO_ROOT, 'example');
  for (const format of ['json', 'sarif', 'text']) {
    // spawnSync reads the output through a pipe, as `| jq` would.
    const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', format, '--stats'], { cwd: example, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 1, format);
    assert.ok(r.stdout.length > 2000, `${format}: ${r.stdout.length} characters`);
    if (format !== 'text') assert.doesNotThrow(() => JSON.parse(r.stdout), format);
    else assert.match(r.stdout, /^Found \d+ problems .*\n$/m);
    assert.match(r.stderr, /"findings":\d+/, `${format}: --stats on stderr`);
  }
});

test('the CLI runs without TurboFan inlining unless its command line names inlining; its code cache follows the flags', () => {
  const dir = writeProject({ 'settings.py': INSECURE });
  const cache = mkdtempSync(join(tmpdir(), 'djr-cli-flags-'));
  try {
    const codeCache = (nodeFlags: string[]) => {
      const r = spawnSync(process.execPath, [...nodeFlags, CLI, 'check', '.', '--settings', 'settings.py', '--stats'], { cwd: dir, encoding: 'utf8', env: { ...process.env, DJANGO_READINESS_CACHE_DIR: cache } });
      assert.equal(r.status, 1, r.stderr);
      return JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{'))!).codeCache as string;
    };
    assert.equal(codeCache([]), 'miss');
    assert.equal(codeCache([]), 'hit');
    // V8 refuses a code cache made under other flags: the runs above were not under V8's defaults.
    assert.equal(codeCache(['--turbo-inlining']), 'rejected');
    assert.equal(codeCache(['--turbo-inlining']), 'hit');
    assert.equal(codeCache(['--no-turbo-inlining']), 'rejected');
    assert.equal(codeCache([]), 'hit');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
