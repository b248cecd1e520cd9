// The server's editor settings: parsing, defaults, and agreement with package.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, SETTING_DEFAULTS, parseSettings, sameAnalysis, toAnalyzerOptions } from '../../server/src/lsp/settings';
import { Commands } from '../../server/src/protocol';
import { REPO_ROOT } from '../helpers/engine';

test('missing or null configuration gives the defaults', () => {
  assert.deepEqual(parseSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings(null), DEFAULT_SETTINGS);
  assert.deepEqual(parseSettings({}), DEFAULT_SETTINGS);
  assert.equal(DEFAULT_SETTINGS.debounceMs, 200);
});

test('valid values are taken, invalid ones reported and ignored', () => {
  const warnings: string[] = [];
  const s = parseSettings(
    {
      enable: false,
      run: 'onSave',
      debounceMs: 0,
      exclude: ['vendor/**', 3, ' '],
      settingsModule: ' proj.settings.prod ',
      djangoVersion: '4.2',
      rules: { severity: { 'DJ-SEC-001': 'off', 'dj-sec-022': 'hint', 'csrf-middleware-missing': 'error', 'DJ-SEC-027': 'loud' } },
    },
    (m) => warnings.push(m),
  );
  assert.equal(s.enable, false);
  assert.equal(s.run, 'onSave');
  assert.equal(s.debounceMs, 0);
  assert.deepEqual(s.exclude, ['vendor/**']);
  assert.equal(s.settingsModule, 'proj.settings.prod');
  assert.deepEqual(s.severity, { 'DJ-SEC-001': 'off', 'DJ-SEC-022': 'hint', 'DJ-SEC-037': 'error' });
  assert.equal(warnings.length, 3, warnings.join('\n'));
  const bad = parseSettings({ enable: 'yes', run: 'always', debounceMs: -1, djangoVersion: 'five', rules: { severity: [] } }, (m) => warnings.push(m));
  assert.deepEqual(bad, DEFAULT_SETTINGS);
});

test('settings map onto AnalyzerOptions', () => {
  const o = toAnalyzerOptions(parseSettings({ settingsModule: 'proj.settings.prod', djangoVersion: '4.2', exclude: ['a/**'], rules: { severity: { 'DJ-SEC-001': 'off' } } }));
  assert.equal(o.settingsOverride, 'proj.settings.prod');
  assert.deepEqual(o.djangoVersion, { major: 4, minor: 2, source: 'djangoReadiness.djangoVersion setting' });
  assert.deepEqual(o.exclude, ['a/**']);
  assert.deepEqual(o.severity, { 'DJ-SEC-001': 'off' });
  const d = toAnalyzerOptions(DEFAULT_SETTINGS);
  assert.equal(d.settingsOverride, undefined);
  assert.equal(d.djangoVersion, undefined);
  assert.ok(sameAnalysis(DEFAULT_SETTINGS, parseSettings({ run: 'onSave', debounceMs: 5, enable: false })));
  assert.ok(!sameAnalysis(DEFAULT_SETTINGS, parseSettings({ exclude: ['x'] })));
});

interface ConfigSection {
  title: string;
  properties: Record<string, { type: string | string[]; default: unknown; scope?: string; description?: string; markdownDescription?: string }>;
}

test('package.json declares exactly the settings the server reads, with the same defaults, resource-scoped', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const sections: ConfigSection[] = manifest.contributes.configuration;
  assert.ok(Array.isArray(sections), 'the array-of-sections form');
  const props = Object.assign({}, ...sections.map((s) => s.properties)) as ConfigSection['properties'];
  const ours = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('djangoReadiness.')));
  assert.deepEqual(Object.keys(ours).map((k) => k.slice('djangoReadiness.'.length)).sort(), Object.keys(SETTING_DEFAULTS).sort());
  for (const [key, p] of Object.entries(ours)) {
    assert.deepEqual(p.default, SETTING_DEFAULTS[key.slice('djangoReadiness.'.length)], `${key} default`);
    assert.equal(p.scope, 'resource', `${key} scope`);
    assert.ok(p.description || p.markdownDescription, `${key} description`);
  }
  for (const s of sections) assert.ok(s.title, 'every section has a title');
});

test('package.json contributes the commands, activation events and capabilities', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const commands: { command: string; title: string; category: string }[] = manifest.contributes.commands;
  for (const id of Object.values(Commands)) {
    const c = commands.find((x) => x.command === id);
    assert.ok(c, id);
    assert.equal(c.category, 'Django Readiness');
  }
  for (const e of ['workspaceContains:**/manage.py', 'onLanguage:python', 'onLanguage:dockerfile', 'onLanguage:pip-requirements']) {
    assert.ok(manifest.activationEvents.includes(e), e);
  }
  assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: false });
  assert.deepEqual(manifest.extensionKind, ['workspace']);
  assert.equal(manifest.main, './client/out/extension.js');
});
