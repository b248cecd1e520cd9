import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/engine/fixes/apply';
import { disableFileEdit, disableLineEdit, fileDirectiveLine, scanPythonLine } from '../../server/src/engine/fixes/suppressionEdits';
import { Suppressions } from '../../server/src/engine/suppress';
import type { TextEdit } from '../../server/src/engine/types';

const F = '/p/settings.py';
const apply = (text: string, edit: TextEdit | undefined) => {
  assert.ok(edit, 'an edit');
  assert.equal(edit.file, F);
  return applyEdits(text, [edit]).text;
};
const lineOf = (text: string, id: string, line: number) => apply(text, disableLineEdit(F, text, line, id));
const fileOf = (text: string, id: string) => apply(text, disableFileEdit(F, text, id));

test('disable for this line appends a trailing directive the engine honours', () => {
  const text = 'import os\nDEBUG = True\nX = 1\n';
  const out = lineOf(text, 'DJ-SEC-001', 1);
  assert.equal(out, 'import os\nDEBUG = True  # django-readiness: ignore[DJ-SEC-001]\nX = 1\n');
  const s = new Suppressions(out);
  assert.equal(s.isSuppressed('DJ-SEC-001', 1), true);
  assert.equal(s.isSuppressed('DJ-SEC-002', 1), false);
  assert.equal(s.isSuppressed('DJ-SEC-001', 2), false);
});

test('trailing whitespace is replaced; an existing comment is kept', () => {
  assert.equal(lineOf('DEBUG = True   \n', 'DJ-SEC-001', 0), 'DEBUG = True  # django-readiness: ignore[DJ-SEC-001]\n');
  assert.equal(lineOf('DEBUG = True  # noqa: E501\n', 'DJ-SEC-001', 0), 'DEBUG = True  # noqa: E501  # django-readiness: ignore[DJ-SEC-001]\n');
  assert.equal(lineOf('URL = "http://x#y"\n', 'DJ-SEC-001', 0), 'URL = "http://x#y"  # django-readiness: ignore[DJ-SEC-001]\n');
});

test('an existing line directive gets the id added inside its brackets', () => {
  const text = 'MIDDLEWARE = [  # django-readiness: ignore[DJ-SEC-027]\n]\n';
  const out = lineOf(text, 'DJ-SEC-037', 0);
  assert.equal(out, 'MIDDLEWARE = [  # django-readiness: ignore[DJ-SEC-027, DJ-SEC-037]\n]\n');
  const s = new Suppressions(out);
  assert.ok(s.isSuppressed('DJ-SEC-027', 0) && s.isSuppressed('DJ-SEC-037', 0));
  // Spaces inside the brackets are tolerated.
  assert.equal(lineOf('X = 1  # django-readiness: ignore[ A ]\n', 'B', 0), 'X = 1  # django-readiness: ignore[ A, B ]\n');
});

test('nothing to do when the line already ignores the id or every rule', () => {
  assert.equal(disableLineEdit(F, 'X = 1  # django-readiness: ignore[DJ-SEC-001]\n', 0, 'DJ-SEC-001'), undefined);
  assert.equal(disableLineEdit(F, 'X = 1  # django-readiness: ignore[dj-sec-001]\n', 0, 'DJ-SEC-001'), undefined);
  assert.equal(disableLineEdit(F, 'X = 1  # django-readiness: ignore\n', 0, 'DJ-SEC-001'), undefined);
  assert.equal(disableLineEdit(F, 'X = 1  # django-readiness: ignore[]\n', 0, 'DJ-SEC-001'), undefined);
  assert.equal(disableLineEdit(F, 'X = 1\n', 5, 'DJ-SEC-001'), undefined, 'no such line');
});

test('an ignore-file comment on the line is not mistaken for a line directive', () => {
  const out = lineOf('X = 1  # django-readiness: ignore-file[A]\n', 'B', 0);
  assert.equal(out, 'X = 1  # django-readiness: ignore-file[A]  # django-readiness: ignore[B]\n');
});

test('CRLF files keep their line breaks; the last line without a newline works', () => {
  assert.equal(lineOf('A = 1\r\nDEBUG = True\r\n', 'X', 1), 'A = 1\r\nDEBUG = True  # django-readiness: ignore[X]\r\n');
  assert.equal(lineOf('DEBUG = True', 'X', 0), 'DEBUG = True  # django-readiness: ignore[X]');
});

test('after a backslash continuation or inside a triple-quoted string, the directive goes on its own line above', () => {
  const cont = 'if True:\n    DEBUG = \\\n        True\n';
  const out = lineOf(cont, 'X', 1);
  assert.equal(out, 'if True:\n    # django-readiness: ignore[X]\n    DEBUG = \\\n        True\n');
  assert.ok(new Suppressions(out).isSuppressed('X', 2), 'the standalone comment covers the line below');
  const doc = 'SECRET_KEY = """abc\ndef"""\n';
  assert.equal(lineOf(doc, 'X', 0), '# django-readiness: ignore[X]\nSECRET_KEY = """abc\ndef"""\n');
  // A standalone directive already above is extended instead.
  const above = '# django-readiness: ignore[A]\nDEBUG = \\\n    True\n';
  assert.equal(lineOf(above, 'X', 1), '# django-readiness: ignore[A, X]\nDEBUG = \\\n    True\n');
});

test('scanPythonLine finds comments outside strings, open triple quotes and continuations', () => {
  assert.deepEqual(scanPythonLine('x = "#"  # c'), { commentStart: 9, endsInString: false, continues: false });
  assert.deepEqual(scanPythonLine("x = '''a"), { endsInString: true, continues: false });
  assert.deepEqual(scanPythonLine('x = """a""" + \\'), { endsInString: false, continues: true });
  assert.deepEqual(scanPythonLine('x = 1  # not a continuation \\'), { commentStart: 7, endsInString: false, continues: false });
  assert.deepEqual(scanPythonLine('x = "a\\"b"'), { endsInString: false, continues: false });
});

test('disable for this file inserts a directive at the top', () => {
  const out = fileOf('import os\nDEBUG = True\n', 'DJ-SEC-001');
  assert.equal(out, '# django-readiness: ignore-file[DJ-SEC-001]\nimport os\nDEBUG = True\n');
  assert.equal(new Suppressions(out).isSuppressed('DJ-SEC-001', 2), true);
  assert.equal(fileOf('', 'A'), '# django-readiness: ignore-file[A]\n');
  assert.equal(fileOf('A = 1\r\n', 'A'), '# django-readiness: ignore-file[A]\r\nA = 1\r\n');
});

test('the file directive goes after a shebang and a PEP 263 coding line', () => {
  assert.equal(fileOf('#!/usr/bin/env python\nX = 1\n', 'A'), '#!/usr/bin/env python\n# django-readiness: ignore-file[A]\nX = 1\n');
  assert.equal(fileOf('# -*- coding: utf-8 -*-\nX = 1\n', 'A'), '# -*- coding: utf-8 -*-\n# django-readiness: ignore-file[A]\nX = 1\n');
  assert.equal(
    fileOf('#!/usr/bin/env python\n# -*- coding: latin-1 -*-\nX = 1\n', 'A'),
    '#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n# django-readiness: ignore-file[A]\nX = 1\n',
  );
  // Line 2 is a coding line only when line 1 is a comment or blank.
  assert.equal(fileDirectiveLine('# comment\n# vim: set fileencoding=utf-8 :\nX = 1\n'), 2);
  assert.equal(fileDirectiveLine('X = 1\n# coding: utf-8\n'), 0);
  assert.equal(fileDirectiveLine('"""Docstring."""\nX = 1\n'), 0);
  // A file that is only a shebang without a final newline.
  assert.equal(fileOf('#!/usr/bin/env python', 'A'), '#!/usr/bin/env python\n# django-readiness: ignore-file[A]\n');
});

test('an existing file directive gets the id added; one covering the id or every rule means no edit', () => {
  const text = '"""Settings."""\n# django-readiness: ignore-file[DJ-SEC-001]\nX = 1\n';
  assert.equal(fileOf(text, 'DJ-SEC-022'), '"""Settings."""\n# django-readiness: ignore-file[DJ-SEC-001, DJ-SEC-022]\nX = 1\n');
  assert.equal(disableFileEdit(F, text, 'DJ-SEC-001'), undefined);
  assert.equal(disableFileEdit(F, '# django-readiness: ignore-file\nX = 1\n', 'DJ-SEC-001'), undefined);
  // A trailing (not standalone) ignore-file comment is not a file directive for the engine either.
  assert.equal(fileOf('X = 1  # django-readiness: ignore-file[A]\n', 'B'), '# django-readiness: ignore-file[B]\nX = 1  # django-readiness: ignore-file[A]\n');
});
