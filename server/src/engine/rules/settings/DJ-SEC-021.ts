import { basename } from 'node:path';
import { truthy } from '../../settings/value';
import type { SettingsRule } from '../types';

const PROXY_FILES = new Set(['Procfile', 'render.yaml', 'fly.toml', 'app.yaml', 'railway.json', 'railway.toml', 'app.json', 'vercel.json']);

export const rule: SettingsRule = {
  id: 'DJ-SEC-021',
  name: 'ssl-redirect-behind-proxy',
  family: 'settings',
  summary: 'SECURE_SSL_REDIRECT behind a TLS-terminating proxy without SECURE_PROXY_SSL_HEADER',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Platforms such as Heroku, Render, Fly.io and Railway (and nginx with \`proxy_pass\`) terminate HTTPS and
forward plain HTTP to Django. Without \`SECURE_PROXY_SSL_HEADER\` Django thinks every request is insecure
and \`SECURE_SSL_REDIRECT\` redirects in a loop. Set the header only if the proxy always sets or
overwrites it.

Before:
\`\`\`python
SECURE_SSL_REDIRECT = True
\`\`\`
After:
\`\`\`python
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # only if the proxy sets/overwrites this header
\`\`\``,
  check(ctx) {
    const redirect = ctx.setting('SECURE_SSL_REDIRECT');
    if (truthy(redirect.value) !== true) return;
    const header = ctx.setting('SECURE_PROXY_SSL_HEADER');
    if (!header.isDefault) return;
    const evidence = proxyEvidence(ctx);
    if (!evidence) return;
    const header2 = ctx.setting('SECURE_PROXY_SSL_HEADER');
    ctx.report({
      setting: redirect,
      message: `SECURE_SSL_REDIRECT is on and ${evidence} suggests a proxy terminates HTTPS, but SECURE_PROXY_SSL_HEADER is not set: requests would redirect in a loop`,
      fixes: () => ctx.edit.setValue(header2, '("HTTP_X_FORWARDED_PROTO", "https")', 'Trust X-Forwarded-Proto from the proxy', [], 'only if the proxy sets/overwrites this header').map((f) => ({ ...f, safe: false })),
    });
  },
};

function proxyEvidence(ctx: Parameters<SettingsRule['check']>[0]): string | undefined {
  for (const e of ctx.profile.project.entryPoints) if (PROXY_FILES.has(basename(e.file))) return basename(e.file);
  const fs = ctx.edit.fileSystem;
  for (const name of PROXY_FILES) if (fs.isFile(`${ctx.profile.project.root}/${name}`)) return name;
  return undefined;
}
