// Spec §0.2: every environment-read form, evaluated in the production profile (all variables
// unset). Each test checks the fallback value, the variables named, the type once set and the
// default argument a rule would underline.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertEnv, assertRequired, evaluateProject, evaluateSettings } from './evaluatorHelpers';
import { dictGetStr } from '../../server/src/engine/settings/value';

describe('os.environ and os.getenv', () => {
  test('os.environ["X"] is required (KeyError), the binding keeps its right-hand side', async () => {
    const e = await evaluateSettings('import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n');
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
    assert.equal(e.rhsText('SECRET_KEY'), 'os.environ["DJANGO_SECRET_KEY"]');
  });

  test('os.environ.__getitem__("X") is required too', async () => {
    const e = await evaluateSettings('import os\nSECRET_KEY = os.environ.__getitem__("DJANGO_SECRET_KEY")\n');
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
  });

  test('a required read keeps its type once set when it is the whole right-hand side', async () => {
    const e = await evaluateSettings('import os\nDEBUG = os.environ["DJANGO_DEBUG"]\nX = os.environ["A"] == "1"\n');
    const debug = e.value('DEBUG');
    assert.equal(debug.kind === 'unknown' && debug.setType, 'str');
    const x = e.value('X');
    assert.equal(x.kind === 'unknown' && x.setType, undefined);
  });

  test('os.environ.get("X") and os.getenv("X") are None', async () => {
    const e = await evaluateSettings('import os\nA = os.environ.get("A")\nB = os.getenv("B")\n');
    assert.equal(e.py('A'), null);
    assertEnv(e.value('A'), ['A'], 'str');
    assert.equal(e.value('A').env?.fallback, undefined);
    assert.equal(e.py('B'), null);
    assertEnv(e.value('B'), ['B'], 'str');
  });

  test('.get / getenv with a positional or keyword default: the default, any type, str once set', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        'from os import getenv, environ',
        'DEBUG = os.getenv("DJANGO_DEBUG", False)',
        'HOSTS = os.environ.get("HOSTS", "*")',
        'AGE = os.getenv("AGE", default=60)',
        'KEY = environ.get("KEY", default="dev-key")',
        'PORT = getenv("PORT", 8000)',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'str');
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assert.equal(e.py('HOSTS'), '*');
    assert.equal(e.fallbackText('HOSTS'), '"*"');
    assert.equal(e.py('AGE'), 60);
    assert.equal(e.fallbackText('AGE'), '60');
    assertEnv(e.value('AGE'), ['AGE'], 'str');
    assert.equal(e.py('KEY'), 'dev-key');
    assert.equal(e.fallbackText('KEY'), '"dev-key"');
    assert.equal(e.py('PORT'), 8000);
    assertEnv(e.value('PORT'), ['PORT'], 'str');
  });

  test('the fallback range is exactly the default argument', async () => {
    const e = await evaluateSettings('import os\nDEBUG = os.getenv("DJANGO_DEBUG", "True")\n');
    assert.deepEqual(e.value('DEBUG').env?.fallback, { file: e.path('settings.py'), range: { start: { line: 1, character: 34 }, end: { line: 1, character: 40 } } });
  });

  test('`or` after an unset read: the right operand is the fallback', async () => {
    const e = await evaluateSettings('import os\nSECRET_KEY = os.environ.get("SECRET_KEY") or "dev-key"\nNAME = os.getenv("NAME", "") or os.getenv("OTHER", "x")\n');
    assert.equal(e.py('SECRET_KEY'), 'dev-key');
    assertEnv(e.value('SECRET_KEY'), ['SECRET_KEY'], 'str');
    assert.equal(e.fallbackText('SECRET_KEY'), '"dev-key"');
    assert.equal(e.py('NAME'), 'x');
    assert.deepEqual(e.value('NAME').env?.names, ['OTHER', 'NAME']);
  });

  test('int() of an unset variable without a usable default raises while unset: required', async () => {
    const e = await evaluateSettings('import os\nPORT = int(os.environ.get("PORT"))\nAGE = int(os.getenv("AGE", "sixty"))\n');
    assertRequired(e.value('PORT'), ['PORT']);
    assertRequired(e.value('AGE'), ['AGE']);
  });

  test('a default that is a name resolves through the module (constant folding)', async () => {
    const e = await evaluateSettings('import os\nDEFAULT_KEY = "insecure"\nSECRET_KEY = os.getenv("SECRET_KEY", DEFAULT_KEY)\n');
    assert.equal(e.py('SECRET_KEY'), 'insecure');
    assertEnv(e.value('SECRET_KEY'), ['SECRET_KEY'], 'str');
    assert.equal(e.fallbackText('SECRET_KEY'), '"insecure"');
  });

  test('os.environ.setdefault("X", d) then a later read gives d, still an environment fallback', async () => {
    const e = await evaluateSettings(
      'import os\nos.environ.setdefault("DJANGO_DEBUG", "False")\nDEBUG = os.environ["DJANGO_DEBUG"]\nD2 = os.getenv("DJANGO_DEBUG", "True")\nD3 = os.environ.setdefault("OTHER", "x")\n',
    );
    assert.equal(e.py('DEBUG'), 'False');
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'str');
    assert.equal(e.fallbackText('DEBUG'), '"False"');
    assert.equal(e.py('D2'), 'False');
    assert.equal(e.py('D3'), 'x');
    assertEnv(e.value('D3'), ['OTHER'], 'str');
  });

  test('os.environ["X"] = v sets the variable for later reads (a literal, not a fallback)', async () => {
    const e = await evaluateSettings('import os\nos.environ["MODE"] = "prod"\nMODE = os.environ["MODE"]\n');
    assert.equal(e.py('MODE'), 'prod');
    assert.equal(e.value('MODE').env, undefined);
  });

  test('"X" in os.environ is False when unset, a bool once set', async () => {
    const e = await evaluateSettings('import os\nDEBUG = "DJANGO_DEBUG" in os.environ\nPROD = "PROD" not in os.environ\n');
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'bool');
    assert.equal(e.py('PROD'), true);
    assertEnv(e.value('PROD'), ['PROD'], 'bool');
  });
});

describe('django-environ', () => {
  test('Env schemes: env("X") takes the scheme default and cast', async () => {
    const e = await evaluateSettings(
      [
        'import environ',
        'env = environ.Env(DEBUG=(bool, False), ALLOWED_HOSTS=(list, ["a.example"]), TIMEOUT=(int, 30), NAME=(str,))',
        'environ.Env.read_env()',
        'DEBUG = env("DEBUG")',
        'ALLOWED_HOSTS = env("ALLOWED_HOSTS")',
        'TIMEOUT = env("TIMEOUT")',
        'NAME = env("NAME")',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DEBUG'], 'bool');
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['a.example']);
    assertEnv(e.value('ALLOWED_HOSTS'), ['ALLOWED_HOSTS'], 'list');
    assert.equal(e.py('TIMEOUT'), 30);
    assertEnv(e.value('TIMEOUT'), ['TIMEOUT'], 'int');
    assertRequired(e.value('NAME'), ['NAME']);
  });

  test('from environ import Env and a scheme given as a bare cast', async () => {
    const e = await evaluateSettings('from environ import Env\nenv = Env(DEBUG=bool)\nDEBUG = env("DEBUG")\nX = env("X", default="y")\n');
    assertRequired(e.value('DEBUG'), ['DEBUG']);
    assert.equal(e.py('X'), 'y');
  });

  test('env("X", default=d) smart-casts to type(d) once set', async () => {
    const e = await evaluateSettings(
      'import environ\nenv = environ.Env()\nDEBUG = env("DJANGO_DEBUG", default=False)\nAGE = env("AGE", default=60)\nKEY = env("KEY", default="x")\nNONE = env("N", default=None)\nCAST = env("C", cast=bool, default=True)\n',
    );
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'bool');
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assertEnv(e.value('AGE'), ['AGE'], 'int');
    assertEnv(e.value('KEY'), ['KEY'], 'str');
    assert.equal(e.py('NONE'), null);
    assertEnv(e.value('NONE'), ['N'], 'str');
    assertEnv(e.value('CAST'), ['C'], 'bool');
  });

  test('env.bool/int/list/str with positional and keyword defaults', async () => {
    const e = await evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'DEBUG = env.bool("DJANGO_DEBUG", False)',
        'SSL = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)',
        'HSTS = env.int("DJANGO_HSTS", default=60)',
        'HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])',
        'NAME = env.str("NAME", "app")',
        'KEY = env.str("DJANGO_SECRET_KEY")',
        'STRDEF = env.bool("STRDEF", default="False")',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'bool');
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assert.equal(e.py('SSL'), true);
    assert.equal(e.fallbackText('SSL'), 'True');
    assertEnv(e.value('SSL'), ['DJANGO_SECURE_SSL_REDIRECT'], 'bool');
    assert.equal(e.py('HSTS'), 60);
    assertEnv(e.value('HSTS'), ['DJANGO_HSTS'], 'int');
    assert.deepEqual(e.py('HOSTS'), ['example.com']);
    assertEnv(e.value('HOSTS'), ['DJANGO_ALLOWED_HOSTS'], 'list');
    assert.equal(e.py('NAME'), 'app');
    assertEnv(e.value('NAME'), ['NAME'], 'str');
    assertRequired(e.value('KEY'), ['DJANGO_SECRET_KEY']);
    // django-environ does not parse defaults: the string is returned as written (truthy).
    assert.equal(e.py('STRDEF'), 'False');
    assertEnv(e.value('STRDEF'), ['STRDEF'], 'bool');
  });

  test('env("X") without a default is required', async () => {
    const e = await evaluateSettings('import environ\nenv = environ.Env()\nSECRET_KEY = env("DJANGO_SECRET_KEY")\n');
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
    assert.equal(e.rhsText('SECRET_KEY'), 'env("DJANGO_SECRET_KEY")');
  });

  test('env.NOTSET as the default means no default', async () => {
    const e = await evaluateSettings('import environ\nenv = environ.Env()\nKEY = env("KEY", default=env.NOTSET)\n');
    assertRequired(e.value('KEY'), ['KEY']);
  });

  test('env.db(default=url) is a dict with ENGINE', async () => {
    const e = await evaluateSettings(
      [
        'import environ',
        'env = environ.Env()',
        'DATABASES = {"default": env.db("DATABASE_URL", default="postgres://u:p@db:5432/app")}',
        'OTHER = env.db_url(default="sqlite:///db.sqlite3")',
        '',
      ].join('\n'),
    );
    const db = e.py('DATABASES') as Record<string, Record<string, unknown>>;
    assert.equal(db.default!.ENGINE, 'django.db.backends.postgresql');
    assert.equal(db.default!.HOST, 'db');
    assert.equal(db.default!.PORT, 5432);
    assert.equal(db.default!.NAME, 'app');
    const def = e.value('DATABASES');
    const inner = def.kind === 'dict' ? def.entries[0]!.value : undefined;
    assert.ok(inner);
    assertEnv(inner, ['DATABASE_URL'], 'dict');
    assert.equal(e.text(inner.env?.fallback), '"postgres://u:p@db:5432/app"');
    assert.deepEqual(e.py('OTHER'), { ENGINE: 'django.db.backends.sqlite3', NAME: 'db.sqlite3', CONN_MAX_AGE: 0 });
  });

  test('env.db() without a default is required, and so is every earlier read of DATABASE_URL', async () => {
    const e = await evaluateSettings('import environ\nenv = environ.Env()\nEARLIER = env.db(default="sqlite:///x")\nDATABASES = {"default": env.db()}\n');
    // A required read inside a container makes that element unknown; the container stays known.
    const d = e.value('DATABASES');
    assert.equal(d.kind, 'dict');
    assertRequired(dictGetStr(d, 'default')!, ['DATABASE_URL']);
    assertRequired(e.value('EARLIER'), ['DATABASE_URL']);
    const alone = await evaluateSettings('import environ\nenv = environ.Env()\nDB = env.db()\n');
    assertRequired(alone.value('DB'), ['DATABASE_URL']);
    const db = alone.value('DB');
    assert.equal(db.kind === 'unknown' && db.setType, 'dict');
  });

  test('env.cache(default=url) gives the cache backend (redis: depends on the installed client)', async () => {
    const e = await evaluateSettings(
      'import environ\nenv = environ.Env()\nCACHES = {"default": env.cache("REDIS_URL", default="redis://cache:6379/1")}\nLOCMEM = env.cache(default="locmemcache://")\nFILE = env.cache_url("FILE_CACHE", default="filecache:///var/tmp/django_cache")\n',
    );
    const caches = e.py('CACHES') as Record<string, Record<string, unknown>>;
    assert.equal(caches.default!.BACKEND, '?');
    assert.equal(caches.default!.LOCATION, 'redis://cache:6379/1');
    assert.deepEqual(e.py('LOCMEM'), { BACKEND: 'django.core.cache.backends.locmem.LocMemCache' });
    assertEnv(e.value('LOCMEM'), ['CACHE_URL'], 'dict');
    assert.deepEqual(e.py('FILE'), { BACKEND: 'django.core.cache.backends.filebased.FileBasedCache', LOCATION: '/var/tmp/django_cache' });
  });
});

describe('python-decouple', () => {
  test('config("X") is required (UndefinedValueError)', async () => {
    const e = await evaluateSettings('from decouple import config\nSECRET_KEY = config("SECRET_KEY")\n');
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
  });

  test('config("X", default=d, cast=bool) in every spelling of the default', async () => {
    const cases: [string, boolean][] = [
      ['False', false], ['True', true], ['"False"', false], ['"True"', true], ['"false"', false], ['"0"', false],
      ['"1"', true], ['"off"', false], ['"on"', true], ['"no"', false], ['"yes"', true], ['""', false], ['0', false], ['1', true],
    ];
    const lines = ['from decouple import config'];
    cases.forEach(([d], i) => lines.push(`D${i} = config("DEBUG", default=${d}, cast=bool)`));
    lines.push('P = config("DEBUG", False, cast=bool)', 'Q = config("DEBUG", "True", bool)');
    const e = await evaluateSettings(lines.join('\n') + '\n');
    cases.forEach(([d, want], i) => {
      assert.equal(e.py(`D${i}`), want, `default=${d}`);
      assertEnv(e.value(`D${i}`), ['DEBUG'], 'bool');
      assert.equal(e.fallbackText(`D${i}`), d);
    });
    assert.equal(e.py('P'), false);
    assert.equal(e.py('Q'), true);
  });

  test('config without cast returns the default as written, a str once set', async () => {
    const e = await evaluateSettings('from decouple import config\nDEBUG = config("DEBUG", default=False)\nHOSTS = config("HOSTS", default="*")\n');
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DEBUG'], 'str');
    assert.equal(e.py('HOSTS'), '*');
  });

  test('cast=bool on an unparsable default raises ValueError while unset: the variable is required', async () => {
    const e = await evaluateSettings('from decouple import config\nDEBUG = config("DEBUG", default="maybe", cast=bool)\n');
    assertRequired(e.value('DEBUG'), ['DEBUG']);
  });

  test('cast=Csv() is a required list; with a default it splits the default', async () => {
    const e = await evaluateSettings(
      'from decouple import config, Csv\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\nX = config("X", default="a.com, b.com", cast=Csv())\nAGE = config("AGE", default=60, cast=int)\n',
    );
    assertRequired(e.value('ALLOWED_HOSTS'), ['ALLOWED_HOSTS']);
    const hosts = e.value('ALLOWED_HOSTS');
    assert.equal(hosts.kind === 'unknown' && hosts.setType, 'list');
    assert.deepEqual(e.py('X'), ['a.com', 'b.com']);
    assertEnv(e.value('X'), ['X'], 'list');
    assert.equal(e.py('AGE'), 60);
    assertEnv(e.value('AGE'), ['AGE'], 'int');
  });

  test('import decouple; decouple.config(...) works the same', async () => {
    const e = await evaluateSettings('import decouple\nDEBUG = decouple.config("DEBUG", default=True, cast=bool)\n');
    assert.equal(e.py('DEBUG'), true);
  });
});

describe('dj-database-url', () => {
  test('config(default=..., conn_max_age=..., ssl_require=True)', async () => {
    const e = await evaluateSettings(
      'import dj_database_url\nDATABASES = {"default": dj_database_url.config(default="postgres://u:secret@db.example.com:5432/app", conn_max_age=600, conn_health_checks=True, ssl_require=True)}\n',
    );
    const db = (e.py('DATABASES') as Record<string, Record<string, unknown>>).default!;
    assert.deepEqual(db, {
      ENGINE: 'django.db.backends.postgresql',
      NAME: 'app',
      USER: 'u',
      PASSWORD: 'secret',
      HOST: 'db.example.com',
      PORT: 5432,
      OPTIONS: { sslmode: 'require' },
      CONN_MAX_AGE: 600,
      CONN_HEALTH_CHECKS: true,
    });
    const d = e.value('DATABASES');
    const inner = d.kind === 'dict' ? d.entries[0]!.value : undefined;
    assert.ok(inner);
    assertEnv(inner, ['DATABASE_URL'], 'dict');
    assert.equal(e.text(inner.env?.fallback), '"postgres://u:secret@db.example.com:5432/app"');
  });

  test('config() without a default is an empty dict; env= names another variable', async () => {
    const e = await evaluateSettings('import dj_database_url\nA = dj_database_url.config()\nB = dj_database_url.config(env="PG_URL", default="sqlite:////data/db.sqlite3")\n');
    assert.deepEqual(e.py('A'), {});
    assertEnv(e.value('A'), ['DATABASE_URL'], 'dict');
    assert.deepEqual(e.py('B'), { ENGINE: 'django.db.backends.sqlite3', NAME: '/data/db.sqlite3', CONN_MAX_AGE: 0 });
    assertEnv(e.value('B'), ['PG_URL'], 'dict');
  });

  test('parse(os.environ["DATABASE_URL"]) is required', async () => {
    const e = await evaluateSettings('import os\nimport dj_database_url\nDATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}\n');
    assertRequired(dictGetStr(e.value('DATABASES'), 'default')!, ['DATABASE_URL']);
  });

  test('parse of a literal URL is a literal dict', async () => {
    const e = await evaluateSettings('import dj_database_url\nDB = dj_database_url.parse("mysql://root@localhost/shop")\n');
    assert.equal((e.py('DB') as Record<string, unknown>).ENGINE, 'django.db.backends.mysql');
    assert.equal(e.value('DB').env, undefined);
  });
});

describe('local helper functions (§0.2 last row)', () => {
  test('Saleor get_bool_from_env("DEBUG", True)', async () => {
    const e = await evaluateSettings(
      [
        'import ast',
        'import os',
        '',
        'def get_bool_from_env(name, default_value):',
        '    if name in os.environ:',
        '        value = os.environ[name]',
        '        try:',
        '            return ast.literal_eval(value)',
        '        except ValueError as e:',
        '            raise ValueError(f"{value} is an invalid value for {name}") from e',
        '    return default_value',
        '',
        'DEBUG = get_bool_from_env("DEBUG", True)',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('DEBUG'), true);
    assertEnv(e.value('DEBUG'), ['DEBUG'], 'unknown');
    assert.equal(e.fallbackText('DEBUG'), 'True');
  });

  test('healthchecks envbool / envint / envsecret', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        '',
        'def envbool(s, default):',
        '    v = os.getenv(s, default=default)',
        '    if v not in ("", "True", "False"):',
        '        msg = "Unexpected value %s=%s, use \'True\' or \'False\'" % (s, v)',
        '        raise Exception(msg)',
        '    return v == "True"',
        '',
        'def envint(s, default):',
        '    v = os.getenv(s, default)',
        '    if v == "None":',
        '        return None',
        '    return int(v)',
        '',
        'def envsecret(s, default=None):',
        '    if s + "_FILE" in os.environ:',
        '        with open(os.environ[s + "_FILE"]) as f:',
        '            return f.read().strip()',
        '    return os.getenv(s, default)',
        '',
        'DEBUG = envbool("DEBUG", "True")',
        'SECRET_KEY = envsecret("SECRET_KEY", "---")',
        'CONN_MAX_AGE = envint("DB_CONN_MAX_AGE", "0")',
        'EMAIL_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('DEBUG'), true);
    assertEnv(e.value('DEBUG'), ['DEBUG'], 'bool');
    assert.equal(e.fallbackText('DEBUG'), '"True"');
    assert.equal(e.py('SECRET_KEY'), '---');
    assert.deepEqual(e.value('SECRET_KEY').env?.names, ['SECRET_KEY_FILE', 'SECRET_KEY']);
    assert.equal(e.fallbackText('SECRET_KEY'), '"---"');
    assert.equal(e.py('CONN_MAX_AGE'), 0);
    assertEnv(e.value('CONN_MAX_AGE'), ['DB_CONN_MAX_AGE'], 'int');
    assert.equal(e.fallbackText('CONN_MAX_AGE'), '"0"');
    assert.equal(e.py('EMAIL_PASSWORD'), null);
  });

  test('PostHog get_from_env with type_cast, and a required read through the helper', async () => {
    const e = await evaluateProject(
      {
        'posthog/__init__.py': '',
        'posthog/utils.py': [
          'import os',
          'from typing import Any, Callable, Optional',
          'from django.core.exceptions import ImproperlyConfigured',
          '',
          'def str_to_bool(value: Any) -> bool:',
          '    if not value:',
          '        return False',
          '    return str(value).lower() in ("y", "yes", "t", "true", "on", "1")',
          '',
          'def get_from_env(key: str, default: Any = None, *, optional: bool = False, type_cast: Optional[Callable] = None) -> Any:',
          '    value = os.getenv(key)',
          '    if value is None or value == "":',
          '        if optional:',
          '            return None',
          '        if default is not None:',
          '            return default',
          '        else:',
          '            raise ImproperlyConfigured(f\'The environment variable "{key}" is required to run PostHog!\')',
          '    if type_cast is not None:',
          '        return type_cast(value)',
          '    return value',
          '',
        ].join('\n'),
        'posthog/settings.py': [
          'from posthog.utils import get_from_env, str_to_bool',
          'DEBUG = get_from_env("DEBUG", False, type_cast=str_to_bool)',
          'SECRET_KEY = get_from_env("SECRET_KEY")',
          'SITE_URL = get_from_env("SITE_URL", "http://localhost:8000").rstrip("/")',
          '',
        ].join('\n'),
      },
      'posthog/settings.py',
    );
    assert.equal(e.py('DEBUG'), false);
    assert.deepEqual(e.value('DEBUG').env?.names, ['DEBUG']);
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
    assert.equal(e.py('SITE_URL'), 'http://localhost:8000');
    assert.deepEqual(e.value('SITE_URL').env?.names, ['SITE_URL']);
  });

  test('a helper that is a plain os.getenv wrapper is typed str', async () => {
    const e = await evaluateSettings('import os\ndef env(name, default=None):\n    return os.getenv(name, default)\nDEBUG = env("DJANGO_DEBUG", False)\n');
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'str');
    assert.equal(e.fallbackText('DEBUG'), 'False');
  });

  test('name heuristic for helpers we cannot see', async () => {
    const e = await evaluateSettings(
      [
        'from mylib.conf import get_env_bool, read_setting, compute',
        'DEBUG = get_env_bool("DJANGO_DEBUG", True)',
        'KEY = read_setting("SECRET_KEY", default="dev")',
        'OTHER = compute("DEBUG", True)',
        'LOWER = get_env_bool("debug", True)',
        'NODEFAULT = get_env_bool("X")',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('DEBUG'), true);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'unknown');
    assert.equal(e.fallbackText('DEBUG'), 'True');
    assert.equal(e.py('KEY'), 'dev');
    assert.equal(e.fallbackText('KEY'), '"dev"');
    assert.equal(e.value('OTHER').kind, 'unknown');
    assert.equal(e.value('LOWER').kind, 'unknown');
    assert.equal(e.value('NODEFAULT').kind, 'unknown');
  });
});
