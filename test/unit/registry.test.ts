import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/engine/rules/index';
import { readmeWithTable, ruleMarkdown } from '../../server/src/engine/rules/render';
import { REPO_ROOT } from '../helpers/engine';

test('rule ids and names are unique and match their files', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
  const rulesDir = join(REPO_ROOT, 'server/src/engine/rules');
  const files = readdirSync(rulesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(rulesDir, d.name)).filter((f) => /^(DJ|REQ|DOCKER|COMPOSE|ENV|GITIGNORE|GUNICORN)-[A-Z0-9-]+\.ts$/.test(f)))
    .map((f) => f.replace(/\.ts$/, ''));
  assert.deepEqual([...ids].sort(), files.sort());
  for (const r of RULES) {
    assert.match(r.id, /^(DJ-(SEC|ENV|OPS|API|VIEW|URL)-\d{3}|(REQ|DOCKER|COMPOSE|ENV|GITIGNORE|GUNICORN)(-[A-Z0-9]+)+)$/);
    assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.docs.includes('Before') || r.docs.includes('```'), `${r.id} docs need an example`);
    for (const c of r.djangoChecks) assert.match(c, /^[a-z0-9_]+\.[A-Z]\d{3}$/);
  }
});

test('docs/rules and the README table are up to date (npm run docs regenerates them)', () => {
  for (const r of RULES) {
    const page = readFileSync(join(REPO_ROOT, 'docs/rules', `${r.id}.md`), 'utf8');
    assert.equal(page, ruleMarkdown(r), `docs/rules/${r.id}.md is stale`);
  }
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, readmeWithTable(readme), 'README rule table is stale');
});
