// Spec §0.2 boolean parse idioms: the value when the variable is unset and the type once it is
// set (DJ-ENV-002 tells the broken idioms apart by these two facts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PyType } from '../../server/src/engine/settings/value';
import { assertEnv, evaluateSettings } from './evaluatorHelpers';

const IDIOMS: { expr: string; unset: unknown; setType: PyType }[] = [
  { expr: 'os.getenv("X", "False").lower() in ("1", "true", "yes")', unset: false, setType: 'bool' },
  { expr: 'os.getenv("X", "True").lower() in {"1", "true", "yes"}', unset: true, setType: 'bool' },
  { expr: 'os.getenv("X", "False") == "True"', unset: false, setType: 'bool' },
  { expr: 'os.environ.get("X", "0") == "1"', unset: false, setType: 'bool' },
  { expr: 'int(os.getenv("X", "0"))', unset: 0, setType: 'int' },
  { expr: 'bool(int(os.getenv("X", 0)))', unset: false, setType: 'bool' },
  { expr: 'json.loads(os.getenv("X", "false"))', unset: false, setType: 'unknown' },
  { expr: 'ast.literal_eval(os.getenv("X", "False"))', unset: false, setType: 'unknown' },
  { expr: 'bool(os.getenv("X"))', unset: false, setType: 'bool' },
  { expr: 'bool(os.environ.get("X", ""))', unset: false, setType: 'bool' },
  { expr: 'os.getenv("X", False)', unset: false, setType: 'str' },
  { expr: 'os.getenv("X", True)', unset: true, setType: 'str' },
  { expr: '"X" in os.environ', unset: false, setType: 'bool' },
  { expr: 'strtobool(os.getenv("X", "False"))', unset: 0, setType: 'int' },
  { expr: 'bool(strtobool(os.getenv("X", "yes")))', unset: true, setType: 'bool' },
  { expr: 'os.getenv("X", "false").lower() == "true"', unset: false, setType: 'bool' },
  { expr: 'os.environ.get("X", "False").strip().lower() not in ("0", "false", "no", "")', unset: false, setType: 'bool' },
];

for (const { expr, unset, setType } of IDIOMS) {
  test(`idiom ${expr}`, async () => {
    const e = await evaluateSettings(`import ast\nimport json\nimport os\nfrom distutils.util import strtobool\nDEBUG = ${expr}\n`);
    assert.equal(e.py('DEBUG'), unset);
    assertEnv(e.value('DEBUG'), ['X'], setType);
  });
}

test('json.loads / literal_eval of a spelling they reject raise ValueError', async () => {
  const e = await evaluateSettings('import ast\nimport json\nimport os\nA = json.loads(os.getenv("X", "False"))\nB = ast.literal_eval(os.getenv("Y", "false"))\nC = json.loads(os.getenv("Z", "[1, 2]"))\n');
  assert.equal(e.value('A').kind, 'unknown');
  assert.equal(e.value('B').kind, 'unknown');
  assert.deepEqual(e.py('C'), [1, 2]);
});

test('strtobool rejects an unknown spelling (ValueError)', async () => {
  const e = await evaluateSettings('import os\nfrom distutils.util import strtobool\nDEBUG = strtobool(os.getenv("X", "maybe"))\n');
  assert.equal(e.value('DEBUG').kind, 'unknown');
});
