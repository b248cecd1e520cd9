import type { Setting } from '../../settings/profile';
import { truthy } from '../../settings/value';
import type { SettingsRule } from '../types';

export const BOOL_SETTINGS = [
  'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT',
  'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL', 'CORS_ALLOW_CREDENTIALS',
  'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'USE_TZ', 'CONN_HEALTH_CHECKS', 'RATELIMIT_ENABLE', 'SECURE_CONTENT_TYPE_NOSNIFF', 'CSRF_USE_SESSIONS',
  'USE_X_FORWARDED_HOST', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'DEBUG_PROPAGATE_EXCEPTIONS',
];

type Verdict = { broken: boolean; why: string } | undefined;

/** Spec §0.2's boolean idioms, judged from the assigned expression. */
function judge(text: string, s: Setting): Verdict {
  const t = text.replace(/\s+/g, ' ');
  if (/^bool\(\s*os\.(getenv|environ\.get)\(/.test(t)) return { broken: true, why: 'bool() of any non-empty string is True, so "False" and "0" turn it on' };
  if (/^["'][^"']*["'] (not )?in os\.environ$/.test(t)) return { broken: true, why: 'it tests whether the variable exists, so DEBUG=False turns it on' };
  if (/^os\.(getenv|environ\.get)\([^()]*,\s*(default\s*=\s*)?(True|False)\s*\)$/.test(t)) return { broken: true, why: 'once the variable is set the value is a string, and every non-empty string is truthy ("False" included)' };
  if (s.value.kind === 'str' && !s.value.env && /^["']/.test(t)) return { broken: true, why: `it is the string ${JSON.stringify(s.value.value)}, which is truthy` };
  if (/^(distutils\.util\.)?strtobool\(/.test(t)) return undefined;
  if (/==\s*["'](True|true|False|false|1|yes|on)["']\s*$/.test(t) && /os\.(getenv|environ)|env\(|config\(/.test(t)) return { broken: false, why: 'the comparison is case-sensitive: "true" or "1" leave it off' };
  if (/^(bool\()?int\(\s*os\.(getenv|environ)/.test(t)) return { broken: false, why: 'int() raises ValueError on "true"/"false"' };
  if (/^(json\.loads|ast\.literal_eval|literal_eval)\(\s*os\.(getenv|environ)/.test(t)) return { broken: false, why: 'it accepts only one spelling ("true" for json, "True" for literal_eval) and raises on the other' };
  return undefined;
}

export const rule: SettingsRule = {
  id: 'DJ-ENV-002',
  name: 'broken-bool-from-env',
  family: 'settings',
  summary: 'A boolean setting is parsed from the environment in a way that gets "False" wrong',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Environment variables are strings. \`bool(os.getenv("DEBUG"))\`, \`os.getenv("SECURE", False)\` and
\`"DEBUG" in os.environ\` all turn a setting on when the variable says \`False\` or \`0\` — often the exact
copy-pasted hardening meant to switch it off. Compare the lower-cased value with an explicit list.
Case-sensitive comparisons, \`int()\` and \`json.loads()\` are reported as hints: they work for one
spelling only.

Before:
\`\`\`python
SESSION_COOKIE_SECURE = os.getenv("SESSION_COOKIE_SECURE", True)
\`\`\`
After:
\`\`\`python
SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "True").lower() in ("1", "true", "yes")
\`\`\``,
  check(ctx) {
    for (const name of BOOL_SETTINGS) {
      const s = ctx.setting(name);
      const rhs = s.binding?.rhs;
      if (!rhs || s.isDefault) continue;
      const text = ctx.edit.codeTextAt(rhs);
      if (!text) continue;
      const verdict = judge(text, s);
      if (!verdict) continue;
      const envName = s.value.env?.names[0] ?? /["']([A-Z][A-Z0-9_]*)["']/.exec(text)?.[1] ?? ctx.edit.envName(name);
      const on = truthy(s.value) === true;
      const read = ctx.edit.envBool(envName, on);
      const severity = !verdict.broken ? 'hint' : name === 'DEBUG' || name.startsWith('CORS_') && name.includes('ALL') ? 'error' : 'warning';
      ctx.report({
        setting: s,
        at: rhs,
        severity,
        message: `${name} is parsed from ${envName} unreliably: ${verdict.why}`,
        fixes: () => ctx.edit.setValue(s, read.text, `Parse ${envName} as a boolean (default ${on ? 'on' : 'off'})`, read.imports),
      });
    }
  },
};
