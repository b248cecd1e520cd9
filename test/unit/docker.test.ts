// Dockerfile model and rules (multi-stage, ARG substitution, hadolint pragmas, suppression comments
// above instructions), compose/ignore-file semantics, and the cross-file behaviour on the example
// project: rules fire there and go quiet when the missing piece is added where it may live.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { dockerIgnored, gitIgnored, parseDockerignore, parseGitignore } from '../../server/src/engine/deploy/ignorefiles';
import { splitCommands } from '../../server/src/engine/deploy/shell';
import { YamlDocument, get } from '../../server/src/engine/deploy/yaml';
import { analyzeDir, REPO_ROOT, writeProject } from '../helpers/engine';

const BASE = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/__init__.py': '',
  'proj/settings.py': 'DEBUG = False\nALLOWED_HOSTS = ["x"]\n',
  'proj/wsgi.py': '',
  'requirements.txt': 'Django==5.2.9\ngunicorn==23.0.0\n',
  '.dockerignore': '.git\n.env\n',
  '.gitignore': '.env\n',
};

async function codes(files: Record<string, string>, code?: string): Promise<{ code: string; message: string; line: number; file: string; severity: string }[]> {
  const dir = writeProject({ ...BASE, ...files });
  const { analyzer, findings } = await analyzeDir(dir);
  analyzer.dispose();
  return findings.filter((f) => !code || f.code === code).map((f) => ({ code: f.code, message: f.message, line: f.range.start.line, file: f.file.slice(dir.length + 1), severity: f.severity }));
}

describe('Dockerfile rules', () => {
  test('only the final stage decides USER; builder stages may be root', async () => {
    const df = 'FROM python:3.12-slim AS build\nUSER root\nRUN pip wheel --no-cache-dir -w /w gunicorn==23.0.0\nFROM python:3.12-slim\nRUN useradd app\nUSER app\nCMD ["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]\n';
    assert.deepEqual(await codes({ Dockerfile: df }, 'DOCKER-USER-ROOT'), []);
    assert.deepEqual(await codes({ Dockerfile: df }, 'DOCKER-USER-MISSING'), []);
    const inherits = 'FROM python:3.12-slim AS base\nRUN useradd app\nUSER app\nFROM base\nCMD ["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]\n';
    assert.deepEqual(await codes({ Dockerfile: inherits }, 'DOCKER-USER-MISSING'), [], 'USER inherited from an earlier stage');
  });

  test('# hadolint ignore=DLxxxx and .hadolint.yaml silence the mirrored rules', async () => {
    const df = 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\nCOPY . .\n# hadolint ignore=DL3002\nUSER root\nCMD ["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]\n';
    assert.deepEqual(await codes({ Dockerfile: df }, 'DOCKER-USER-ROOT'), []);
    assert.equal((await codes({ Dockerfile: df.replace('# hadolint ignore=DL3002\n', '') }, 'DOCKER-USER-ROOT')).length, 1);
    assert.equal((await codes({ Dockerfile: df }, 'DOCKER-PIP-NO-CACHE')).length, 1);
    assert.deepEqual(await codes({ Dockerfile: df, '.hadolint.yaml': 'ignored:\n  - DL3042\n' }, 'DOCKER-PIP-NO-CACHE'), []);
  });

  test('# django-readiness: ignore[ID] on the line above an instruction suppresses it', async () => {
    const df = 'FROM python:3.12-slim\n# django-readiness: ignore[DOCKER-RUNSERVER]\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n';
    assert.deepEqual(await codes({ Dockerfile: df }, 'DOCKER-RUNSERVER'), []);
    assert.equal((await codes({ Dockerfile: df.replace('# django-readiness: ignore[DOCKER-RUNSERVER]\n', '') }, 'DOCKER-RUNSERVER')).length, 1);
  });

  test('runserver inside the entrypoint script, and dev Dockerfiles stay quiet', async () => {
    const hits = await codes({ Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nENTRYPOINT ["./docker-entrypoint.sh"]\n', 'docker-entrypoint.sh': '#!/bin/sh\npython manage.py migrate\nexec python manage.py runserver 0.0.0.0:8000\n' }, 'DOCKER-RUNSERVER');
    assert.equal(hits.length, 1);
    assert.match(hits[0]!.message, /docker-entrypoint\.sh/);
    assert.deepEqual(await codes({ 'Dockerfile.dev': 'FROM python:3.12-slim\nCMD python manage.py runserver 0.0.0.0:8000\n' }, 'DOCKER-RUNSERVER'), []);
  });

  test('ARG defaults are substituted in FROM; an ARG without default is not judged', async () => {
    assert.equal((await codes({ Dockerfile: 'ARG BASE=python:latest\nFROM ${BASE}\n' }, 'DOCKER-FROM-LATEST')).length, 1);
    assert.deepEqual(await codes({ Dockerfile: 'ARG BASE\nFROM ${BASE}\n' }, 'DOCKER-FROM-LATEST'), []);
    assert.deepEqual(await codes({ Dockerfile: 'ARG BASE\nFROM ${BASE}\n' }, 'DOCKER-FROM-UNTAGGED'), []);
  });

  test('secrets: suffix-matched names; RUN prefixes and *_FILE are not secrets; ARG is a warning', async () => {
    const hits = await codes({ Dockerfile: 'FROM python:3.12-slim\nARG GITHUB_TOKEN\nENV GOPRIVATE=github.com/x AWS_WEB_IDENTITY_TOKEN_FILE=/t DJANGO_SECRET_KEY_FILE=/run/s\nENV SENTRY_DSN=https://abc@o1.ingest.sentry.io/1\nRUN DJANGO_SECRET_KEY=x python manage.py collectstatic --noinput\n' }, 'DOCKER-SECRET-IN-ENV-ARG');
    assert.deepEqual(hits.map((h) => [h.line, h.severity]), [[1, 'warning'], [3, 'error']]);
  });

  test('heredoc RUN bodies are commands; migrate --check is fine', async () => {
    assert.equal((await codes({ Dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\npip install --no-cache-dir -r requirements.txt\npython manage.py migrate\nEOF\n' }, 'DOCKER-MIGRATE-AT-BUILD')).length, 1);
    assert.deepEqual(await codes({ Dockerfile: 'FROM python:3.12-slim\nRUN python manage.py migrate --check\n' }, 'DOCKER-MIGRATE-AT-BUILD'), []);
  });

  test('-r paths resolve through COPY destinations into the build context', async () => {
    const df = 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements/ /tmp/req/\nRUN pip install --no-cache-dir -r /tmp/req/prod.txt\nCMD ["gunicorn", "proj.wsgi:application", "--bind", "0.0.0.0:8000"]\n';
    const files = { Dockerfile: df, 'requirements.txt': '', 'requirements/prod.txt': 'Django==5.2.9\n' };
    const hits = await codes(files, 'DOCKER-SERVER-NOT-INSTALLED');
    assert.equal(hits.length, 1, 'gunicorn is not in requirements/prod.txt');
    assert.deepEqual(await codes({ ...files, 'requirements/prod.txt': 'Django==5.2.9\ngunicorn==23.0.0\n' }, 'DOCKER-SERVER-NOT-INSTALLED'), []);
    assert.deepEqual(await codes(files, 'DOCKER-PIP-REQ-NOT-COPIED'), []);
  });

  test('.dockerignore is anchored at the context root', async () => {
    const df = 'FROM python:3.12-slim\nCOPY . .\n';
    assert.deepEqual(await codes({ Dockerfile: df, '.env': 'X=1\n' }, 'DOCKER-ENV-FILE-IN-IMAGE'), []);
    assert.equal((await codes({ Dockerfile: df, 'app/.env': 'X=1\n' }, 'DOCKER-ENV-FILE-IN-IMAGE')).length, 1);
    assert.deepEqual(await codes({ Dockerfile: df, 'app/.env': 'X=1\n', '.dockerignore': '**/.env\n' }, 'DOCKER-ENV-FILE-IN-IMAGE'), []);
  });
});

describe('compose, env files and ignore files', () => {
  test('override and dev compose files are quiet; a lone docker-compose.yml gets full severity, one next to others one step less', async () => {
    const web = 'services:\n  web:\n    build: .\n    restart: always\n    environment:\n      - DJANGO_DEBUG=True\n';
    assert.deepEqual(await codes({ 'docker-compose.override.yml': web }, 'COMPOSE-DEBUG-TRUE'), []);
    assert.equal((await codes({ 'docker-compose.yml': web }, 'COMPOSE-DEBUG-TRUE'))[0]?.severity, 'error');
    assert.equal((await codes({ 'docker-compose.yml': web, 'docker-compose.override.yml': 'services: {}\n' }, 'COMPOSE-DEBUG-TRUE'))[0]?.severity, 'warning');
  });
  test('the YAML reader handles anchors, merge keys, flow collections and block scalars', () => {
    const doc = new YamlDocument('x-env: &env\n  DJANGO_DEBUG: "False"\nservices:\n  web:\n    environment:\n      <<: *env\n      OTHER: 1\n    ports: ["80:8000", "443:8443"]\n    command: >\n      gunicorn proj.wsgi:application\n      --bind 0.0.0.0:8000\n');
    const web = get(get(doc.root, 'services'), 'web');
    const env = get(web, 'environment');
    assert.equal(env?.kind === 'map' && env.entries.map((e) => e.key).join(','), 'DJANGO_DEBUG,OTHER');
    assert.equal(get(web, 'ports')?.kind, 'seq');
    const cmd = get(web, 'command');
    assert.equal(cmd?.kind === 'scalar' && cmd.value, 'gunicorn proj.wsgi:application --bind 0.0.0.0:8000');
  });
  test('git and docker ignore semantics differ', () => {
    assert.ok(gitIgnored(parseGitignore('.env\n'), 'sub/.env'));
    assert.ok(!dockerIgnored(parseDockerignore('.env\n'), 'sub/.env'));
    assert.ok(gitIgnored(parseGitignore('.env*\n'), '.env.example'));
    assert.ok(!gitIgnored(parseGitignore('.env*\n!.env.example\n'), '.env.example'));
    assert.ok(gitIgnored(parseGitignore('secrets/\n!secrets/.env.example\n'), 'secrets/.env.example'), 'git cannot re-include under an ignored folder');
    assert.ok(!dockerIgnored(parseDockerignore('secrets\n!secrets/.env.example\n'), 'secrets/.env.example'), 'docker can');
  });
  test('shell splitting keeps quoted operators', () => {
    assert.deepEqual(splitCommands('pip install "a&&b" && python manage.py migrate; echo "x;y"').map((c) => c.argv[0]), ['pip', 'python', 'echo']);
  });
});

describe('the example project (cross-file)', () => {
  function example(edit: (dir: string) => void = () => {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'djr-example-'));
    cpSync(join(REPO_ROOT, 'example'), dir, { recursive: true });
    edit(dir);
    return dir;
  }
  const write = (dir: string, rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  async function found(dir: string): Promise<Set<string>> {
    const { analyzer, findings } = await analyzeDir(dir);
    analyzer.dispose();
    rmSync(dir, { recursive: true, force: true });
    return new Set(findings.map((f) => f.code));
  }

  test('reports the Dockerfile and requirements problems it was written with', async () => {
    const codes = await found(example());
    for (const c of ['DOCKER-RUNSERVER', 'DOCKER-DEBUG-ENV', 'DOCKER-USER-MISSING', 'DOCKER-CMD-SHELL-FORM', 'DOCKER-COLLECTSTATIC-MISSING', 'REQ-UNPINNED', 'REQ-NOT-EXACT', 'REQ-DJANGO-VULNERABLE']) assert.ok(codes.has(c), c);
  });

  test('a missing app server is found, and found again nowhere once it lives in an -r include or pyproject', async () => {
    const noServer = (dir: string) => write(dir, 'requirements.txt', 'Django==4.2.27\npsycopg2-binary==2.9.10\n');
    assert.ok((await found(example(noServer))).has('REQ-MISSING-APP-SERVER'));
    const viaInclude = await found(example((dir) => {
      write(dir, 'requirements.txt', 'Django==4.2.27\npsycopg2-binary==2.9.10\n-r requirements/server.txt\n');
      write(dir, 'requirements/server.txt', 'gunicorn==23.0.0\n');
    }));
    assert.ok(!viaInclude.has('REQ-MISSING-APP-SERVER'));
    const viaPyproject = await found(example((dir) => {
      noServer(dir);
      write(dir, 'pyproject.toml', '[project]\nname = "shop"\nversion = "1.0"\ndependencies = [\n    "gunicorn>=23",\n]\n');
    }));
    assert.ok(!viaPyproject.has('REQ-MISSING-APP-SERVER'));
  });

  test('the image starting gunicorn that its requirements lack; quiet once an included file adds it', async () => {
    const gunicornCmd = (dir: string) => write(dir, 'Dockerfile', readFileSync(join(dir, 'Dockerfile'), 'utf8').replace('CMD python manage.py runserver 0.0.0.0:8000', 'CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]'));
    assert.ok((await found(example((dir) => { gunicornCmd(dir); write(dir, 'requirements.txt', 'Django==4.2.27\n'); }))).has('DOCKER-SERVER-NOT-INSTALLED'));
    const fixed = await found(example((dir) => {
      gunicornCmd(dir);
      write(dir, 'requirements.txt', 'Django==4.2.27\n-r requirements/base.txt\n');
      write(dir, 'requirements/base.txt', 'gunicorn==23.0.0\n');
    }));
    assert.ok(!fixed.has('DOCKER-SERVER-NOT-INSTALLED'));
  });

  test('packages the settings use: whitenoise and a PostgreSQL driver, satisfied by -r includes and pyproject', async () => {
    const settings = (dir: string) => {
      const p = join(dir, 'shop/settings.py');
      writeFileSync(p, readFileSync(p, 'utf8').replace('MIDDLEWARE = [', 'MIDDLEWARE = [\n    "whitenoise.middleware.WhiteNoiseMiddleware",').replace('"django.db.backends.sqlite3"', '"django.db.backends.postgresql"'));
    };
    const bare = await found(example((dir) => { settings(dir); write(dir, 'requirements.txt', 'Django==4.2.27\ngunicorn==23.0.0\n'); }));
    assert.ok(bare.has('REQ-MISSING-PACKAGE') && bare.has('REQ-MISSING-DB-DRIVER'));
    const included = await found(example((dir) => {
      settings(dir);
      write(dir, 'requirements.txt', 'Django==4.2.27\ngunicorn==23.0.0\n-r requirements/prod.txt\n');
      write(dir, 'requirements/prod.txt', 'whitenoise==6.8.2\npsycopg[binary]==3.2.3\n');
    }));
    assert.ok(!included.has('REQ-MISSING-PACKAGE') && !included.has('REQ-MISSING-DB-DRIVER'));
    const pyproject = await found(example((dir) => {
      settings(dir);
      write(dir, 'requirements.txt', 'Django==4.2.27\ngunicorn==23.0.0\n');
      write(dir, 'pyproject.toml', '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["whitenoise>=6.8", "psycopg[binary]>=3.2"]\n');
    }));
    assert.ok(!pyproject.has('REQ-MISSING-PACKAGE') && !pyproject.has('REQ-MISSING-DB-DRIVER'));
  });

  test('collectstatic in an entrypoint script counts', async () => {
    const codes = await found(example((dir) => {
      write(dir, 'Dockerfile', readFileSync(join(dir, 'Dockerfile'), 'utf8').replace('CMD python manage.py runserver 0.0.0.0:8000', 'CMD ["./start.sh"]'));
      write(dir, 'start.sh', '#!/bin/sh\npython manage.py collectstatic --noinput\nexec gunicorn shop.wsgi:application --bind 0.0.0.0:8000\n');
    }));
    assert.ok(!codes.has('DOCKER-COLLECTSTATIC-MISSING'));
    assert.ok(!codes.has('DOCKER-NO-APP-SERVER'));
  });
});
