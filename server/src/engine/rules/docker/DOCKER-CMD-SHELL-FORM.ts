import { basename } from 'node:path';
import { prodDockerfiles, reportDocker } from '../../deploy/context';
import { jsonArgs } from '../../deploy/dockerfile';
import { execForm, needsShell, shellWords } from '../../deploy/shell';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-CMD-SHELL-FORM',
  name: 'docker-cmd-shell-form',
  family: 'project',
  summary: 'CMD/ENTRYPOINT of the final stage uses shell form, so the server never gets SIGTERM',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `In shell form (\`CMD gunicorn ...\`) Docker runs \`/bin/sh -c "..."\`: the shell is PID 1 and does not
forward SIGTERM, so on every deploy the server is killed after the stop timeout and in-flight
requests are dropped. JSON-looking commands with single quotes or a trailing comma are shell form
too. The fix writes the exec form; a command that needs the shell (\`$VAR\`, \`&&\`) becomes
\`["sh", "-c", "exec ..."]\`, which keeps expansion and still hands PID 1 to the server. Mirrors
hadolint DL3025 (\`# hadolint ignore=DL3025\` is honoured).

Before:
\`\`\`dockerfile
CMD gunicorn shop.wsgi:application --bind 0.0.0.0:8000
\`\`\`
After:
\`\`\`dockerfile
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      const all = d.inherited(final);
      for (const kind of ['CMD', 'ENTRYPOINT']) {
        const instr = [...all].reverse().find((i) => i.getKeyword() === kind);
        if (!instr || jsonArgs(instr)) continue;
        const text = (instr.getArgumentsContent() ?? '').trim();
        if (!text) continue;
        const brokenJson = text.startsWith('[');
        let replacement: string | undefined;
        if (!brokenJson) {
          replacement = needsShell(text) ? execForm(['sh', '-c', /^exec\s/.test(text) ? text : `exec ${text}`]) : execForm(shellWords(text));
        } else {
          try {
            const parsed = JSON.parse(text.replace(/'/g, '"').replace(/,\s*\]$/, ']')) as unknown;
            if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) replacement = execForm(parsed as string[]);
          } catch {
            replacement = undefined;
          }
        }
        reportDocker(ctx, d, 'DL3025', {
          file: d.path,
          range: instr.getRange(),
          message: brokenJson
            ? `${kind} in ${basename(d.path)} is not valid JSON (single quotes or a trailing comma), so Docker runs it through /bin/sh: the server never receives SIGTERM`
            : `${kind} in ${basename(d.path)} uses shell form: /bin/sh is PID 1 and does not pass SIGTERM on, so every deploy kills in-flight requests`,
          fixes: () => replacement ? [{ title: 'Use the exec (JSON) form', edits: [{ file: d.path, range: instr.getRange(), newText: `${instr.getInstruction()} ${replacement}` }], safe: true }] : [],
        });
      }
    }
  },
};
