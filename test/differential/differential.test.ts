// The differential test: for every settings fixture, the Django check ids our CLI reports (with
// --settings, an empty environment and --django-version of the installed Django) must equal the
// ids Django's own `check --deploy` reports. Django runs live when Debian's python3-django is
// installed (CI installs it); elsewhere the ids Django recorded in cases.json are used, and the test
// says so. Only the ids we claim to mirror are compared: every security.*, async.*, caches.* and
// 4_0.* check, plus the single ids our rules list (urls.E006, staticfiles.E002).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyzer';
import { parseVersionArg } from '../../server/src/engine/project/djangoVersion';
import { RULES } from '../../server/src/engine/rules/index';
import { FIXTURES, REPO_ROOT } from '../helpers/engine';

const run = promisify(execFile);
const CASES_DIR = join(FIXTURES, 'differential');
const FULL_NAMESPACES = ['security', 'async', 'caches', '4_0'];
const CLAIMED = new Set(RULES.flatMap((r) => r.djangoChecks));

interface Case {
  name: string;
  settings: string;
  expected: string[];
  covers: string;
}

function mirrored(id: string): boolean {
  return FULL_NAMESPACES.includes(id.split('.')[0]!) || CLAIMED.has(id);
}

function liveDjango(): string | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import django; print(django.get_version())'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function djangoIds(cases: Case[]): Promise<Map<string, { ids: string[]; error: string | null }>> {
  const { stdout } = await run('/usr/bin/python3', [join(REPO_ROOT, 'test/differential/django_checks.py'), '--cases', join(CASES_DIR, 'cases.json')], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const raw = JSON.parse(stdout) as Record<string, { ids: string[]; error: string | null }>;
  const out = new Map<string, { ids: string[]; error: string | null }>();
  for (const c of cases) {
    const hit = raw[`${c.name}/${c.settings}`];
    if (hit) out.set(c.name, hit);
  }
  return out;
}

async function ourIds(c: Case, version: string): Promise<string[]> {
  const args = [join(REPO_ROOT, 'server/out/cli.js'), 'check', join(CASES_DIR, c.name), '--settings', c.settings, '--django-version', version, '--format', 'json'];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 }));
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    if (err.code !== 1 || !err.stdout) throw new Error(`CLI failed on ${c.name}: ${err.stderr ?? e}`);
    stdout = err.stdout;
  }
  const json = JSON.parse(stdout) as { diagnostics: { djangoChecks: string[] }[] };
  return [...new Set(json.diagnostics.flatMap((d) => d.djangoChecks))].sort();
}

async function engineIds(c: Case, version: string): Promise<string[]> {
  const analyzer = await Analyzer.create(join(CASES_DIR, c.name), { settingsOverride: c.settings, djangoVersion: parseVersionArg(version, 'test') });
  try {
    return [...new Set(analyzer.analyze().findings.flatMap((f) => f.djangoChecks))].sort();
  } finally {
    analyzer.dispose();
  }
}

test('our Django check ids equal Django check --deploy on every differential fixture', async (t) => {
  const cases = JSON.parse(readFileSync(join(CASES_DIR, 'cases.json'), 'utf8')) as Case[];
  assert.ok(cases.length >= 20, 'at least 20 differential fixtures');
  const version = liveDjango();
  if (!version && process.env.CI) assert.fail('CI must run the differential test against a real Django: install python3-django');
  const series = (version ?? '3.2').split('.').slice(0, 2).join('.');
  // Django and our CLI run side by side: both are a process per case.
  const truthPromise = version ? djangoIds(cases) : Promise.resolve(new Map(cases.map((c) => [c.name, { ids: c.expected, error: null as string | null }])));
  // The engine in-process for every case (what the CLI runs), and the CLI itself on a sample to
  // prove the two agree.
  const ours = new Map<string, string[]>();
  for (const c of cases) ours.set(c.name, await engineIds(c, series));
  for (const c of cases.filter((_, i) => i % 16 === 0)) assert.deepEqual(await ourIds(c, series), ours.get(c.name), `CLI and engine disagree on ${c.name}`);
  const truth = await truthPromise;
  t.diagnostic(version ? `compared with live Django ${version}` : 'Django is not installed for /usr/bin/python3: compared with the ids Django 3.2 recorded in cases.json');
  const mismatches: string[] = [];
  for (const c of cases) {
    const expected = truth.get(c.name);
    if (!expected || expected.error) {
      mismatches.push(`${c.name}: Django could not load it (${expected?.error ?? 'missing result'})`);
      continue;
    }
    const want = expected.ids.filter(mirrored).sort();
    const got = ours.get(c.name) ?? [];
    if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push(`${c.name} (${c.covers})\n    django: ${want.join(' ') || '-'}\n    ours:   ${got.join(' ') || '-'}`);
  }
  assert.deepEqual(mismatches, []);
});
