import { credentialSeverity, settingsFiles } from '../settingsFiles';
import type { ProjectRule } from '../types';
import { entropy, findToken, isCredentialName, isPlaceholder, looksLikeCode } from './patterns';
import { sitesOf } from './sites';

export const rule: ProjectRule = {
  id: 'DJ-SEC-009',
  name: 'hardcoded-credential',
  family: 'project',
  summary: 'A password, token or API key is written in a settings file',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Names such as \`EMAIL_HOST_PASSWORD\`, \`STRIPE_API_KEY\`, \`AWS_SECRET_ACCESS_KEY\` or a \`"TOKEN"\`
dict key hold credentials. Written in the source (directly, or as the default of an environment read)
they reach everyone who can read the repository. The rule looks at module-level assignments, class
attributes, dict keys and keyword arguments in every settings module; placeholders such as
\`"changeme"\` are reported as hints, \`DATABASES\` passwords have their own rule (DJ-SEC-011) and
recognisable tokens theirs (DJ-SEC-010).

Before:
\`\`\`python
EMAIL_HOST_PASSWORD = "hunter2-smtp"
\`\`\`
After:
\`\`\`python
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
\`\`\``,
  check(ctx) {
    for (const file of settingsFiles(ctx)) {
      const found = sitesOf(ctx, file.module.path);
      if (!found) continue;
      for (const site of found.sites) {
        if (!isCredentialName(site.name)) continue;
        if (site.parent === 'DATABASES' && (site.name === 'PASSWORD' || site.name === 'USER')) continue;
        const value = site.literal;
        if (value.trim() === '' || looksLikeCode(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
        if (findToken(value)) continue;
        const placeholder = isPlaceholder(value);
        const strong = value.length >= 16 && entropy(value) >= 3.5;
        const severity = placeholder ? 'hint' : credentialSeverity(file.role, strong && !site.fallback ? 'error' : 'warning');
        const envName = site.kind === 'dict-key' && site.parent ? `${site.parent.replace(/S$/, '')}_${site.name}`.toUpperCase() : site.envName ?? site.name.toUpperCase();
        const read = file.edit.envRequired(envName);
        const where = site.kind === 'dict-key' ? `"${site.name}" in ${site.parent ?? 'a dict'}` : site.kind === 'keyword' ? `the ${site.name}= argument` : site.name;
        ctx.report({
          file: site.literalAt.file,
          range: site.literalAt.range,
          severity,
          message: placeholder
            ? `${where} has a placeholder${site.fallback ? ` default for ${site.envName}` : ''}: make sure production sets the real value from the environment`
            : site.fallback
              ? `${where} falls back to a credential written in the source when ${site.envName} is unset`
              : `${where} is a credential written in the source: read it from the environment`,
          fixes: () => [
            {
              title: `Read ${where} from ${envName} (required)`,
              edits: [{ ...site.valueAt, newText: read.text }, ...file.edit.importEdits(read.imports, site.valueAt.file)],
              safe: !placeholder,
            },
          ],
        });
      }
    }
  },
};
