import { basename } from 'node:path';
import { prodDockerfiles, reportDocker } from '../../deploy/context';
import { hasUrlCredentials, isPlaceholder, isSecretKey } from '../../deploy/envfile';
import type { Range } from '../../types';
import type { ProjectRule } from '../types';

interface Prop {
  getName(): string;
  getValue(): string | null;
  getRange(): Range;
}

export const rule: ProjectRule = {
  id: 'DOCKER-SECRET-IN-ENV-ARG',
  name: 'docker-secret-env',
  family: 'project',
  summary: 'A secret (SECRET_KEY, passwords, tokens, DSNs) is set with ENV or ARG in the image',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `ENV values are stored in the image config and ARG values in its build history: anyone who can
pull the image reads them with \`docker history\` / \`docker inspect\`. A literal secret in ENV is an
error; an ARG (which persists in the history) a warning; an ENV holding a placeholder is information.
Names are matched by suffix (\`SECRET_KEY\`, \`*_PASSWORD\`, \`*_TOKEN\`, \`*_API_KEY\`, \`SENTRY_DSN\`...),
not substring, so \`*_FILE\`, \`*_PATH\` and \`GOPRIVATE\` are not secrets. A prefix on a RUN
(\`RUN SECRET_KEY=x python manage.py collectstatic\`) is not persisted and is fine. Mirrors hadolint
DL3064 (\`# hadolint ignore=DL3064\` is honoured).

Before:
\`\`\`dockerfile
ENV DJANGO_SECRET_KEY=9f8e7d...
\`\`\`
After:
\`\`\`dockerfile
# set DJANGO_SECRET_KEY at run time (compose environment, orchestrator secrets)
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      for (const instr of d.inherited(final)) {
        const kw = instr.getKeyword();
        if (kw !== 'ENV' && kw !== 'ARG') continue;
        const props = (instr as unknown as { getProperties(): Prop[] }).getProperties();
        for (const p of props) {
          const name = p.getName();
          const value = (p.getValue() ?? '').replace(/^["']|["']$/g, '');
          const urlCreds = /(DATABASE|REDIS|CACHE|BROKER|CELERY_BROKER)_URL$/i.test(name) && hasUrlCredentials(value);
          if (!isSecretKey(name) && !urlCreds) continue;
          const placeholder = isPlaceholder(value);
          if (kw === 'ENV' && placeholder && !urlCreds && value === '') continue;
          const severity = kw === 'ARG' ? 'warning' : placeholder && !urlCreds ? 'information' : 'error';
          const lines = d.wholeLines(instr.getRange());
          reportDocker(ctx, d, 'DL3064', {
            file: d.path,
            range: p.getRange(),
            severity,
            message: kw === 'ARG'
              ? `ARG ${name} is recorded in the image history of ${basename(d.path)}: pass secrets with RUN --mount=type=secret or at run time`
              : placeholder && !urlCreds
                ? `ENV ${name} holds a placeholder in ${basename(d.path)}: set the real value at run time, not in the image`
                : `ENV ${name} puts a secret into every layer of the image built from ${basename(d.path)}`,
            fixes: () => props.length === 1 ? [{ title: `Delete the ${kw} ${name} line`, edits: [{ file: d.path, range: lines, newText: '' }], safe: false }] : [],
          });
        }
      }
    }
  },
};
