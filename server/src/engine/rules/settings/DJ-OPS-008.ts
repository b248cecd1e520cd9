import type { SyntaxNode } from '../../parsing/syntax';
import { appendEntries, keywordArgument, locOf, quoteOf, replaceNode, stringText } from '../../fixes/dictEdit';
import { truthy } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { whenUnset } from '../helpers';
import { sentryInits } from '../ops/sentry';
import { type Code, type OpsContext, envFloat, envGet, opsContext } from '../ops/support';
import type { ProjectRule } from '../types';

const DSN_WITH_KEY = /^https?:\/\/[^@\s/]+@[^/\s]+\/\S+/;

/** An env read in the file's idiom: the settings idiom in settings modules, os.environ elsewhere. */
function read(ctx: OpsContext, inSettings: boolean, make: (edit: OpsContext['edit']) => Code, plain: Code): Code {
  return inSettings ? make(ctx.edit) : plain;
}

function fix(title: string, edits: TextEdit[]): Fix[] {
  return [{ title, edits, safe: true }];
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-008',
  name: 'sentry-options',
  family: 'project',
  summary: 'sentry_sdk.init sends personal data, embeds its DSN, runs in debug mode or traces too much',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`send_default_pii=True\` makes Sentry collect user IPs, cookies, request headers and user names (personal
data leaving your infrastructure, a GDPR question). A DSN written in the source is a credential in git;
\`debug=True\` floods the logs; a \`traces_sample_rate\` of 0.5 or more traces (and bills) most requests
(Information); without \`environment=\` staging and production errors share one stream unless
\`SENTRY_ENVIRONMENT\` is set (Hint). Values read from the environment are judged by their fallback.

Before:
\`\`\`python
sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=True, traces_sample_rate=1.0)
\`\`\`
After:
\`\`\`python
sentry_sdk.init(
    dsn=SENTRY_DSN,
    send_default_pii=False,
    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0.1")),
    environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
)
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    for (const init of sentryInits(ctx)) {
      const { file, call, inSettings } = init;
      const args = call.childForFieldName('arguments');
      if (!args) continue;
      const value = (name: string): SyntaxNode | undefined => keywordArgument(call, name)?.childForFieldName('value') ?? undefined;
      const osImport = (text: string) => ({ text, imports: ['import os'] });
      const editsFor = (node: SyntaxNode, code: Code) => [replaceNode(file, node, code.text), ...ctx.edit.importEdits(code.imports, file)];

      const pii = value('send_default_pii');
      if (pii) {
        const v = ctx.evaluate(file, pii);
        if (truthy(v) === true) {
          const scrubbed = keywordArgument(call, 'before_send') ? '' : ', and no before_send scrubs them';
          ctx.report({
            at: locOf(file, pii),
            message: `sentry_sdk.init has send_default_pii on${whenUnset(v)}: user IPs, cookies, headers and user names are sent to Sentry${scrubbed}`,
            fixes: () => fix('Set send_default_pii=False', [replaceNode(file, pii, 'False')]),
          });
        }
      }

      const dsn = value('dsn');
      const dsnText = stringText(dsn);
      if (dsn && dsnText && DSN_WITH_KEY.test(dsnText) && !inSettings) {
        // In settings modules the credential rules report literal DSNs.
        const code = read(ctx, false, (e) => envGet(e, 'SENTRY_DSN'), osImport('os.environ.get("SENTRY_DSN")'));
        ctx.report({ at: locOf(file, dsn), message: 'sentry_sdk.init has its DSN (a credential) written in the source: read it from SENTRY_DSN', fixes: () => fix('Read the DSN from SENTRY_DSN', editsFor(dsn, code)) });
      }

      const debug = value('debug');
      if (debug && truthy(ctx.evaluate(file, debug)) === true) {
        ctx.report({ at: locOf(file, debug), message: 'sentry_sdk.init has debug on: the SDK logs every event it sends', fixes: () => fix('Set debug=False', [replaceNode(file, debug, 'False')]) });
      }

      const rate = value('traces_sample_rate');
      if (rate) {
        const v = ctx.evaluate(file, rate);
        const n = v.kind === 'int' || v.kind === 'float' ? v.value : undefined;
        if (n !== undefined && n >= 0.5) {
          let edits: TextEdit[];
          if (v.env?.fallback) {
            const root = ctx.edit.rootOf(v.env.fallback.file);
            const node = root?.descendantForPosition({ row: v.env.fallback.range.start.line, column: v.env.fallback.range.start.character });
            const str = node?.type === 'string' ? node : node?.parent?.type === 'string' ? node.parent : undefined;
            const q = str ? (str.text.replace(/^[a-zA-Z]*/, '').startsWith("'") ? "'" : '"') : '';
            edits = [{ ...v.env.fallback, newText: `${q}0.1${q}` }];
          } else {
            const code = read(ctx, inSettings, (e) => envFloat(e, 'SENTRY_TRACES_SAMPLE_RATE', 0.1), osImport('float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0.1"))'));
            edits = editsFor(rate, code);
          }
          ctx.report({
            at: locOf(file, rate),
            severity: 'information',
            message: `sentry_sdk.init traces ${Math.round(n * 100)}% of requests${whenUnset(v)}: performance data for most requests is sent and billed`,
            fixes: () => fix('Trace 10% of requests (SENTRY_TRACES_SAMPLE_RATE overrides)', edits),
          });
        }
      }

      const splat = args.namedChildren.some((a) => a?.type === 'dictionary_splat');
      if (!keywordArgument(call, 'environment') && !splat) {
        const code = read(ctx, inSettings, (e) => envGet(e, 'SENTRY_ENVIRONMENT', '"production"'), osImport('os.environ.get("SENTRY_ENVIRONMENT", "production")'));
        const q = quoteOf(args);
        ctx.report({
          at: locOf(file, call.childForFieldName('function')!),
          severity: 'hint',
          message: 'sentry_sdk.init has no environment: unless SENTRY_ENVIRONMENT is set, staging and production errors are all tagged "production"',
          fixes: () => fix('Pass environment= from SENTRY_ENVIRONMENT', [...appendEntries(file, args, [`environment=${q === "'" ? code.text.replace(/"/g, "'") : code.text}`]), ...ctx.edit.importEdits(code.imports, file)]),
        });
      }
    }
  },
};
