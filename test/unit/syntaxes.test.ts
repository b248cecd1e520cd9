// The TextMate grammars for pip requirements and dotenv files: valid JSON, a scopeName, every regex
// compiles (JavaScript RegExp as a stand-in for Oniguruma: the grammars avoid Oniguruma-only syntax
// such as \h, \A, \G, possessive quantifiers and (?i) groups), the contributions point at real
// files, and the grammars tokenise representative lines as intended.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/engine';

const SYNTAXES = join(REPO_ROOT, 'syntaxes');
const GRAMMARS = ['pip-requirements.tmLanguage.json', 'dotenv.tmLanguage.json'];

function regexes(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) regexes(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end' || k === 'while') && typeof v === 'string') out.push(v);
      else regexes(v, out);
    }
  }
  return out;
}

for (const file of GRAMMARS) {
  test(`${file} is valid JSON with a scopeName and regexes that compile`, () => {
    const g = JSON.parse(readFileSync(join(SYNTAXES, file), 'utf8')) as { scopeName: string; patterns: unknown[]; repository: Record<string, unknown> };
    assert.match(g.scopeName, /^source\./);
    assert.ok(g.patterns.length > 0);
    const res = regexes(g);
    assert.ok(res.length > 5);
    for (const re of res) {
      assert.doesNotThrow(() => new RegExp(re), re);
      // Character classes stripped, then: \h \A \G \z, inline flag groups, possessive quantifiers.
      const outsideClasses = re.replace(/\\\\/g, '').replace(/\[(?:\\.|[^\]\\])*\]/g, '');
      assert.doesNotMatch(outsideClasses, /\\[hHAGzZ]|\(\?[imx]+\)|[*+?}]\+/, `Oniguruma-only syntax in ${re}`);
    }
    // Every include points at a repository entry.
    for (const m of JSON.stringify(g).matchAll(/"include":"#([\w-]+)"/g)) assert.ok(g.repository[m[1]!], `#${m[1]} is not in the repository`);
  });
}

test('package.json contributes the shared language ids with existing files', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { languages: { id: string; configuration: string }[]; grammars: { language: string; scopeName: string; path: string }[] } };
  const c = pkg.contributes;
  assert.deepEqual(c.languages.map((l) => l.id), ['pip-requirements', 'dotenv']);
  for (const l of c.languages) assert.ok(existsSync(join(REPO_ROOT, l.configuration)), l.configuration);
  for (const g of c.grammars) {
    assert.ok(existsSync(join(REPO_ROOT, g.path)), g.path);
    const grammar = JSON.parse(readFileSync(join(REPO_ROOT, g.path), 'utf8')) as { scopeName: string };
    assert.equal(grammar.scopeName, g.scopeName);
    assert.ok(c.languages.some((l) => l.id === g.language));
  }
});

test('the requirements grammar follows pip: a comment needs whitespace before "#"', () => {
  const g = JSON.parse(readFileSync(join(SYNTAXES, 'pip-requirements.tmLanguage.json'), 'utf8')) as { repository: { comment: { match: string }; requirement: { begin: string } } };
  const comment = new RegExp(g.repository.comment.match);
  assert.ok(comment.test('gunicorn==23.0.0  # server'));
  assert.ok(comment.test('# a comment'));
  assert.ok(!comment.test('pkg==1.0#note'));
  assert.ok(!comment.test('pkg @ https://host/p.tar.gz#sha256=abc'));
  assert.equal(new RegExp(g.repository.requirement.begin).exec('Django[argon2]>=5.2')?.[1], 'Django');
});
