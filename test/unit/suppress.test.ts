import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Suppressions } from '../../server/src/engine/suppress';
import { analyzeSettings } from '../helpers/engine';

const codes = async (text: string) => {
  const { analyzer, findings } = await analyzeSettings(text);
  analyzer.dispose();
  return findings.map((f) => f.code);
};

test('inline ignore on the line or the line above, by id or name; file-level ignore; noqa', async () => {
  assert.ok((await codes('DEBUG = True\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('DEBUG = True  # django-readiness: ignore[DJ-SEC-001]\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('# django-readiness: ignore[debug-enabled]\nDEBUG = True\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('# django-readiness: ignore-file[DJ-SEC-001]\nX = 1\nDEBUG = True\n')).includes('DJ-SEC-001'));
  assert.ok(!(await codes('DEBUG = True  # noqa: DJ-SEC-001\n')).includes('DJ-SEC-001'));
  // An ignore for another rule does not hide this one, and a trailing comment two lines up does not count.
  assert.ok((await codes('DEBUG = True  # django-readiness: ignore[DJ-SEC-006]\n')).includes('DJ-SEC-001'));
  assert.ok((await codes('X = 1  # django-readiness: ignore[DJ-SEC-001]\nDEBUG = True\n')).includes('DJ-SEC-001'));
});

test('SILENCED_SYSTEM_CHECKS silences the rule mirroring that check', async () => {
  const mw = 'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n';
  assert.ok((await codes(mw)).includes('DJ-SEC-018'));
  assert.ok(!(await codes(mw + 'SILENCED_SYSTEM_CHECKS = ["security.W008"]\n')).includes('DJ-SEC-018'));
});

test('a directive inside a string literal is data, not a suppression', async () => {
  assert.ok((await codes('DEBUG = True; X = "# noqa: DJ-SEC-001"\n')).includes('DJ-SEC-001'));
  assert.ok((await codes('DEBUG = True; X = "# django-readiness: ignore[DJ-SEC-001]"\n')).includes('DJ-SEC-001'));
});

test('directives are read line by line as a split of the text reads them, whatever the line breaks', () => {
  // The reading before lines were sliced on demand: every line of the split text.
  const splitReading = (text: string) => {
    const lines = /django-readiness|noqa/i.test(text) ? text.split(/\r?\n/) : [];
    const comment = (line: string) => {
      let quote: string | undefined;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quote) {
          if (c === '\\') i++;
          else if (c === quote) quote = undefined;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '#') return line.slice(i);
      }
      return undefined;
    };
    const ids = (list: string | undefined) => (list === undefined || list.trim() === '' ? 'all' : new Set(list.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean)));
    const covers = (set: Set<string> | 'all' | undefined, code: string) => set === 'all' || (set !== undefined && set.has(code));
    let fileLevel: Set<string> | 'all' | undefined;
    for (const line of lines) {
      const m = /#\s*django-readiness:\s*ignore-file(?:\[([^\]]*)\])?/.exec(line);
      if (m && /^\s*#/.test(line)) {
        const s = ids(m[1]);
        fileLevel = s === 'all' || fileLevel === 'all' ? 'all' : new Set([...(fileLevel ?? []), ...s]);
      }
    }
    const lineIds = (index: number, standaloneOnly: boolean) => {
      const raw = lines[index];
      if (raw === undefined || (standaloneOnly && !/^\s*#/.test(raw))) return undefined;
      const line = comment(raw);
      if (line === undefined) return undefined;
      const m = /#\s*django-readiness:\s*ignore(?:\[([^\]]*)\])?(?!-)/.exec(line);
      if (m) return ids(m[1]);
      const q = standaloneOnly ? null : /#\s*noqa:\s*([A-Z][A-Z0-9-]*(?:\s*,\s*[A-Z][A-Z0-9-]*)*)/i.exec(line);
      return q ? ids(q[1]) : undefined;
    };
    return (code: string, line: number) => covers(fileLevel, code) || covers(lineIds(line, false), code) || covers(lineIds(line - 1, true), code);
  };
  const pieces = ['DEBUG = True', 'X = 1  # noqa: DJ-SEC-001', '# django-readiness: ignore[DJ-SEC-001]', 'Y = "# noqa: DJ-SEC-002"', '# django-readiness: ignore-file[DJ-SEC-003]', '  # django-readiness: ignore', 'Z = 2  # django-readiness: ignore[DJ-SEC-002, DJ-SEC-001]', '', '# a comment', 'W = 3 # noqa', '\r'];
  const breaks = ['\n', '\r\n', '\r\r\n'];
  let next = 7;
  const random = (n: number) => {
    next = (next * 1103515245 + 12345) & 0x7fffffff;
    return next % n;
  };
  let asked = 0;
  let suppressed = 0;
  for (let round = 0; round < 400; round++) {
    let text = '';
    const count = 1 + random(12);
    for (let i = 0; i < count; i++) text += pieces[random(pieces.length)]! + (i < count - 1 || random(2) ? breaks[random(breaks.length)]! : '');
    const oracle = splitReading(text);
    const now = new Suppressions(text);
    const lines = text.split('\n').length;
    for (let line = -1; line <= lines + 1; line++) {
      for (const code of ['DJ-SEC-001', 'DJ-SEC-002', 'DJ-SEC-003']) {
        asked++;
        const want = oracle(code, line);
        if (want) suppressed++;
        assert.equal(now.isSuppressed(code, line), want, `${JSON.stringify(text)} line ${line} ${code}`);
      }
    }
  }
  assert.ok(suppressed > 1000 && asked - suppressed > 1000, `${suppressed} of ${asked} suppressed`);
});
