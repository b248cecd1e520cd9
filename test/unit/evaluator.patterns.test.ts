// Spec §c.3: the real-world settings layouts P1–P20, as small multi-file projects, checked at the
// evaluator level (the production profile's values), not through rules.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertEnv, assertRequired, evaluateProject, evaluateSettings } from './evaluatorHelpers';

const COOKIECUTTER_BASE = [
  '"""Base settings to build other settings files upon."""',
  'from pathlib import Path',
  '',
  'import environ',
  '',
  'BASE_DIR = Path(__file__).resolve(strict=True).parent.parent.parent',
  'APPS_DIR = BASE_DIR / "app"',
  'env = environ.Env()',
  '',
  'READ_DOT_ENV_FILE = env.bool("DJANGO_READ_DOT_ENV_FILE", default=False)',
  'if READ_DOT_ENV_FILE:',
  '    env.read_env(str(BASE_DIR / ".env"))',
  '',
  'DEBUG = env.bool("DJANGO_DEBUG", False)',
  'DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///app")}',
  'DATABASES["default"]["ATOMIC_REQUESTS"] = True',
  'MIDDLEWARE = [',
  '    "django.middleware.security.SecurityMiddleware",',
  '    "django.contrib.sessions.middleware.SessionMiddleware",',
  '    "django.middleware.common.CommonMiddleware",',
  ']',
  'STATIC_ROOT = str(BASE_DIR / "staticfiles")',
  'SESSION_COOKIE_HTTPONLY = True',
  '',
].join('\n');

describe('P1 cookiecutter-django', () => {
  const files = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
    'config/__init__.py': '',
    'config/settings/__init__.py': '',
    'config/settings/base.py': COOKIECUTTER_BASE,
    'config/settings/production.py': [
      'from .base import *  # noqa: F403',
      'from .base import DATABASES',
      'from .base import env',
      '',
      'SECRET_KEY = env("DJANGO_SECRET_KEY")',
      'ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["example.com"])',
      'DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)',
      'SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)',
      '# TODO: set this to 60 seconds first and then to 518400 once you prove the former works',
      'SECURE_HSTS_SECONDS = 60',
      'MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")',
      '',
    ].join('\n'),
    'config/settings/local.py': 'from .base import *\nDEBUG = True\nSECRET_KEY = env("DJANGO_SECRET_KEY", default="!!!SET DJANGO_SECRET_KEY!!!")\n',
  };

  test('production inherits base through `from .base import *` and explicit imports', async () => {
    const e = await evaluateProject(files, 'config/settings/production.py');
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'bool');
    assert.equal(e.value('DEBUG').env?.fallback?.file, e.path('config/settings/base.py'));
    assert.equal(e.setting('DEBUG').binding?.imported, true);
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['example.com']);
    assert.equal(e.py('SECURE_SSL_REDIRECT'), true);
    assert.equal(e.py('SECURE_HSTS_SECONDS'), 60);
    const db = (e.py('DATABASES') as Record<string, Record<string, unknown>>).default!;
    assert.equal(db.ENGINE, 'django.db.backends.postgresql');
    assert.equal(db.ATOMIC_REQUESTS, true);
    assert.equal(db.CONN_MAX_AGE, 60);
    assert.deepEqual(e.py('MIDDLEWARE'), [
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
      'django.contrib.sessions.middleware.SessionMiddleware',
      'django.middleware.common.CommonMiddleware',
    ]);
    assert.equal(e.py('STATIC_ROOT'), e.path('staticfiles'));
    // READ_DOT_ENV_FILE is off by default, so read_env is not reached.
    assert.equal(e.py('READ_DOT_ENV_FILE'), false);
  });

  test('the local module is evaluated on its own when asked', async () => {
    const e = await evaluateProject(files, 'config/settings/local.py');
    assert.equal(e.py('DEBUG'), true);
    assert.equal(e.py('SECRET_KEY'), '!!!SET DJANGO_SECRET_KEY!!!');
  });
});

describe('P2 Wagtail optional local settings', () => {
  const base = {
    'mysite/__init__.py': '',
    'mysite/settings/__init__.py': '',
    'mysite/settings/base.py': 'DEBUG = False\nINSTALLED_APPS = ["wagtail"]\nSTORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}\n',
    'mysite/settings/production.py': [
      'from .base import *',
      '',
      'DEBUG = False',
      'STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"',
      '',
      'try:',
      '    from .local import *',
      'except ImportError:',
      '    pass',
      '',
    ].join('\n'),
  };

  test('local.py missing: evaluation goes on and later-missing settings may be defined there', async () => {
    const e = await evaluateProject(base, 'mysite/settings/production.py');
    assert.equal(e.py('DEBUG'), false);
    assert.equal((e.py('STORAGES') as Record<string, Record<string, unknown>>).staticfiles!.BACKEND, 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage');
    assert.ok(e.noteKinds().includes('optional-import-missing'));
    const key = e.setting('SECRET_KEY');
    assert.equal(key.isDefault, true);
    assert.equal(key.mayBeDefinedElsewhere, true);
  });

  test('local.py present: its values win', async () => {
    const e = await evaluateProject({ ...base, 'mysite/settings/local.py': 'SECRET_KEY = "from-local"\nALLOWED_HOSTS = ["example.org"]\n' }, 'mysite/settings/production.py');
    assert.equal(e.py('SECRET_KEY'), 'from-local');
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['example.org']);
    assert.equal(e.setting('SECRET_KEY').binding?.stmt?.file, e.path('mysite/settings/local.py'));
    assert.ok(!e.noteKinds().includes('optional-import-missing'));
  });

  test('healthchecks style: if (BASE_DIR / "local_settings.py").exists() is undecided', async () => {
    const e = await evaluateSettings('from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nDEBUG = False\nif (BASE_DIR / "local_settings.py").exists():\n    from .local_settings import *\n');
    assert.equal(e.py('DEBUG'), false);
  });
});

describe('P3 if not DEBUG hardening block', () => {
  test('the block runs when DEBUG is off by default', async () => {
    const e = await evaluateSettings(
      'import os\nDEBUG = os.getenv("DEBUG", "False") == "True"\nif not DEBUG:\n    SECURE_SSL_REDIRECT = True\n    SESSION_COOKIE_SECURE = True\nif DEBUG:\n    INSTALLED_APPS = ["debug_toolbar"]\n',
    );
    assert.equal(e.py('SECURE_SSL_REDIRECT'), true);
    assert.equal(e.py('SESSION_COOKIE_SECURE'), true);
    assert.equal(e.setting('INSTALLED_APPS').isDefault, true);
  });

  test('with a broken DEBUG default the block is dead in the unset case', async () => {
    const e = await evaluateSettings('import os\nDEBUG = os.getenv("DEBUG", "True") == "True"\nif not DEBUG:\n    SECURE_SSL_REDIRECT = True\n');
    assert.equal(e.py('DEBUG'), true);
    assert.equal(e.setting('SECURE_SSL_REDIRECT').isDefault, true);
  });
});

describe('P4 helpers with string/bool defaults', () => {
  test('healthchecks-style SECRET_KEY placeholder is the fallback', async () => {
    const e = await evaluateSettings('import os\ndef envbool(s, default):\n    v = os.getenv(s, default=default)\n    return v == "True"\nDEBUG = envbool("DEBUG", "True")\nSECRET_KEY = os.getenv("SECRET_KEY", "---")\n');
    assert.equal(e.py('DEBUG'), true);
    assert.equal(e.fallbackText('DEBUG'), '"True"');
    assert.equal(e.py('SECRET_KEY'), '---');
  });
});

describe('P5 PostHog derived flags', () => {
  test('secure_cookies = not DEBUG and not TEST, conditional override not taken', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        'import sys',
        'def get_from_env(key, default=None, *, type_cast=None):',
        '    value = os.getenv(key)',
        '    if value is None or value == "":',
        '        return default',
        '    return type_cast(value) if type_cast else value',
        'def str_to_bool(value):',
        '    return str(value).lower() in ("y", "yes", "t", "true", "on", "1")',
        'DEBUG = get_from_env("DEBUG", False, type_cast=str_to_bool)',
        'TEST = "test" in sys.argv or sys.argv[0].endswith("pytest") or get_from_env("TEST", False, type_cast=str_to_bool)',
        'secure_cookies = get_from_env("SECURE_COOKIES", not DEBUG and not TEST, type_cast=str_to_bool)',
        'SESSION_COOKIE_SECURE = secure_cookies',
        'CSRF_COOKIE_SECURE = secure_cookies',
        'SECURE_SSL_REDIRECT = secure_cookies',
        'if get_from_env("DISABLE_SECURE_SSL_REDIRECT", False, type_cast=str_to_bool):',
        '    SECURE_SSL_REDIRECT = False',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('TEST'), false);
    assert.equal(e.py('SESSION_COOKIE_SECURE'), true);
    assert.equal(e.py('CSRF_COOKIE_SECURE'), true);
    assert.equal(e.py('SECURE_SSL_REDIRECT'), true);
    assert.ok(e.value('SECURE_SSL_REDIRECT').env?.names.includes('SECURE_COOKIES'));
  });
});

describe('P6 guards', () => {
  test('PostHog: not DEBUG and not TEST and SECRET_KEY == DEFAULT + sys.exit makes SECRET_KEY required', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        'import sys',
        'DEBUG = os.getenv("DEBUG", "False").lower() in ("1", "true")',
        'TEST = "test" in sys.argv',
        'DEFAULT_SECRET_KEY = "<randomly generated secret key>"',
        'SECRET_KEY = os.getenv("SECRET_KEY", DEFAULT_SECRET_KEY)',
        'if not DEBUG and not TEST and SECRET_KEY == DEFAULT_SECRET_KEY:',
        '    print("You must specify the SECRET_KEY environment variable")',
        '    sys.exit(1)',
        '',
      ].join('\n'),
    );
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
    // The precondition flags keep their production values.
    assert.equal(e.py('DEBUG'), false);
    assert.equal(e.py('TEST'), false);
    assert.ok(e.noteKinds().includes('guard'));
  });

  test('raise ImproperlyConfigured under `if not DEBUG and not X`', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        'from django.core.exceptions import ImproperlyConfigured',
        'DEBUG = False',
        'ALLOWED_CLIENT_HOSTS = [h for h in os.environ.get("ALLOWED_CLIENT_HOSTS", "").split(",") if h]',
        'if not DEBUG and not ALLOWED_CLIENT_HOSTS:',
        '    raise ImproperlyConfigured("ALLOWED_CLIENT_HOSTS environment variable must be set when DEBUG=False.")',
        '',
      ].join('\n'),
    );
    assertRequired(e.value('ALLOWED_CLIENT_HOSTS'), ['ALLOWED_CLIENT_HOSTS']);
    assert.equal(e.py('DEBUG'), false);
  });

  test('orbitingfox: raise ValueError when the dev key is still in use', async () => {
    const e = await evaluateSettings('import os\n_DEV_SECRET_KEY = "dev"\nDEBUG = os.getenv("DEBUG") == "1"\nSECRET_KEY = os.getenv("SECRET_KEY", _DEV_SECRET_KEY)\nif not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:\n    raise ValueError("set SECRET_KEY")\n');
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
  });

  test('a guard after the fact also covers later reads of the same variable', async () => {
    const e = await evaluateSettings('import os\nif not os.getenv("SECRET_KEY"):\n    raise RuntimeError("SECRET_KEY")\nSECRET_KEY = os.getenv("SECRET_KEY", "fallback")\n');
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
  });

  test('assert is not a guard', async () => {
    const e = await evaluateSettings('import os\nSECRET_KEY = os.getenv("SECRET_KEY", "dev")\nassert SECRET_KEY != "dev"\n');
    assert.equal(e.py('SECRET_KEY'), 'dev');
  });

  test('Saleor: if not SECRET_KEY and DEBUG — not taken when DEBUG is off by default', async () => {
    const e = await evaluateSettings(
      'import os\nfrom django.core.management.utils import get_random_secret_key\nDEBUG = os.environ.get("DEBUG", "") == "True"\nSECRET_KEY = os.environ.get("SECRET_KEY")\nif not SECRET_KEY and DEBUG:\n    SECRET_KEY = get_random_secret_key()\n',
    );
    assert.equal(e.py('SECRET_KEY'), null);
    assertEnv(e.value('SECRET_KEY'), ['SECRET_KEY'], 'str');
  });

  test('Saleor: with DEBUG on by default the random key is generated (unknown)', async () => {
    const e = await evaluateSettings(
      'import os\nfrom django.core.management.utils import get_random_secret_key\nDEBUG = os.environ.get("DEBUG", "True") == "True"\nSECRET_KEY = os.environ.get("SECRET_KEY")\nif not SECRET_KEY and DEBUG:\n    SECRET_KEY = get_random_secret_key()\n',
    );
    assert.equal(e.value('SECRET_KEY').kind, 'unknown');
  });
});

describe('P7 env-selected DATABASES branches', () => {
  test('healthchecks: sqlite unless DB=postgres/mysql', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent',
        'db = os.getenv("DB", "sqlite")',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.getenv("DB_NAME", BASE_DIR / "hc.sqlite")}}',
        'if os.getenv("DB") == "postgres":',
        '    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"sslmode": os.getenv("DB_SSLMODE", "prefer")}}}',
        'if os.getenv("DB") in ["mysql", "mariadb"]:',
        '    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}',
        '',
      ].join('\n'),
    );
    const db = (e.py('DATABASES') as Record<string, Record<string, unknown>>).default!;
    assert.equal(db.ENGINE, 'django.db.backends.sqlite3');
    assert.deepEqual(db.NAME, { path: e.path('hc.sqlite') });
  });
});

describe('P8 permissive env defaults', () => {
  test('ALLOWED_HOSTS = get_list(os.getenv("ALLOWED_HOSTS", "*")) and truthy string flags', async () => {
    const e = await evaluateSettings(
      [
        'import os',
        'def get_list(text):',
        '    return [item.strip() for item in text.split(",") if item]',
        'ALLOWED_HOSTS = get_list(os.getenv("ALLOWED_HOSTS", "*"))',
        'SALEOR_HOSTS = get_list(os.environ.get("SALEOR_HOSTS", "localhost,127.0.0.1"))',
        'TRUST_ALL_PROXIES = os.getenv("TRUST_ALL_PROXIES", False)',
        'CORS_ORIGIN_ALLOW_ALL = True',
        '',
      ].join('\n'),
    );
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['*']);
    assert.deepEqual(e.value('ALLOWED_HOSTS').env?.names, ['ALLOWED_HOSTS']);
    assert.equal(e.fallbackText('ALLOWED_HOSTS'), '"*"');
    assert.deepEqual(e.py('SALEOR_HOSTS'), ['localhost', '127.0.0.1']);
    assert.equal(e.py('TRUST_ALL_PROXIES'), false);
    assertEnv(e.value('TRUST_ALL_PROXIES'), ['TRUST_ALL_PROXIES'], 'str');
  });
});

describe('P9 django-environ schemes and read_env', () => {
  test('read_env gated by a flag, scheme default, smart cast', async () => {
    const e = await evaluateSettings(
      'import environ\nenv = environ.Env(DEBUG=(bool, False))\nif env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):\n    env.read_env()\nenviron.Env.read_env()\nDEBUG = env("DEBUG")\nDATABASES = {"default": env.db("DATABASE_URL", default="postgres:///app")}\n',
    );
    assert.equal(e.py('DEBUG'), false);
    assert.equal((e.py('DATABASES') as Record<string, Record<string, unknown>>).default!.NAME, 'app');
  });
});

describe('P10 python-decouple', () => {
  test('required key, DEBUG cast, Csv hosts', async () => {
    const e = await evaluateSettings('from decouple import config, Csv\nSECRET_KEY = config("SECRET_KEY")\nDEBUG = config("DEBUG", default=False, cast=bool)\nALLOWED_HOSTS = config("ALLOWED_HOSTS", cast=Csv())\n');
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
    assert.equal(e.py('DEBUG'), false);
    assertRequired(e.value('ALLOWED_HOSTS'), ['ALLOWED_HOSTS']);
  });
});

describe('P12 dev literal under DEBUG', () => {
  test('"dummy" if DEBUG else env("X") is required in production', async () => {
    const e = await evaluateSettings('import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=False)\nSECRET_KEY = "dummy-secret" if DEBUG else env("DJANGO_SECRET_KEY")\n');
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
  });

  test('an undecided condition with equal branches is known, with different branches unknown', async () => {
    const e = await evaluateSettings('from somewhere import flag\nA = 1 if flag else 1\nB = 1 if flag else 2\n');
    assert.equal(e.py('A'), 1);
    assert.equal(e.value('B').kind, 'unknown');
  });
});

describe('P14 django-split-settings', () => {
  const files = {
    'proj/__init__.py': '',
    'proj/settings/__init__.py': [
      'from split_settings.tools import include, optional',
      '',
      'include(',
      '    "components/base.py",',
      '    "components/database.py",',
      '    optional("local_settings.py"),',
      ')',
      '',
    ].join('\n'),
    'proj/settings/components/base.py': 'DEBUG = False\nINSTALLED_APPS = ["django.contrib.admin"]\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]\n',
    'proj/settings/components/database.py': 'INSTALLED_APPS += ["django.contrib.postgres"]\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}}\n',
  };

  test('include() runs the files in order in the including namespace; a missing optional() is noted', async () => {
    const e = await evaluateProject(files, 'proj/settings/__init__.py');
    assert.equal(e.py('DEBUG'), false);
    assert.deepEqual(e.py('INSTALLED_APPS'), ['django.contrib.admin', 'django.contrib.postgres']);
    assert.equal((e.py('DATABASES') as Record<string, Record<string, unknown>>).default!.CONN_MAX_AGE, 60);
    assert.equal(e.setting('DEBUG').binding?.stmt?.file, e.path('proj/settings/components/base.py'));
    assert.ok(e.noteKinds().includes('optional-import-missing'));
    assert.equal(e.setting('SECRET_KEY').mayBeDefinedElsewhere, true);
  });

  test('a present optional file is included; nested includes are relative to the included file', async () => {
    const e = await evaluateProject(
      {
        ...files,
        'proj/settings/local_settings.py': 'DEBUG = True\n',
        'proj/settings/components/base.py': 'from split_settings.tools import include\nDEBUG = False\ninclude("extra/apps.py")\n',
        'proj/settings/components/extra/apps.py': 'INSTALLED_APPS = ["x"]\n',
      },
      'proj/settings/__init__.py',
    );
    assert.equal(e.py('DEBUG'), true);
    assert.deepEqual(e.py('INSTALLED_APPS'), ['x', 'django.contrib.postgres']);
    assert.ok(!e.noteKinds().includes('optional-import-missing'));
  });

  test('a missing required include fails like Python (IOError) but evaluation goes on', async () => {
    const e = await evaluateProject({ 'proj/__init__.py': '', 'proj/settings.py': 'from split_settings.tools import include\ninclude("missing.py")\nDEBUG = False\n' }, 'proj/settings.py');
    assert.equal(e.py('DEBUG'), false);
    assert.ok(e.noteKinds().includes('aborted'));
  });

  test('a glob pattern is not expanded: settings it may define are unknown', async () => {
    const e = await evaluateProject({ 'proj/__init__.py': '', 'proj/settings.py': 'from split_settings.tools import include\ninclude("components/*.py")\n' }, 'proj/settings.py');
    assert.equal(e.setting('SECRET_KEY').mayBeDefinedElsewhere, true);
  });
});

describe('P15 settings pulled from sibling modules', () => {
  test('from .logging_config import LOGGING and a called validator make the names required', async () => {
    const e = await evaluateProject(
      {
        'proj/__init__.py': '',
        'proj/logging_config.py': 'LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}}}\n',
        'proj/validators.py': [
          'import os',
          'from django.core.exceptions import ImproperlyConfigured',
          '',
          'REQUIRED = ["SECRET_KEY", "DATABASE_URL"]',
          '',
          'def validate_required_env_vars():',
          '    missing = [name for name in REQUIRED if not os.environ.get(name)]',
          '    if missing:',
          '        raise ImproperlyConfigured(f"Missing environment variables: {\', \'.join(missing)}")',
          '',
        ].join('\n'),
        'proj/settings.py': [
          'import os',
          'from .logging_config import LOGGING',
          'from .validators import validate_required_env_vars',
          '',
          'SECRET_KEY = os.environ.get("SECRET_KEY")',
          'validate_required_env_vars()',
          'DATABASE_URL = os.getenv("DATABASE_URL", "sqlite://")',
          '',
        ].join('\n'),
      },
      'proj/settings.py',
    );
    assert.equal(((e.py('LOGGING') as Record<string, Record<string, unknown>>).handlers!.console as Record<string, unknown>).class, 'logging.StreamHandler');
    assertRequired(e.value('SECRET_KEY'), ['SECRET_KEY']);
    assert.equal(e.value('DATABASE_URL').kind, 'unknown');
  });
});

describe('P16 env-selected module in the package __init__', () => {
  test('the fallback of DJANGO_ENV selects the dev module', async () => {
    const e = await evaluateProject(
      {
        'proj/__init__.py': '',
        'proj/settings/__init__.py': 'import os\nENV = os.getenv("DJANGO_ENV", "dev")\nif ENV == "production":\n    from .production import *\nelse:\n    from .dev import *\n',
        'proj/settings/production.py': 'DEBUG = False\n',
        'proj/settings/dev.py': 'DEBUG = True\n',
      },
      'proj/settings/__init__.py',
    );
    assert.equal(e.py('DEBUG'), true);
    assert.equal(e.setting('DEBUG').binding?.stmt?.file, e.path('proj/settings/dev.py'));
  });
});

describe('P17 SILENCED_SYSTEM_CHECKS', () => {
  test('a list built in pieces is known', async () => {
    const e = await evaluateSettings('SILENCED_SYSTEM_CHECKS = ["security.W004"]\nSILENCED_SYSTEM_CHECKS += ["security.W008"]\n');
    assert.deepEqual([...e.profile.silencedChecks].sort(), ['security.W004', 'security.W008']);
  });
});

describe('P20 platform suffixes appended to ALLOWED_HOSTS', () => {
  test('ALLOWED_HOSTS.append(".vercel.app") and an unknown append', async () => {
    const e = await evaluateSettings('import socket\nALLOWED_HOSTS = ["example.com"]\nALLOWED_HOSTS.append(".vercel.app")\nALLOWED_HOSTS.append(socket.gethostbyname(socket.gethostname()))\n');
    const v = e.value('ALLOWED_HOSTS');
    assert.equal(v.kind, 'list');
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['example.com', '.vercel.app', '?']);
    assert.equal(e.rhsText('ALLOWED_HOSTS'), '["example.com"]');
  });
});

describe('required reads inside blocks', () => {
  test('a required read inside `if not DEBUG:` is not a guard: the block still counts', async () => {
    const e = await evaluateSettings(
      'import os\nDEBUG = os.getenv("DEBUG", "0") == "1"\nif not DEBUG:\n    SECURE_SSL_REDIRECT = True\n    DB_PASSWORD = os.environ["DB_PASSWORD"]\n    SESSION_COOKIE_SECURE = True\n',
    );
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DEBUG'], 'bool');
    assert.equal(e.py('SECURE_SSL_REDIRECT'), true);
    assertRequired(e.value('DB_PASSWORD'), ['DB_PASSWORD']);
    assert.equal(e.py('SESSION_COOKIE_SECURE'), true);
  });

  test('a required read on one side of an undecided if binds only that side', async () => {
    const e = await evaluateSettings('import os\nfrom x import flag\nif flag:\n    KEY = os.environ["KEY"]\nelse:\n    KEY = "k"\nLATER = os.getenv("KEY", "fallback")\n');
    assert.equal(e.value('KEY').kind, 'unknown');
    assert.equal(e.py('LATER'), 'fallback');
  });

  test('a required read in a class body keeps the class', async () => {
    const e = await evaluateSettings('import os\nclass Conf:\n    KEY = os.environ["KEY"]\n    DEBUG = False\nDEBUG = Conf.DEBUG\nKEY = Conf.KEY\n');
    assert.equal(e.py('DEBUG'), false);
    assertRequired(e.value('KEY'), ['KEY']);
  });
});

test('sys.path.append(a project folder) makes later imports resolve from it (Horizon local settings)', async () => {
  const e = await evaluateProject(
    {
      'dash/__init__.py': '',
      'dash/settings.py': [
        'import os',
        'import sys',
        'ROOT_PATH = os.path.dirname(os.path.abspath(__file__))',
        'if ROOT_PATH not in sys.path:',
        '    sys.path.append(ROOT_PATH)',
        'DEBUG = True',
        'SECRET_KEY = None',
        'try:',
        '    from local.local_settings import *',
        'except ImportError:',
        '    pass',
        'sys.path.insert(0, "/usr/share/elsewhere")',
        'try:',
        '    from outside import *',
        'except ImportError:',
        '    OUTSIDE = "not found"',
        '',
      ].join('\n'),
      'dash/local/__init__.py': '',
      'dash/local/local_settings.py': 'DEBUG = False\nSECRET_KEY = os_key = "from-local"\n',
    },
    'dash/settings.py',
  );
  assert.equal(e.py('DEBUG'), false);
  assert.equal(e.py('SECRET_KEY'), 'from-local');
  assert.ok(e.profile.filesRead.has(e.path('dash/local/local_settings.py')));
  // A folder outside the project is never searched: nothing outside it is read.
  assert.deepEqual([...e.profile.filesRead].filter((f) => !f.startsWith(e.dir)), []);
});
