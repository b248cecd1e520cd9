// Every rule has a fixture pair: fires.py must produce the rule, passes.py must not. Every fix the
// rule offers on fires.py must leave Python that parses, remove the finding on re-check, and change
// nothing when applied again.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../server/src/engine/rules/index';
import { analyzeDir, analyzeSettings, FIXTURES } from '../helpers/engine';
import { pythonParses } from '../helpers/python';

const RULE_FIXTURES = join(FIXTURES, 'rules');

function versionOf(text: string) {
  const m = /django-version:\s*(\d+)\.(\d+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), source: 'fixture' } : undefined;
}

test('every rule has a fixture pair', () => {
  const dirs = new Set(readdirSync(RULE_FIXTURES));
  const missing = RULES.filter((r) => !dirs.has(r.id)).map((r) => r.id);
  assert.deepEqual(missing, []);
});

/**
 * A fixture is either `fires.py`/`passes.py` (a settings module, analysed as production) or
 * `fires/`/`passes/` (a whole project folder, for rules about views, requirements, Dockerfiles...).
 * Project folders may hold `.djr.json` with analyzer options (e.g. {"djangoVersion": "4.2"}).
 */
async function analyzeFixture(ruleId: string, kind: 'fires' | 'passes') {
  const dir = join(RULE_FIXTURES, ruleId, kind);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const copy = copyProject(dir);
    const optionsFile = join(dir, '.djr.json');
    const raw = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as { djangoVersion?: string; settings?: string }) : {};
    const options = {
      djangoVersion: raw.djangoVersion ? versionOf(`django-version: ${raw.djangoVersion}`) : undefined,
      settingsOverride: raw.settings,
    };
    return analyzeDir(copy, options);
  }
  const text = readFileSync(join(RULE_FIXTURES, ruleId, `${kind}.py`), 'utf8');
  return analyzeSettings(text, { djangoVersion: versionOf(text) });
}

function copyProject(dir: string): string {
  const target = mkdtempSync(join(tmpdir(), 'djr-fixture-'));
  cpSync(dir, target, { recursive: true });
  return target;
}

for (const rule of RULES) {
  describe(rule.id, () => {
    test('fires on its "fires" fixture', async () => {
      const { analyzer, findings } = await analyzeFixture(rule.id, 'fires');
      try {
        assert.ok(findings.some((f) => f.code === rule.id), `no ${rule.id} in ${JSON.stringify(findings.map((f) => f.code))}`);
      } finally {
        analyzer.dispose();
      }
    });

    test('stays quiet on its "passes" fixture', async () => {
      const { analyzer, findings } = await analyzeFixture(rule.id, 'passes');
      try {
        const hits = findings.filter((f) => f.code === rule.id);
        assert.deepEqual(hits.map((f) => f.message), []);
      } finally {
        analyzer.dispose();
      }
    });

    test('its preferred fixes leave valid Python, clear the finding and are idempotent', async () => {
      const { analyzer, findings } = await analyzeFixture(rule.id, 'fires');
      try {
        const fixable = findings.filter((f) => f.code === rule.id && f.fixes.some((x) => x.safe));
        if (fixable.length === 0) return;
        const own = (f: { code: string }) => f.code === rule.id;
        const changed = analyzer.fixAll(5, own);
        assert.ok(changed.size > 0, 'the fix changed nothing');
        for (const [file, text] of changed) {
          if (!file.endsWith('.py')) continue;
          const parsed = pythonParses(text);
          assert.ok(parsed.ok, `${file} no longer parses:\n${parsed.error}\n${text}`);
        }
        const after = analyzer.analyze().findings.filter(own);
        assert.deepEqual(after.map((f) => `${f.range.start.line}: ${f.message}`), []);
        const again = analyzer.fixAll(5, own);
        assert.equal(again.size, 0, 'applying the fix twice changed something');
      } finally {
        analyzer.dispose();
      }
    });
  });
}

test('the fully hardened base fixture has no findings at all', async () => {
  const { analyzer, findings } = await analyzeSettings(readFileSync(join(RULE_FIXTURES, 'DJ-OPS-029', 'passes.py'), 'utf8'));
  try {
    assert.deepEqual(findings.map((f) => `${f.code} ${f.message}`), []);
  } finally {
    analyzer.dispose();
  }
});
