import { join, sep } from 'node:path';
import { baseName } from '../../workspace';
import { dictGetStr } from '../../settings/value';
import type { TextEdit } from '../../types';
import { DEFAULT_FILE_STORAGE } from '../ops/blocks';
import { type OpsContext, assignsName, insertNear, opsContext, prodRoot, strOf, styled, versionAtLeast } from '../ops/support';
import type { ProjectRule } from '../types';

const PLATFORM_FILES: [RegExp, string][] = [
  [/^Procfile$/, 'Heroku-style Procfile'],
  [/^render\.ya?ml$/, 'render.yaml'],
  [/^app\.json$/, 'app.json'],
  [/^railway\.(json|toml)$/, 'railway config'],
  [/^app\.ya?ml$/, 'App Engine app.yaml'],
];

/** Could be one of PLATFORM_FILES or a DigitalOcean spec (asked of every file of the project first). */
function platformCandidate(f: string): boolean {
  return f.endsWith('.yaml') || f.endsWith('.yml') || f.endsWith('.json') || f.endsWith('.toml') || f.endsWith('Procfile');
}

/** Where the project is deployed such that local files do not last, and why we think so. */
function ephemeralDeployment(ctx: OpsContext): string | undefined {
  const doSpecs = join(ctx.project.root, '.do') + sep;
  for (const f of ctx.files) {
    if (!platformCandidate(f)) continue;
    if (f.startsWith(doSpecs) && /app\.ya?ml$/.test(f)) return 'DigitalOcean App Platform spec';
    const name = baseName(f);
    for (const [re, label] of PLATFORM_FILES) if (re.test(name)) return label;
  }
  const dockerfiles = ctx.files.filter((f) => /^Dockerfile/i.test(baseName(f)) && !/\.(dev|local|test)$/i.test(f));
  if (dockerfiles.length === 0) return undefined;
  const volumes = [...dockerfiles, ...ctx.files.filter((f) => /^(docker-)?compose.*\.ya?ml$/i.test(baseName(f)))].some((f) => /VOLUME|volumes:\s*\n[\s\S]*media/i.test(ctx.fs.readFile(f) ?? ''));
  return volumes ? undefined : 'a Dockerfile without a volume for MEDIA_ROOT';
}

/** Does the code accept uploads (FileField/ImageField models, request.FILES)? */
function handlesUploads(ctx: OpsContext): string | undefined {
  for (const f of ctx.files) {
    if (!f.endsWith('.py') || /\/migrations\//.test(f) || /(^|\/)(tests?|test_[^/]*\.py)(\/|$)/.test(f)) continue;
    if (ctx.mentions(f, /\b(FileField|ImageField)\s*\(/)) return 'FileField/ImageField models';
    if (ctx.mentions(f, /request\.FILES\b/)) return 'request.FILES';
  }
  return undefined;
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-024',
  name: 'media-on-ephemeral-disk',
  family: 'project',
  summary: 'Uploads are stored on the local disk of a deployment whose disk does not last',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `With the default \`FileSystemStorage\`, uploaded files go to \`MEDIA_ROOT\` on the server's disk. On a
PaaS (Heroku, Render, Railway, DigitalOcean App Platform, App Engine) or in a container without a
volume, that disk is replaced at every deploy or restart and is not shared between instances, so
uploads vanish. The rule fires only when the code accepts uploads (FileField/ImageField,
\`request.FILES\`). The fix (not applied by "fix all": it needs a bucket and credentials) stores media
in S3-compatible object storage with django-storages.

Before:
\`\`\`python
MEDIA_ROOT = BASE_DIR / "media"
\`\`\`
After:
\`\`\`python
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"]}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const storages = ctx.setting('STORAGES');
    const legacy = ctx.setting('DEFAULT_FILE_STORAGE');
    let backend: string | undefined = DEFAULT_FILE_STORAGE;
    if (versionAtLeast(ctx, 4, 2) && !storages.isDefault) backend = strOf(dictGetStr(dictGetStr(storages.value, 'default'), 'BACKEND')) ?? (storages.value.kind === 'dict' && !storages.value.partial && !dictGetStr(storages.value, 'default') ? DEFAULT_FILE_STORAGE : undefined);
    else if (!legacy.isDefault) backend = strOf(legacy.value);
    if (backend !== DEFAULT_FILE_STORAGE) return;
    const platform = ephemeralDeployment(ctx);
    if (!platform) return;
    const uploads = handlesUploads(ctx);
    if (!uploads) return;
    const edits: TextEdit[] = [];
    const root = prodRoot(ctx);
    if (versionAtLeast(ctx, 4, 2) && storages.isDefault && legacy.isDefault && root && !assignsName(root, 'STORAGES')) {
      const bucket = ctx.edit.envRequired('AWS_STORAGE_BUCKET_NAME');
      const lines = styled(ctx, [
        'STORAGES = {',
        `    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": ${bucket.text}}},`,
        '    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},',
        '}',
      ]);
      edits.push(...insertNear(ctx, ['MEDIA_ROOT', 'MEDIA_URL', 'STATIC_ROOT'], lines, bucket.imports), ...(ctx.requires('django-storages') ? [] : ctx.requirement('django-storages[s3]', '1.14.4')));
    }
    ctx.report({
      setting: versionAtLeast(ctx, 4, 2) ? storages : legacy,
      message: `Uploads (${uploads}) are stored on the local disk, but the deployment (${platform}) replaces that disk on every deploy: uploaded files are lost`,
      fixes: () => edits.length ? [{ title: 'Store media in S3 (django-storages)', edits, safe: false }] : [],
    });
  },
};
