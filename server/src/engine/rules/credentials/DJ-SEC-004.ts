import { prefilters } from '../../textMemo';
import { credentialSeverity, isDevRole, settingsFiles } from '../settingsFiles';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DJ-SEC-004',
  name: 'hardcoded-secret-key',
  family: 'project',
  summary: 'SECRET_KEY is written in a settings file',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `A \`SECRET_KEY\` in the source is shared with everyone who can read the repository, its forks and its
history, and it cannot be rotated without a commit. Read it from the environment (or a secret manager)
and let the process fail when it is missing. Development modules are reported too, at information
level, because keys copied between modules leak the same way; a long key without the
\`django-insecure-\` prefix there is a warning (it looks like a real key).

Before:
\`\`\`python
SECRET_KEY = "k3$9x..."
\`\`\`
After:
\`\`\`python
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
\`\`\``,
  check(ctx) {
    for (const file of settingsFiles(ctx)) {
      // Only an assignment the file makes is reported, and it names the setting.
      if (prefilters.enabled && !ctx.mentions(file.module.path, /SECRET_KEY/)) continue;
      const key = file.profile.setting('SECRET_KEY');
      const b = key.binding;
      if (!b || b.imported || !b.rhs || b.rhs.file !== file.module.path) continue;
      if (key.value.kind !== 'str' || key.value.env) continue;
      const value = key.value.value;
      if (value === '') continue;
      const realLooking = value.length >= 50 && !value.startsWith('django-insecure-');
      const severity = isDevRole(file.role) && realLooking ? 'warning' : credentialSeverity(file.role, 'error');
      const envName = file.edit.envName('SECRET_KEY');
      const read = file.edit.envRequired(envName);
      const rhs = b.rhs;
      ctx.report({
        file: b.rhs.file,
        range: b.rhs.range,
        severity,
        message: isDevRole(file.role)
          ? `SECRET_KEY is written in this ${file.role} settings module${realLooking ? ' and looks like a real key' : ''}: keep keys out of the repository`
          : 'SECRET_KEY is written in the source: anyone with the repository can sign sessions and reset links; read it from the environment',
        fixes: () => [
          {
            title: `Read SECRET_KEY from ${envName} (required)`,
            edits: [{ ...rhs, newText: read.text }, ...file.edit.importEdits(read.imports, rhs.file)],
            safe: !isDevRole(file.role),
          },
        ],
      });
    }
  },
};
