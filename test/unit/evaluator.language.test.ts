// The Python the evaluator interprets: list/dict surgery, assignments, paths, strings, control
// flow, dynamic code, cycles and syntax errors (spec §c.2).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertEnv, evaluateProject, evaluateSettings } from './evaluatorHelpers';

const MW = 'MIDDLEWARE = ["a.Security", "b.Session", "c.Common"]\n';

describe('list surgery', () => {
  const cases: [string, string, unknown][] = [
    ['+=', 'MIDDLEWARE += ["d.X"]', ['a.Security', 'b.Session', 'c.Common', 'd.X']],
    ['insert', 'MIDDLEWARE.insert(1, "w.WhiteNoise")', ['a.Security', 'w.WhiteNoise', 'b.Session', 'c.Common']],
    ['append', 'MIDDLEWARE.append("d.X")', ['a.Security', 'b.Session', 'c.Common', 'd.X']],
    ['remove', 'MIDDLEWARE.remove("b.Session")', ['a.Security', 'c.Common']],
    ['extend', 'MIDDLEWARE.extend(("d.X", "e.Y"))', ['a.Security', 'b.Session', 'c.Common', 'd.X', 'e.Y']],
    ['splat', 'MIDDLEWARE = [*MIDDLEWARE, "d.X"]', ['a.Security', 'b.Session', 'c.Common', 'd.X']],
    ['comprehension filter', 'MIDDLEWARE = [m for m in MIDDLEWARE if m != "b.Session"]', ['a.Security', 'c.Common']],
    ['insert at index(...)', 'MIDDLEWARE.insert(MIDDLEWARE.index("b.Session") + 1, "w.X")', ['a.Security', 'b.Session', 'w.X', 'c.Common']],
    ['pop', 'MIDDLEWARE.pop(0)', ['b.Session', 'c.Common']],
  ];
  for (const [name, stmt, want] of cases) {
    test(`MIDDLEWARE ${name}`, async () => {
      const e = await evaluateSettings(`${MW}${stmt}\n`);
      assert.deepEqual(e.py('MIDDLEWARE'), want);
      // The binding still points at the list literal (fixes edit it).
      if (!stmt.startsWith('MIDDLEWARE =')) assert.equal(e.rhsText('MIDDLEWARE'), '["a.Security", "b.Session", "c.Common"]');
    });
  }

  test('tuple concatenation', async () => {
    const e = await evaluateSettings('INSTALLED_APPS = ("a",) + ("b", "c")\nINSTALLED_APPS += ("d",)\n');
    assert.deepEqual(e.py('INSTALLED_APPS'), ['a', 'b', 'c', 'd']);
    assert.equal(e.value('INSTALLED_APPS').kind, 'tuple');
  });

  test('an unknown extend makes the list partial', async () => {
    const e = await evaluateSettings(`from x import more\n${MW}MIDDLEWARE.extend(more)\n`);
    const v = e.value('MIDDLEWARE');
    assert.ok(v.kind === 'list' && v.partial);
  });

  test('a mutation of a list imported from another module is seen through the name', async () => {
    const e = await evaluateProject({ 'proj/__init__.py': '', 'proj/base.py': MW, 'proj/settings.py': 'from .base import *\nMIDDLEWARE.append("d.X")\n' }, 'proj/settings.py');
    assert.deepEqual(e.py('MIDDLEWARE'), ['a.Security', 'b.Session', 'c.Common', 'd.X']);
  });
});

describe('dict surgery', () => {
  const DB = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}\n';

  test('DATABASES["default"]["CONN_MAX_AGE"] = env.int(...)', async () => {
    const e = await evaluateSettings(`import environ\nenv = environ.Env()\n${DB}DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)\n`);
    const db = e.value('DATABASES');
    assert.deepEqual(e.py('DATABASES'), { default: { ENGINE: 'django.db.backends.postgresql', NAME: 'app', CONN_MAX_AGE: 60 } });
    assert.equal(e.rhsText('DATABASES'), DB.slice('DATABASES = '.length).trim());
    const inner = db.kind === 'dict' && db.entries[0]!.value;
    const cma = inner && inner.kind === 'dict' ? inner.entries.find((x) => x.key.kind === 'str' && x.key.value === 'CONN_MAX_AGE')?.value : undefined;
    assert.ok(cma);
    assertEnv(cma, ['CONN_MAX_AGE'], 'int');
  });

  test('DATABASES["default"].update({...})', async () => {
    const e = await evaluateSettings(`${DB}DATABASES["default"].update({"CONN_MAX_AGE": 600, "OPTIONS": {"sslmode": "require"}})\n`);
    assert.deepEqual(e.py('DATABASES'), { default: { ENGINE: 'django.db.backends.postgresql', NAME: 'app', CONN_MAX_AGE: 600, OPTIONS: { sslmode: 'require' } } });
  });

  test('setdefault, dict(**) and | merge', async () => {
    const e = await evaluateSettings('A = {"x": 1}\nA.setdefault("y", 2)\nB = dict(A, z=3)\nC = A | {"x": 9}\nD = {**A, "w": 0}\n');
    assert.deepEqual(e.py('A'), { x: 1, y: 2 });
    assert.deepEqual(e.py('B'), { x: 1, y: 2, z: 3 });
    assert.deepEqual(e.py('C'), { x: 9, y: 2 });
    assert.deepEqual(e.py('D'), { x: 1, y: 2, w: 0 });
  });
});

describe('assignments', () => {
  test('chained assignment binds every target', async () => {
    const e = await evaluateSettings('SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True\n');
    assert.equal(e.py('SESSION_COOKIE_SECURE'), true);
    assert.equal(e.py('CSRF_COOKIE_SECURE'), true);
    assert.equal(e.rhsText('CSRF_COOKIE_SECURE'), 'True');
  });

  test('tuple unpacking', async () => {
    const e = await evaluateSettings('A, B = 1, "two"\n(C, D) = [True, None]\nE, F = unknown_call()\n');
    assert.equal(e.py('A'), 1);
    assert.equal(e.py('B'), 'two');
    assert.equal(e.py('C'), true);
    assert.equal(e.py('D'), null);
    assert.equal(e.value('E').kind, 'unknown');
  });

  test('annotated assignment', async () => {
    const e = await evaluateSettings('DEBUG: bool = False\nX: int\n');
    assert.equal(e.py('DEBUG'), false);
    assert.equal(e.setting('X').isDefault, true);
  });

  test('last assignment wins', async () => {
    const e = await evaluateSettings('DEBUG = True\nDEBUG = False\n');
    assert.equal(e.py('DEBUG'), false);
    assert.equal(e.rhsText('DEBUG'), 'False');
  });
});

describe('paths and strings', () => {
  test('Path arithmetic and os.path', async () => {
    const e = await evaluateProject(
      {
        'proj/__init__.py': '',
        'proj/settings.py': [
          'import os',
          'from pathlib import Path',
          'BASE_DIR = Path(__file__).resolve().parent.parent',
          'STATIC_ROOT = BASE_DIR / "static"',
          'MEDIA_ROOT = os.path.join(BASE_DIR, "media")',
          'OLD_BASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))',
          'TEMPLATES_DIR = os.path.join(OLD_BASE, "templates", "x")',
          'LOG = BASE_DIR.joinpath("logs", "app.log")',
          'NAME = BASE_DIR.name',
          '',
        ].join('\n'),
      },
      'proj/settings.py',
    );
    assert.deepEqual(e.py('BASE_DIR'), { path: e.dir });
    assert.deepEqual(e.py('STATIC_ROOT'), { path: e.path('static') });
    assert.equal(e.py('MEDIA_ROOT'), e.path('media'));
    assert.equal(e.py('OLD_BASE'), e.dir);
    assert.equal(e.py('TEMPLATES_DIR'), e.path('templates/x'));
    assert.deepEqual(e.py('LOG'), { path: e.path('logs/app.log') });
  });

  test('f-strings, concatenation, % and format', async () => {
    const e = await evaluateSettings(
      'import os\nHOST = "example.com"\nA = f"https://{HOST}/"\nB = "https://" + HOST\nC = "https://" "example.com"\nD = f"{os.getenv(\'H\', \'localhost\')}:8000"\nE = "%s/x" % HOST\nF = "{}/y".format(HOST)\nG = f"{HOST!r}"\n',
    );
    assert.equal(e.py('A'), 'https://example.com/');
    assert.equal(e.py('B'), 'https://example.com');
    assert.equal(e.py('C'), 'https://example.com');
    assert.equal(e.py('D'), 'localhost:8000');
    assertEnv(e.value('D'), ['H'], 'str');
    assert.equal(e.py('E'), 'example.com/x');
    assert.equal(e.py('F'), 'example.com/y');
    assert.equal(e.py('G'), "'example.com'");
  });
});

describe('control flow', () => {
  test('an undecided if joins both branches: same value known, different values unknown', async () => {
    const e = await evaluateSettings(
      'from somewhere import flag\nif flag:\n    A = 1\n    B = 1\n    C = "only here"\nelse:\n    A = 1\n    B = 2\n',
    );
    assert.equal(e.py('A'), 1);
    assert.equal(e.value('B').kind, 'unknown');
    assert.equal(e.value('C').kind, 'unknown');
  });

  test('a decided elif chain', async () => {
    const e = await evaluateSettings('import os\nENV = os.getenv("ENV", "staging")\nif ENV == "prod":\n    X = 1\nelif ENV == "staging":\n    X = 2\nelse:\n    X = 3\n');
    assert.equal(e.py('X'), 2);
  });

  test('for loops over literal lists', async () => {
    const e = await evaluateSettings('APPS = []\nfor app in ["a", "b"]:\n    APPS.append(app)\nTOTAL = 0\nfor n, m in [(1, 2), (3, 4)]:\n    TOTAL += n * m\n');
    assert.deepEqual(e.py('APPS'), ['a', 'b']);
    assert.equal(e.py('TOTAL'), 14);
  });

  test('a for loop over unknown values makes what it assigns unknown', async () => {
    const e = await evaluateSettings('from x import items\nAPPS = ["a"]\nfor i in items:\n    APPS = APPS + [i]\n');
    assert.equal(e.value('APPS').kind, 'unknown');
  });

  test('try/except with a caught failure runs the handler', async () => {
    const e = await evaluateSettings('import os\ntry:\n    KEY = os.environ["KEY"]\nexcept KeyError:\n    KEY = "fallback"\n');
    assert.equal(e.py('KEY'), 'fallback');
  });

  test('test-runner idioms are False in production', async () => {
    const e = await evaluateSettings('import sys\nTESTING = "test" in sys.argv or len(sys.argv) > 1 and sys.argv[1] == "test"\nIS_PYTEST = sys.argv[0].endswith("pytest")\n');
    assert.equal(e.py('TESTING'), false);
    assert.equal(e.py('IS_PYTEST'), false);
  });
});

describe('dynamic code', () => {
  test('globals().update(...) marks later-missing settings as maybe elsewhere', async () => {
    const e = await evaluateSettings('import yaml\nDEBUG = False\nglobals().update(yaml.safe_load(open("x.yaml")))\n');
    assert.equal(e.py('DEBUG'), false);
    assert.ok(e.noteKinds().includes('dynamic'));
    assert.equal(e.setting('SECRET_KEY').mayBeDefinedElsewhere, true);
  });

  test('exec(open(...).read()) too', async () => {
    const e = await evaluateSettings('DEBUG = False\nexec(open("local.py").read())\n');
    assert.ok(e.noteKinds().includes('dynamic'));
    assert.equal(e.setting('ALLOWED_HOSTS').mayBeDefinedElsewhere, true);
  });

  test('vars()[name] = value and globals()[name] = value', async () => {
    const e = await evaluateSettings('import os\nfor k in ["A"]:\n    globals()[k] = os.getenv(k)\n');
    assert.ok(e.noteKinds().includes('dynamic'));
  });

  test('a settings object loaded at the end (dynaconf) is dynamic', async () => {
    const e = await evaluateSettings('import dynaconf\nDEBUG = False\nsettings = dynaconf.DjangoDynaconf(__name__)\n');
    assert.ok(e.noteKinds().includes('dynamic'));
  });
});

describe('robustness', () => {
  test('a module that imports itself cyclically terminates', async () => {
    const e = await evaluateProject(
      {
        'proj/__init__.py': '',
        'proj/settings.py': 'from proj.other import *\nDEBUG = False\nfrom proj import settings\n',
        'proj/other.py': 'from proj.settings import *\nX = 1\n',
      },
      'proj/settings.py',
    );
    assert.equal(e.py('DEBUG'), false);
    assert.equal(e.py('X'), 1);
  });

  test('recursion in a helper function is bounded', async () => {
    const e = await evaluateSettings('def f(n):\n    return f(n + 1)\nX = f(0)\nDEBUG = False\n');
    assert.equal(e.value('X').kind, 'unknown');
    assert.equal(e.py('DEBUG'), false);
  });

  test('a syntax error does not stop the evaluation of the statements around it', async () => {
    const e = await evaluateSettings('DEBUG = False\nBROKEN = [1, 2\nSECRET_KEY = "k"\ndef f(:\n    pass\nALLOWED_HOSTS = ["example.com"]\n');
    assert.equal(e.py('DEBUG'), false);
    assert.equal(e.py('SECRET_KEY'), 'k');
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.value('BROKEN').kind, 'unknown');
  });

  test('Jinja template markers (cookiecutter template files) do not crash', async () => {
    const e = await evaluateSettings('DEBUG = False\n{% if cookiecutter.use_sentry == "y" -%}\nSENTRY_DSN = env("SENTRY_DSN")\n{%- endif %}\nX = 1\n');
    assert.equal(e.py('DEBUG'), false);
    assert.equal(e.py('X'), 1);
  });

  test('a while loop havocs what it assigns', async () => {
    const e = await evaluateSettings('X = 1\nwhile X < 3:\n    X += 1\n');
    assert.equal(e.value('X').kind, 'unknown');
  });
});
