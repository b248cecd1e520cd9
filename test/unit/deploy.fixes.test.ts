// Every fix of the deployment-file rules — safe or not, including those that create files — applied
// on the rule's "fires" fixture: the finding it was offered for goes away, the edited files still
// parse with their own parser, and the rule does not offer the same fix again (idempotent).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { Analyzer } from '../../server/src/engine/analyzer';
import { YamlDocument } from '../../server/src/engine/deploy/yaml';
import { applyEdits } from '../../server/src/engine/fixes/apply';
import { parseRequirements } from '../../server/src/engine/requirements/parse';
import { parseToml } from '../../server/src/engine/requirements/toml';
import { RULES } from '../../server/src/engine/rules/index';
import type { Finding, Fix } from '../../server/src/engine/types';
import { FIXTURES } from '../helpers/engine';
import { pythonParses } from '../helpers/python';

const DEPLOY = /^(REQ|DOCKER|COMPOSE|ENV|GITIGNORE|GUNICORN)-/;

function copy(dir: string): string {
  const target = mkdtempSync(join(tmpdir(), 'djr-fix-'));
  cpSync(dir, target, { recursive: true });
  return target;
}

function applyFix(root: string, fix: Fix, before: Map<string, string>): string[] {
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const touched: string[] = [];
  for (const [file, edits] of byFile) {
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    before.set(file, old);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, applyEdits(old, edits).text);
    touched.push(file);
  }
  return touched.filter((f) => f.startsWith(root));
}

function checkParses(file: string, previous: string): void {
  const text = readFileSync(file, 'utf8');
  const name = file.split('/').pop()!;
  if (file.endsWith('.py')) {
    const r = pythonParses(text);
    assert.ok(r.ok, `${file} no longer parses: ${r.error}`);
  } else if (/requirements.*\.txt$|\/requirements\/.*\.txt$/.test(file)) {
    // No new parse problems (a fixture may hold several; one fix removes one).
    const errors = (t: string) => parseRequirements(t).problems.filter((p) => p.kind !== 'option-on-requirement' && p.kind !== 'trailing-ws-continuation').length;
    assert.ok(errors(text) <= errors(previous) && (errors(previous) === 0 || errors(text) < errors(previous) || !/requirements/.test(file)), `${file}:\n${text}`);
  } else if (/Dockerfile/.test(name)) {
    const df = DockerfileParser.parse(text);
    const known = new Set(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL']);
    for (const i of df.getInstructions()) assert.ok(known.has(i.getKeyword()), `${file}: unknown instruction ${i.getKeyword()}`);
  } else if (/\.ya?ml$/.test(name)) {
    assert.equal(new YamlDocument(text).root?.kind, 'map', `${file} is no longer a YAML mapping`);
  } else if (/\.toml$|^Pipfile$/.test(name)) {
    assert.ok(parseToml(text).length > 0);
  }
}

const same = (a: Finding, b: Finding) => a.code === b.code && a.file === b.file && a.range.start.line === b.range.start.line && a.message === b.message;

for (const rule of RULES.filter((r) => DEPLOY.test(r.id))) {
  describe(`${rule.id} fixes`, () => {
    test('every offered fix clears its finding, keeps files parseable and is not offered again', async () => {
      const fixture = join(FIXTURES, 'rules', rule.id, 'fires');
      const probe = await Analyzer.create(copy(fixture));
      const findings = probe.analyze().findings.filter((f) => f.code === rule.id);
      const root0 = probe.root;
      probe.dispose();
      for (const [fi, finding] of findings.entries()) {
        for (const [xi, fix] of finding.fixes.entries()) {
          if (fix.edits.length === 0) continue;
          const root = copy(fixture);
          const rebase = (p: string) => join(root, relative(root0, p));
          const rebased: Fix = { ...fix, edits: fix.edits.map((e) => ({ ...e, file: rebase(e.file) })) };
          const before = new Map<string, string>();
          const touched = applyFix(root, rebased, before);
          for (const f of touched) checkParses(f, before.get(f) ?? '');
          const after = await Analyzer.create(root);
          try {
            const again = after.analyze().findings.filter((f) => f.code === rule.id);
            const target = { ...finding, file: rebase(finding.file) };
            assert.ok(!again.some((f) => same(f, target)), `${rule.id} finding ${fi} fix ${xi} ("${fix.title}") did not clear: ${finding.message}`);
            const repeated = again.flatMap((f) => f.fixes).some((f) => f.title === fix.title && JSON.stringify(f.edits.map((e) => e.newText)) === JSON.stringify(rebased.edits.map((e) => e.newText)) && f.edits.every((e, i) => e.file === rebased.edits[i]?.file && e.range.start.line === rebased.edits[i]?.range.start.line));
            assert.ok(!repeated, `${rule.id} fix "${fix.title}" is offered again after applying it`);
          } finally {
            after.dispose();
          }
        }
      }
    });
  });
}
