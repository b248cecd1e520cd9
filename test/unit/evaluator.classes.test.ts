// Settings held in classes: pydantic-settings (spec P11), django-configurations (P13) and plain
// class attributes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertEnv, assertRequired, evaluateProject, evaluateSettings } from './evaluatorHelpers';

describe('P11 pydantic-settings', () => {
  test('class Config env_prefix, Field defaults, a required field, settings read from another module', async () => {
    const e = await evaluateProject(
      {
        'server/__init__.py': '',
        'server/configs/__init__.py': '',
        'server/configs/django.py': [
          'from typing import List',
          'from pydantic import BaseSettings, Field',
          '',
          'class DjangoConfig(BaseSettings):',
          '    secret_key: str = Field()',
          '    debug: bool = Field(False)',
          '    allowed_hosts: List[str] = Field(["127.0.0.1", "localhost"])',
          '    db_conn_max_age: int = Field(default=60)',
          '',
          '    class Config:',
          '        env_prefix = "DJANGO_"',
          '',
          'django_config = DjangoConfig()',
          '',
        ].join('\n'),
        'server/settings.py': [
          'from server.configs.django import django_config',
          '',
          'SECRET_KEY = django_config.secret_key',
          'DEBUG = django_config.debug',
          'ALLOWED_HOSTS = django_config.allowed_hosts',
          'CONN_MAX_AGE = django_config.db_conn_max_age',
          '',
        ].join('\n'),
      },
      'server/settings.py',
    );
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'bool');
    // The finding goes to the field default, the settings line is the binding.
    assert.equal(e.value('DEBUG').env?.fallback?.file, e.path('server/configs/django.py'));
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assert.equal(e.rhsText('DEBUG'), 'django_config.debug');
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['127.0.0.1', 'localhost']);
    assertEnv(e.value('ALLOWED_HOSTS'), ['DJANGO_ALLOWED_HOSTS'], 'list');
    assert.equal(e.py('CONN_MAX_AGE'), 60);
    assertEnv(e.value('CONN_MAX_AGE'), ['DJANGO_DB_CONN_MAX_AGE'], 'int');
  });

  test('model_config = SettingsConfigDict(env_prefix=...), plain defaults, SecretStr, ellipsis', async () => {
    const e = await evaluateSettings(
      [
        'from functools import lru_cache',
        'from pydantic import SecretStr, Field',
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        '',
        'class Settings(BaseSettings):',
        '    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")',
        '    SECRET_KEY: str = "django-insecure-abc"',
        '    DEBUG: bool = True',
        '    DB_PASSWORD: SecretStr',
        '    API_TOKEN: SecretStr = SecretStr("x")',
        '    REQUIRED: str = ...',
        '    HOSTS: list[str] | None = None',
        '    TOKEN: str = Field(..., alias="EXTERNAL_TOKEN")',
        '',
        '@lru_cache',
        'def get_settings() -> Settings:',
        '    return Settings()',
        '',
        'settings = get_settings()',
        'SECRET_KEY = settings.SECRET_KEY',
        'DEBUG = settings.DEBUG',
        'DB_PASSWORD = settings.DB_PASSWORD.get_secret_value()',
        'REQUIRED = settings.REQUIRED',
        'HOSTS = settings.HOSTS',
        'TOKEN = settings.TOKEN',
        '',
      ].join('\n'),
    );
    assert.equal(e.py('SECRET_KEY'), 'django-insecure-abc');
    assertEnv(e.value('SECRET_KEY'), ['APP_SECRET_KEY'], 'str');
    assert.equal(e.fallbackText('SECRET_KEY'), '"django-insecure-abc"');
    assert.equal(e.py('DEBUG'), true);
    assertEnv(e.value('DEBUG'), ['APP_DEBUG'], 'bool');
    assert.equal(e.fallbackText('DEBUG'), 'True');
    assertRequired(e.value('DB_PASSWORD'), ['APP_DB_PASSWORD']);
    assertRequired(e.value('REQUIRED'), ['APP_REQUIRED']);
    assert.equal(e.py('HOSTS'), null);
    assertEnv(e.value('HOSTS'), ['APP_HOSTS'], 'list');
    assertRequired(e.value('TOKEN'), ['EXTERNAL_TOKEN']);
  });

  test('fields are inherited, constructor keywords win, case_sensitive keeps the name', async () => {
    const e = await evaluateSettings(
      [
        'from pydantic_settings import BaseSettings',
        'class Base(BaseSettings):',
        '    debug: bool = False',
        '    class Config:',
        '        case_sensitive = True',
        '        env_prefix = "my_"',
        'class Prod(Base):',
        '    hosts: list = ["example.com"]',
        's = Prod(hosts=["a.com"])',
        'DEBUG = s.debug',
        'HOSTS = s.hosts',
        '',
      ].join('\n'),
    );
    assertEnv(e.value('DEBUG'), ['my_debug'], 'bool');
    assert.deepEqual(e.py('HOSTS'), ['a.com']);
    assert.equal(e.value('HOSTS').env, undefined);
  });

  test('a class that is not a settings class stays unknown when instantiated', async () => {
    const e = await evaluateSettings('class Helper:\n    debug = True\nh = Helper()\nDEBUG = h.debug\n');
    assert.equal(e.value('DEBUG').kind, 'unknown');
  });
});

describe('class attributes', () => {
  test('Config.DEBUG reads the class body, through bases', async () => {
    const e = await evaluateSettings('import os\nclass Base:\n    DEBUG = os.getenv("DEBUG", "0") == "1"\n    HOSTS = ["a"]\nclass Prod(Base):\n    HOSTS = ["b"]\nDEBUG = Prod.DEBUG\nALLOWED_HOSTS = Prod.HOSTS\nMISSING = Prod.NOPE\n');
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DEBUG'], 'bool');
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['b']);
    assert.equal(e.value('MISSING').kind, 'unknown');
  });
});

describe('P13 django-configurations', () => {
  const settings = [
    'from configurations import Configuration, values',
    '',
    'class Base(Configuration):',
    '    DEBUG = False',
    '    INSTALLED_APPS = ["django.contrib.admin"]',
    '    ALLOWED_HOSTS = values.ListValue(["example.com"])',
    '    CONN_MAX_AGE = values.IntegerValue(60, environ_prefix="APP")',
    '    DATABASES = values.DatabaseURLValue("postgres://db/app", conn_max_age=600)',
    '    LITERAL = values.BooleanValue(True, environ=False)',
    '',
    'class Dev(Base):',
    '    DEBUG = True',
    '    SECRET_KEY = "dev"',
    '',
    'class Prod(Base):',
    '    DEBUG = values.BooleanValue(False)',
    '    SECRET_KEY = values.SecretValue()',
    '    INSTALLED_APPS = Base.INSTALLED_APPS + ["storages"]',
    '',
  ].join('\n');

  test('the production class is flattened into settings, values read DJANGO_<NAME>', async () => {
    const e = await evaluateSettings(settings);
    assert.equal(e.py('DEBUG'), false);
    assertEnv(e.value('DEBUG'), ['DJANGO_DEBUG'], 'bool');
    assert.equal(e.fallbackText('DEBUG'), 'False');
    assertRequired(e.value('SECRET_KEY'), ['DJANGO_SECRET_KEY']);
    assert.deepEqual(e.py('ALLOWED_HOSTS'), ['example.com']);
    assertEnv(e.value('ALLOWED_HOSTS'), ['DJANGO_ALLOWED_HOSTS'], 'list');
    assertEnv(e.value('CONN_MAX_AGE'), ['APP_CONN_MAX_AGE'], 'int');
    assert.equal((e.py('DATABASES') as Record<string, Record<string, unknown>>).default!.CONN_MAX_AGE, 600);
    assert.equal(e.py('LITERAL'), true);
    assert.equal(e.value('LITERAL').env, undefined);
    assert.deepEqual(e.py('INSTALLED_APPS'), ['django.contrib.admin', 'storages']);
    assert.equal(e.rhsText('SECRET_KEY'), 'values.SecretValue()');
  });

  test('DJANGO_CONFIGURATION set by the settings selects the class', async () => {
    const e = await evaluateSettings(`import os\nos.environ.setdefault("DJANGO_CONFIGURATION", "Dev")\n${settings}`);
    assert.equal(e.py('DEBUG'), true);
    assert.equal(e.py('SECRET_KEY'), 'dev');
  });

  test('without a production-named class the settings may come from any class', async () => {
    const e = await evaluateSettings('from configurations import Configuration\nclass Base(Configuration):\n    DEBUG = False\nclass Dev(Base):\n    DEBUG = True\n');
    assert.ok(e.noteKinds().includes('dynamic'));
    assert.equal(e.setting('SECRET_KEY').mayBeDefinedElsewhere, true);
  });
});
