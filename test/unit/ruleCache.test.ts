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

test('a long session drops old changes; an entry to check whose last check came before them is recomputed', () => {
  const cache = new RuleResultCache();
  // Entries holding a fact about views.py: a change there has them checked (the fact recomputed).
  const deps = emptyDependencies();
  deps.facts.set('/p/views.py\0mentions', { file: '/p/views.py', value: 'n', recompute: () => 'n' });
  cache.set('checked', deps, undefined, []);
  cache.set('idle', deps, undefined, []);
  const other = emptyDependencies();
  other.files.add('/p/models.py');
  cache.set('elsewhere', other, undefined, []);
  for (let i = 0; i < 25_000; i++) {
    cache.touch('/p/settings.py');
    if (i % 1000 === 0) {
      cache.touch('/p/views.py');
      assert.deepEqual(cache.get('checked', undefined), []);
    }
  }
  cache.touch('/p/views.py');
  assert.deepEqual(cache.get('checked', undefined), []);
  // Last checked before the changes dropped from the log: what happened since can't be told.
  assert.equal(cache.get('idle', undefined), undefined);
  // Nothing it read changed, dropped changes or not.
  assert.deepEqual(cache.get('elsewhere', undefined), []);
});

/** top → mid → leaf (each refers to the next's value); leaf read /p/views.py. */
function chain() {
  const cache = new RuleResultCache();
  const leafDeps = emptyDependencies();
  leafDeps.files.add('/p/views.py');
  const leaf = { name: 'leaf' };
  cache.setValue('leaf', leafDeps, undefined, leaf);
  const midDeps = emptyDependencies();
  midDeps.refs.set('leaf', leaf);
  const mid = { name: 'mid' };
  cache.setValue('mid', midDeps, undefined, mid);
  const topDeps = emptyDependencies();
  topDeps.refs.set('mid', mid);
  cache.set('top', topDeps, undefined, []);
  return cache;
}

test('an entry falls with a change to a file an entry it refers to read, two levels down', () => {
  const cache = chain();
  cache.touch('/p/other.py');
  assert.deepEqual(cache.get('top', undefined), []);
  cache.touch('/p/views.py');
  assert.equal(cache.get('top', undefined), undefined);
  // Asked in the other order (the innermost first), the same.
  const again = chain();
  again.touch('/p/views.py');
  assert.equal(again.getValue('leaf', undefined), undefined);
  assert.equal(again.get('top', undefined), undefined);
});

test('an entry falls when an entry it refers to is replaced or dropped, though no file changed', () => {
  const replaced = chain();
  assert.deepEqual(replaced.get('top', undefined), []);
  replaced.setValue('leaf', emptyDependencies(), undefined, { name: 'new leaf' });
  assert.equal(replaced.get('top', undefined), undefined);

  const dropped = chain();
  assert.deepEqual(dropped.get('top', undefined), []);
  dropped.delete('mid');
  assert.equal(dropped.get('top', undefined), undefined);

  const forgotten = chain();
  forgotten.forget('le');
  assert.equal(forgotten.get('top', undefined), undefined);
});
