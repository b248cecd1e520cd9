import { atLeast } from '../../project/djangoVersion';
import { pyStr } from '../apiSettings';
import type { SettingsRule } from '../types';

const PICKLE = 'django.contrib.sessions.serializers.PickleSerializer';
const JSON_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer';

export const rule: SettingsRule = {
  id: 'DJ-SEC-047',
  name: 'pickle-session-serializer',
  family: 'settings',
  summary: 'Sessions are serialized with pickle',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`PickleSerializer\` unpickles session data. Anyone who learns \`SECRET_KEY\` (a leaked env file, an old
key in a repository) can sign a session that runs code on the server when it is loaded, and with the
signed-cookie session engine the data comes straight from the browser. Django deprecated it in 4.1 and
removed it in 5.0, where the setting fails on the first request that uses the session. Switching to
JSON logs out sessions that hold pickled data.

Before:
\`\`\`python
SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"
\`\`\`
After:
\`\`\`python
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
\`\`\``,
  check(ctx) {
    const s = ctx.setting('SESSION_SERIALIZER');
    if (s.isDefault || s.value.kind !== 'str' || s.value.value !== PICKLE) return;
    const removed = atLeast(ctx.profile.version, 5, 0);
    ctx.report({
      setting: s,
      message: removed
        ? `SESSION_SERIALIZER is PickleSerializer, which Django ${ctx.profile.version.major}.${ctx.profile.version.minor} no longer has: every request that touches the session fails`
        : 'SESSION_SERIALIZER is PickleSerializer: with a leaked SECRET_KEY a forged session runs code on the server',
      fixes: () => ctx.edit.setValue(s, pyStr(ctx, JSON_SERIALIZER), 'Serialize sessions as JSON'),
    });
  },
};
