import { nodeAt } from '../../fixes/dictEdit';
import { truthy } from '../../settings/value';
import type { Fix } from '../../types';
import { hasApp, whenUnset } from '../helpers';
import { DEFAULT_STATIC_STORAGE, MANIFEST_STORAGE, WHITENOISE_STORAGE } from '../ops/blocks';
import { otherStaticServing, staticStorage, storageEdits, usesWhitenoise } from '../ops/static';
import { opsContext, prodStatement, versionAtLeast } from '../ops/support';
import type { ProjectRule, SettingsContext } from '../types';

const REMOVED = ['whitenoise.django.GzipManifestStaticFilesStorage', 'whitenoise.storage.GzipManifestStaticFilesStorage', 'whitenoise.django.CompressedManifestStaticFilesStorage'];

function stringFix(ctx: SettingsContext, src: import('../../types').Location | undefined, value: string): Fix[] {
  if (!src) return [];
  const root = ctx.edit.rootOf(src.file);
  const node = root ? nodeAt(root, src, ['string']) : undefined;
  if (!node) return [];
  const q = node.text.endsWith("'") ? "'" : '"';
  return [{ title: `Use ${value}`, edits: [{ ...src, newText: `${q}${value}${q}` }], safe: true }];
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-022',
  name: 'static-storage',
  family: 'project',
  summary: 'Static files are stored without hashed names, with a removed WhiteNoise backend, or with WhiteNoise development options',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `The default \`StaticFilesStorage\` keeps file names as they are, so browsers and CDNs keep serving an old
\`app.css\` after a deploy; \`ManifestStaticFilesStorage\` (or WhiteNoise's compressed variant) adds a
content hash to every name (Hint; run collectstatic at build time, the manifest is required). The
\`GzipManifestStaticFilesStorage\` paths were removed in WhiteNoise 4 (Error: collectstatic cannot import
them). \`WHITENOISE_AUTOREFRESH\` and \`WHITENOISE_USE_FINDERS\` rescan files on every request and serve
uncollected files: development options (Warning). When nothing serves static files at all,
DJ-OPS-021 reports that instead and its fix includes hashed storage.

Before:
\`\`\`python
STATICFILES_STORAGE = "whitenoise.storage.GzipManifestStaticFilesStorage"
\`\`\`
After:
\`\`\`python
STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    for (const name of ['WHITENOISE_AUTOREFRESH', 'WHITENOISE_USE_FINDERS']) {
      const s = ctx.setting(name);
      if (s.isDefault || truthy(s.value) !== true) continue;
      const stmt = prodStatement(ctx, s);
      ctx.report({
        setting: s,
        severity: 'warning',
        message: `${name} is on${whenUnset(s.value)}: WhiteNoise ${name.endsWith('AUTOREFRESH') ? 'rescans static files on every request' : 'serves files collectstatic never processed'}, a development option`,
        fixes: () => stmt ? [{ title: `Remove ${name}`, edits: [ctx.edit.deleteStatement(stmt)], safe: true }] : ctx.edit.setValue(s, 'False', `Turn ${name} off`),
      });
    }
    if (hasApp(ctx, 'django.contrib.staticfiles') !== true) return;
    const storage = staticStorage(ctx);
    const backend = storage.backend;
    if (!backend) return;
    if (REMOVED.includes(backend)) {
      const s = storage.setting;
      const v = s.name === 'STORAGES' ? undefined : s.value;
      ctx.report({
        setting: s,
        severity: 'error',
        message: `${backend} was removed in WhiteNoise 4: collectstatic fails to import it`,
        fixes: () => v && !v.env ? stringFix(ctx, v.src, WHITENOISE_STORAGE) : storageEdits(ctx, WHITENOISE_STORAGE).length ? [{ title: `Use ${WHITENOISE_STORAGE}`, edits: storageEdits(ctx, WHITENOISE_STORAGE), safe: true }] : [],
      });
      return;
    }
    if (backend !== DEFAULT_STATIC_STORAGE) return;
    // Legacy settings on Django 4.2+ are DJ-OPS-023's to migrate.
    if (versionAtLeast(ctx, 4, 2) && (!ctx.setting('STATICFILES_STORAGE').isDefault || !ctx.setting('DEFAULT_FILE_STORAGE').isDefault)) return;
    const whitenoise = usesWhitenoise(ctx);
    // With nothing serving static files, DJ-OPS-021 proposes WhiteNoise with hashed storage.
    if (!whitenoise && !otherStaticServing(ctx)) return;
    const target = whitenoise ? WHITENOISE_STORAGE : MANIFEST_STORAGE;
    ctx.report({
      setting: storage.setting,
      message: `Static files are collected without hashed names (${storage.isDefault ? "Django's default StaticFilesStorage" : 'StaticFilesStorage'}): browsers and CDNs keep serving old CSS and JavaScript after a deploy`,
      fixes: () => {
        const edits = storageEdits(ctx, target);
        return edits.length ? [{ title: `Use ${target.split('.').pop()}`, edits, safe: false }] : [];
      },
    });
  },
};
