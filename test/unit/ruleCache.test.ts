// The rule cache: entries stay valid until a file, a fact or a setting they depend on changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyDependencies, RuleResultCache } from '../../server/src/engine/ruleCache';

test('an entry survives changes to other files and falls with a change to its own', () => {
  const cache = new RuleResultCache();
  const deps = emptyDependencies();
  deps.files.add('/p/views.py');
  cache.set('r', deps, undefined, []);
  cache.touch('/p/settings.py');
  assert.deepEqual(cache.get('r', undefined), []);
  cache.touch('/p/views.py');
  assert.equal(cache.get('r', undefined), undefined);
});

test('a fact keeps an entry valid while it comes out the same', () => {
  const cache = new RuleResultCache();
  const deps = emptyDependencies();
  let answer = 'n';
  deps.facts.set('f', { file: '/p/base.py', value: 'n', recompute: () => answer });
  cache.set('r', deps, undefined, []);
  cache.touch('/p/base.py');
  assert.deepEqual(cache.get('r', undefined), []);
  answer = 'y';
  cache.touch('/p/base.py');
  assert.equal(cache.get('r', undefined), undefined);
});

test('a long session drops old changes; an entry last checked before them is recomputed', () => {
  const cache = new RuleResultCache();
  const deps = emptyDependencies();
  deps.files.add('/p/views.py');
  cache.set('checked', deps, undefined, []);
  cache.set('idle', deps, undefined, []);
  for (let i = 0; i < 25_000; i++) {
    cache.touch('/p/settings.py');
    if (i % 1000 === 0) assert.deepEqual(cache.get('checked', undefined), []);
  }
  assert.deepEqual(cache.get('checked', undefined), []);
  assert.equal(cache.get('idle', undefined), undefined);
});
