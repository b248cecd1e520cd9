// A large synthetic Django workspace for benchmarks: split settings, many apps with models, views,
// urls and tests, requirements and Dockerfiles. Deterministic, so numbers compare across runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function write(root: string, rel: string, text: string): void {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
}

function settingsBase(i: number): string {
  const lines = ['import os', 'from pathlib import Path', '', 'BASE_DIR = Path(__file__).resolve().parent.parent.parent', 'DEBUG = os.environ.get("DJANGO_DEBUG", "False").lower() in ("1", "true", "yes")', 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]', 'INSTALLED_APPS = ['];
  for (const app of ['django.contrib.admin', 'django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions', 'django.contrib.messages', 'django.contrib.staticfiles', 'rest_framework']) lines.push(`    "${app}",`);
  for (let a = 0; a < 40; a++) lines.push(`    "apps.app${a}",`);
  lines.push(']', 'MIDDLEWARE = [', '    "django.middleware.security.SecurityMiddleware",', '    "django.contrib.sessions.middleware.SessionMiddleware",', '    "django.middleware.common.CommonMiddleware",', '    "django.middleware.csrf.CsrfViewMiddleware",', '    "django.contrib.auth.middleware.AuthenticationMiddleware",', '    "django.contrib.messages.middleware.MessageMiddleware",', '    "django.middleware.clickjacking.XFrameOptionsMiddleware",', ']');
  // Bulk: many ordinary settings, as big real projects have.
  for (let k = 0; k < i; k++) lines.push(`FEATURE_FLAG_${k} = os.environ.get("FEATURE_FLAG_${k}", "off") == "on"`, `SERVICE_${k}_URL = os.environ.get("SERVICE_${k}_URL", "http://service-${k}.internal")`, `LIMITS_${k} = {"rate": ${k % 17}, "burst": ${k % 5}, "name": "limit-${k}"}`);
  return lines.join('\n') + '\n';
}

export function generateWorkspace(root: string, { apps = 40, modulesPerApp = 95, settingsLines = 3000 } = {}): { files: number; bytes: number } {
  write(root, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n');
  write(root, 'config/__init__.py', '');
  write(root, 'config/wsgi.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n');
  write(root, 'config/settings/__init__.py', '');
  write(root, 'config/settings/base.py', settingsBase(Math.floor(settingsLines / 3)));
  write(root, 'config/settings/production.py', 'from .base import *  # noqa\n\nSECURE_SSL_REDIRECT = True\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\n');
  write(root, 'config/settings/local.py', 'from .base import *  # noqa\n\nDEBUG = True\nSECRET_KEY = "django-insecure-local"\n');
  write(root, 'config/urls.py', 'from django.urls import include, path\n\nurlpatterns = [\n' + Array.from({ length: apps }, (_, a) => `    path("app${a}/", include("apps.app${a}.urls")),`).join('\n') + '\n]\n');
  write(root, 'requirements.txt', 'Django==4.2.16\ngunicorn==23.0.0\npsycopg2-binary==2.9.10\ndjangorestframework==3.15.2\n');
  write(root, 'Dockerfile', 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER app\nCMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000"]\n');
  let files = 9;
  let bytes = 0;
  for (let a = 0; a < apps; a++) {
    const app = `apps/app${a}`;
    write(root, `${app}/__init__.py`, '');
    const views = ['from django.http import JsonResponse', 'from django.views.decorators.http import require_GET', ''];
    for (let v = 0; v < 30; v++) views.push('@require_GET', `def item_${v}(request, pk):`, `    """Return item ${v}."""`, `    return JsonResponse({"id": pk, "kind": ${v}})`, '');
    write(root, `${app}/views.py`, views.join('\n'));
    write(root, `${app}/urls.py`, 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n' + Array.from({ length: 30 }, (_, v) => `    path("item${v}/<int:pk>/", views.item_${v}),`).join('\n') + '\n]\n');
    for (let m = 0; m < modulesPerApp - 3; m++) {
      const body = [`"""Module ${m} of app ${a}: domain logic."""`, 'from django.db import models', ''];
      for (let c = 0; c < 12; c++) {
        body.push(`class Thing${m}_${c}(models.Model):`, '    name = models.CharField(max_length=200)', '    created = models.DateTimeField(auto_now_add=True)', '', '    def describe(self):', `        total = sum(i * ${c} for i in range(10))`, '        return f"{self.name} {total}"', '');
      }
      const text = body.join('\n');
      bytes += text.length;
      write(root, `${app}/domain/mod${m}.py`, text);
      files++;
    }
    files += 3;
  }
  return { files, bytes };
}
