// scripts/update-advisories.mjs turns an advisory-database checkout (OSV YAML/JSON) into the
// snapshot format the engine reads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/engine';

test('update-advisories reads PyPA YAML and OSV JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'djr-advdb-'));
  mkdirSync(join(dir, 'vulns', 'gunicorn'), { recursive: true });
  mkdirSync(join(dir, 'vulns', 'django'), { recursive: true });
  writeFileSync(join(dir, 'vulns', 'gunicorn', 'PYSEC-2018-55.yaml'), `id: PYSEC-2018-55
details: 'gunicorn version 19.4.5 contains a CWE-113: Improper Neutralization of CRLF
  Sequences in HTTP Headers vulnerability. This vulnerability appears to have been fixed in 19.5.0.'
aliases:
- CVE-2018-1000164
modified: '2021-07-15T02:22:14.592267Z'
published: '2018-04-18T19:29:00Z'
affected:
- package:
    name: gunicorn
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: '0'
    - fixed: 19.5.0
  versions:
  - '0.1'
  - 19.4.5
`);
  writeFileSync(join(dir, 'vulns', 'django', 'PYSEC-2099-1.json'), JSON.stringify({
    id: 'PYSEC-2099-1', aliases: ['CVE-2099-0001'], published: '2099-01-01T00:00:00Z', details: 'SQL injection in something. More text.',
    affected: [{ package: { name: 'django', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '5.2' }, { fixed: '5.2.99' }, { introduced: '6.0' }, { fixed: '6.0.9' }] }] }],
  }));
  const out = join(dir, 'out.json');
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/update-advisories.mjs'), dir, '--packages', 'django,gunicorn', '--date', '2099-01-02', '--out', out]);
  const snap = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(snap.snapshotDate, '2099-01-02');
  assert.match(snap.license, /CC-BY-4\.0/);
  assert.deepEqual(snap.packages.gunicorn.advisories[0].ranges, [{ introduced: '0', fixed: '19.5.0', recommended: undefined }].map((r) => ({ introduced: r.introduced, fixed: r.fixed })));
  assert.deepEqual(snap.packages.gunicorn.advisories[0].aliases, ['CVE-2018-1000164']);
  const dj = snap.packages.django.advisories[0];
  assert.equal(dj.severity, 'high');
  assert.deepEqual(dj.ranges, [{ introduced: '5.2', fixed: '5.2.99' }, { introduced: '6.0', fixed: '6.0.9' }]);
  assert.ok(snap.django.series['5.2'], 'the Django series table is kept');
});
