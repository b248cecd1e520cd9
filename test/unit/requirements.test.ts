// The requirements parser against pip's line rules (spec §b.6 edge cases), PEP 440 versions and
// specifiers, the dependency model (pyproject/Poetry/Pipfile), and why the tree-sitter grammar is
// not the parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createParser } from '../../server/src/engine/parsing/grammars';
import { logicalLines, parseRequirements } from '../../server/src/engine/requirements/parse';
import { compareVersions, hasUpperBound, lowestAllowed, parseSpecifierSet, parseVersion, pinnedVersion, setContains } from '../../server/src/engine/requirements/pep440';
import { poetrySpecs } from '../../server/src/engine/requirements/model';
import { parseToml, tableEntries } from '../../server/src/engine/requirements/toml';
import { affecting, AS_OF, lowestAffected, lowestSafe, SNAPSHOT } from '../../server/src/engine/requirements/advisories';
import { RULES } from '../../server/src/engine/rules/index';
import { ruleMarkdown } from '../../server/src/engine/rules/render';
import { analyzeDir, writeProject } from '../helpers/engine';

const one = (line: string) => parseRequirements(line + '\n');
const kinds = (line: string) => one(line).problems.map((p) => p.kind);

describe('pip line rules (spec §b)', () => {
  test('django=4.2 and django = 4.2 are errors with a == fix', () => {
    for (const line of ['django=4.2', 'django = 4.2']) {
      const r = one(line);
      assert.deepEqual(r.problems.map((p) => p.kind), ['single-equals'], line);
      assert.equal(r.problems[0]!.fix?.newText, '==4.2');
    }
  });
  test('spaces around operators and commas are valid', () => {
    const r = one('Django >= 4.2 , < 5.0');
    assert.deepEqual(r.problems, []);
    assert.equal(r.requirements[0]!.key, 'django');
    assert.equal(r.requirements[0]!.specs!.length, 2);
  });
  test('a trailing comma in the specifier is an error', () => {
    assert.deepEqual(kinds('Django>=4.2,<5.0,'), ['trailing-comma']);
  });
  test('extras and a marker', () => {
    const r = one('requests[security,socks]>=2.31 ; python_version >= "3.8"').requirements[0]!;
    assert.deepEqual(r.extras, ['security', 'socks']);
    assert.equal(r.marker, 'python_version >= "3.8"');
    assert.equal(r.specText, '>=2.31');
  });
  test('URL requirement with a hash fragment and a marker (space before ; required)', () => {
    const r = one('pkg @ https://host/pkg-1.0.tar.gz#sha256=abc ; sys_platform == "linux"').requirements[0]!;
    assert.equal(r.url, 'https://host/pkg-1.0.tar.gz#sha256=abc');
    assert.equal(r.marker, 'sys_platform == "linux"');
    assert.equal(r.fileVersion, '1.0');
  });
  test('a URL keeps a ";" without a space before it', () => {
    const r = one('pkg @ https://host/a;b').requirements[0]!;
    assert.equal(r.url, 'https://host/a;b');
    assert.equal(r.marker, undefined);
  });
  test('editable VCS, editable path and a bare path', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const r = parseRequirements(`-e git+https://github.com/o/r.git@${sha}#egg=r\n-e .\n.\n`).requirements;
    assert.equal(r.length, 3);
    assert.equal(r[0]!.editable, true);
    assert.equal(r[0]!.name, 'r');
    assert.deepEqual(r[0]!.vcs, { scheme: 'git', ref: sha });
    assert.equal(r[1]!.path, '.');
    assert.equal(r[1]!.editable, true);
    assert.equal(r[2]!.path, '.');
    assert.equal(r[2]!.editable, false);
  });
  test('wheel and sdist paths carry their version', () => {
    const [w, s] = parseRequirements('./wheels/Django-5.2.9-py3-none-any.whl\n./dist/gunicorn-23.0.0.tar.gz\n').requirements;
    assert.equal(w!.key, 'django');
    assert.equal(w!.fileVersion, '5.2.9');
    assert.equal(s!.key, 'gunicorn');
    assert.equal(s!.fileVersion, '23.0.0');
  });
  test('pip-compile --hash continuation blocks; a comment ends the block', () => {
    const text = 'django==4.2.27 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\n    # via -r requirements.in\ngunicorn==23.0.0 \\\n    --hash=sha256:ccc\n';
    const r = parseRequirements(text);
    assert.deepEqual(r.problems, []);
    assert.equal(r.requirements.length, 2);
    assert.deepEqual(r.requirements[0]!.hashes.map((h) => h.value), ['aaa', 'bbb']);
    assert.equal(r.requirements[0]!.line, 0);
    assert.equal(r.requirements[0]!.lastLine, 2);
    assert.deepEqual(r.requirements[0]!.hashes[1]!.range.start, { line: 2, character: 4 });
    assert.equal(r.requirements[1]!.line, 4);
  });
  test('includes in every spelling; remote constraints are recorded, not fetched', () => {
    const r = parseRequirements('-r ../base.txt\n-rbase.txt\n--requirement=base.txt\n-c https://example/constraints.txt\n');
    assert.deepEqual(r.includes.map((i) => [i.kind, i.target]), [['requirement', '../base.txt'], ['requirement', 'base.txt'], ['requirement', 'base.txt'], ['constraint', 'https://example/constraints.txt']]);
    assert.deepEqual(r.problems, []);
  });
  test('${VAR} in an option and in the version position is opaque, not an error', () => {
    const r = parseRequirements('--index-url ${PIP_INDEX_URL}\npkg==${VER}\n');
    assert.deepEqual(r.problems, []);
    assert.equal(r.options[0]!.value, '${PIP_INDEX_URL}');
    assert.equal(r.requirements[0]!.opaqueVersion, true);
  });
  test('CRLF, a UTF-8 BOM, a form feed and no trailing newline', () => {
    const r = parseRequirements('\uFEFFDjango==5.2.9\r\ngunicorn==23.0.0\fwhitenoise==6.8.2\r\nredis==5.2.1');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.requirements.map((x) => x.key), ['django', 'gunicorn', 'whitenoise', 'redis']);
    // The form feed splits for pip but not for the editor: same editor line, later column.
    assert.deepEqual([r.requirements[2]!.line, r.requirements[2]!.range.start.character], [1, 17]);
    assert.equal(r.requirements[3]!.line, 2);
  });
  test('a line with only whitespace and a backslash', () => {
    const r = parseRequirements('Django==5.2.9\n   \\\ngunicorn==23.0.0\n');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.requirements.map((x) => x.key), ['django', 'gunicorn']);
  });
  test('quotes around a requirement are invalid', () => {
    assert.deepEqual(kinds('"django==4.2"'), ['quoted']);
  });
  test('pip freeze artefacts: file URLs, editable VCS, 0.0.0 placeholders', () => {
    const r = parseRequirements('mypkg @ file:///home/u/src/mypkg\n-e git+https://github.com/o/r.git@0123456789abcdef0123456789abcdef01234567#egg=r\nfoo==0.0.0\n');
    assert.deepEqual(r.problems, []);
    assert.equal(r.requirements[0]!.url, 'file:///home/u/src/mypkg');
    assert.equal(r.requirements[2]!.specText, '==0.0.0');
  });
  test('"#" without whitespace before it is not a comment', () => {
    assert.deepEqual(kinds('pkg==1.0#note'), ['comment-no-space']);
    assert.deepEqual(kinds('pkg==1.0  # note'), []);
  });
  test('continuation joins without a separator; trailing whitespace after "\\" breaks it', () => {
    assert.deepEqual(logicalLines('foo\\\nbar\n').map((l) => l.text), ['foobar']);
    const r = parseRequirements('Django==5.2.9 \\  \n    --hash=sha256:aaa\n');
    assert.ok(r.problems.some((p) => p.kind === 'trailing-ws-continuation'));
  });
  test('a tab is not an option separator', () => {
    assert.deepEqual(kinds('django==4.2\t--hash=sha256:abc'), ['tab']);
  });
  test('unknown options, unbalanced extras, a marker without ";"', () => {
    assert.deepEqual(kinds('--foo'), ['unknown-option']);
    assert.deepEqual(kinds('django['), ['syntax']);
    assert.match(one('django==4.2 python_version<"3"').problems[0]!.message, /";"/);
  });
  test('-r on a requirement line is ignored by pip and reported', () => {
    assert.deepEqual(kinds('django==4.2 -r other.txt'), ['option-on-requirement']);
  });
  test('PEP 503 names', () => {
    assert.deepEqual(parseRequirements('Django_Redis==5.4.0\npsycopg2_binary==2.9.10\n').requirements.map((r) => r.key), ['django-redis', 'psycopg2-binary']);
  });
});

describe('PEP 440', () => {
  const v = (s: string) => parseVersion(s)!;
  test('normalisation and ordering', () => {
    assert.equal(compareVersions(v('1.0.0'), v('1.0')), 0);
    assert.equal(compareVersions(v('v1.0-ALPHA.1'), v('1.0a1')), 0);
    assert.equal(compareVersions(v('1.0c1'), v('1.0rc1')), 0);
    const order = ['1.0.dev0', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local.1', '1.0.post1', '1.1.dev1', '1.1', '1!0.1'];
    for (let i = 1; i < order.length; i++) assert.ok(compareVersions(v(order[i - 1]!), v(order[i]!)) < 0, `${order[i - 1]} < ${order[i]}`);
    assert.ok(compareVersions(v('4.2.10'), v('4.2.9')) > 0, 'never string order');
    assert.equal(parseVersion('not-a-version'), undefined);
  });
  test('specifiers', () => {
    const s = (t: string) => parseSpecifierSet(t)!;
    assert.ok(setContains(s('==4.2.*'), v('4.2.27')));
    assert.ok(!setContains(s('==4.2.*'), v('4.3')));
    assert.ok(setContains(s('~=4.2.3'), v('4.2.9')) && !setContains(s('~=4.2.3'), v('4.3.0')));
    assert.ok(setContains(s('~=4.2'), v('4.9')) && !setContains(s('~=4.2'), v('5.0')));
    assert.ok(!setContains(s('<3.0'), v('3.0rc1')), '<3.0 excludes 3.0 pre-releases');
    assert.ok(!setContains(s('>1.7'), v('1.7.post1')), '>1.7 excludes 1.7 post-releases');
    assert.ok(!setContains(s('>=1.0'), v('2.0b1')), 'pre-releases only when asked');
    assert.ok(setContains(s('>=1.0'), v('2.0b1'), true));
    assert.ok(setContains(s('==1.0+local'), v('1.0+local')) && !setContains(s('==1.0+local'), v('1.0+other')));
    assert.ok(setContains(s('==1.0'), v('1.0+anything')));
    assert.ok(setContains(s('!=4.2.5'), v('4.2.6')) && !setContains(s('!=4.2.*'), v('4.2.6')));
    assert.equal(parseSpecifierSet('~=4'), undefined, '~= needs two segments');
    assert.equal(parseSpecifierSet('>=4.*'), undefined);
    assert.equal(parseSpecifierSet('>=4.2,'), undefined);
    assert.equal(pinnedVersion(s('==4.2.27'))?.text, '4.2.27');
    assert.equal(pinnedVersion(s('>=4.2')), undefined);
    assert.ok(!hasUpperBound(s('>=4.2')) && hasUpperBound(s('>=4.2,<5')));
    assert.equal(lowestAllowed(s('>4.2'))?.text, '4.2.1');
  });
  test('Poetry constraints', () => {
    const spec = (t: string) => poetrySpecs(t)!.map((x) => `${x.op}${x.text}`).join(',');
    assert.equal(spec('^4.2'), '>=4.2,<5.0');
    assert.equal(spec('^0.2.3'), '>=0.2.3,<0.3');
    assert.equal(spec('~4.2.1'), '>=4.2.1,<4.3');
    assert.equal(spec('4.2.1'), '==4.2.1');
    assert.equal(spec('*'), '');
  });
});

describe('advisory snapshot', () => {
  test('has a date, a source and a licence, and the messages and docs show them', async () => {
    assert.match(SNAPSHOT.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(SNAPSHOT.source, /advisory-database/);
    assert.match(SNAPSHOT.license, /CC-BY-4\.0/);
    const docs = ruleMarkdown(RULES.find((r) => r.id === 'REQ-DJANGO-VULNERABLE')!);
    assert.ok(docs.includes(SNAPSHOT.date) && docs.includes('CC-BY-4.0'));
    const dir = writeProject({ 'manage.py': '', 'requirements.txt': 'Django==4.2.11\ngunicorn==23.0.0\n' });
    const { analyzer, findings } = await analyzeDir(dir);
    const f = findings.find((x) => x.code === 'REQ-DJANGO-VULNERABLE')!;
    analyzer.dispose();
    assert.ok(f.message.includes(AS_OF));
    assert.match(f.message, /CVE-2025-64459/);
    assert.match(f.message, /fixed in 4\.2\.27/);
    assert.equal(f.severity, 'error');
  });
  test('affected ranges use PEP 440 order per series', () => {
    assert.ok(affecting('django', parseVersion('4.2.26')!).some((h) => h.advisory.aliases.includes('CVE-2025-13372')));
    assert.deepEqual(affecting('django', parseVersion('4.2.27')!), []);
    assert.deepEqual(affecting('django', parseVersion('5.2.9')!), []);
    assert.ok(!affecting('django', parseVersion('4.2.20')!).some((h) => h.advisory.aliases.includes('CVE-2025-27556')), '4.2 was not affected by CVE-2025-27556');
    assert.equal(lowestSafe('django', parseVersion('5.1.2')!)?.text, '5.1.15');
    // The log-injection fix is recommended at the follow-up release.
    assert.equal(lowestSafe('django', parseVersion('5.2.1')!)?.text, '5.2.9');
    assert.equal(lowestSafe('gunicorn', parseVersion('21.2.0')!)?.text, '23.0.0');
    assert.equal(lowestAffected('django', parseSpecifierSet('>=5.2.9,<6')!), undefined);
    assert.equal(lowestAffected('django', parseSpecifierSet('>=4.2,<5')!)?.version.text, '4.2');
  });
});

describe('pyproject.toml and Pipfile', () => {
  test('TOML tables, multi-line arrays and inline tables', () => {
    const t = parseToml('[project]\nname = "x"\ndependencies = [\n  "Django>=5.2",  # comment\n  \'gunicorn==23.0.0\',\n]\n[tool.poetry.dependencies]\npython = "^3.12"\ndjango = { version = "^5.2", extras = ["argon2"] }\n');
    const deps = tableEntries(t, ['project']).find((e) => e.key[0] === 'dependencies')!.value;
    assert.equal(deps.kind, 'array');
    assert.equal(deps.kind === 'array' && deps.items.length, 2);
    assert.equal(tableEntries(t, ['tool', 'poetry', 'dependencies']).length, 2);
  });
  test('cross-file: pyproject dependencies and Pipfile packages count as production', async () => {
    const dir = writeProject({
      'manage.py': '',
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["Django>=5.2.9,<6", "gunicorn==23.0.0"]\n[dependency-groups]\ndev = ["django-debug-toolbar"]\n',
    });
    const { analyzer, findings } = await analyzeDir(dir);
    analyzer.dispose();
    const codes = findings.map((f) => f.code);
    assert.ok(!codes.includes('REQ-MISSING-APP-SERVER'));
    assert.ok(!codes.includes('REQ-DEV-PKG-IN-PROD'), 'dependency groups are dev');
    assert.ok(!codes.includes('REQ-UNPINNED') && !codes.includes('REQ-NOT-EXACT'), 'ranges are normal in pyproject');
  });
});

describe('why not tree-sitter-requirements (evidence kept for the decision in parse.ts)', () => {
  test('the grammar disagrees with pip on valid and invalid lines', async () => {
    const parser = await createParser('requirements');
    const hasError = (s: string) => {
      const tree = parser.parse(s + '\n')!;
      const bad = tree.rootNode.hasError;
      tree.delete();
      return bad;
    };
    // Valid for pip, rejected by the grammar:
    assert.ok(hasError('Django >= 4.2 , < 5.0'));
    assert.ok(hasError('pkg @ https://host/a;b'));
    assert.ok(hasError('--index-url ${PIP_INDEX_URL}'));
    // Invalid for pip (one malformed requirement), accepted by the grammar:
    assert.ok(!hasError('django==4.2\t--hash=sha256:abc'));
    parser.delete();
  });
});
