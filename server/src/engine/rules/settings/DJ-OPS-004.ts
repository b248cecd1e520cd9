import { dirname, join, relative } from 'node:path';
import { baseName } from '../../workspace';
import type { SyntaxNode } from '../../parsing/syntax';
import { appendEntries, keywordArgument, nodeAt, quoteOf } from '../../fixes/dictEdit';
import { type Value, dictGetStr } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { loggingConfig, section } from '../ops/logging';
import { type OpsContext, callsIn, dictAt, opsContext, strOf } from '../ops/support';
import type { ProjectRule } from '../types';

const FILE_HANDLERS = ['logging.FileHandler', 'logging.handlers.RotatingFileHandler', 'logging.handlers.TimedRotatingFileHandler', 'logging.handlers.WatchedFileHandler'];
const ROTATING = 'logging.handlers.RotatingFileHandler';

function intOf(v: Value | undefined): number | undefined {
  return v?.kind === 'int' ? v.value : undefined;
}

function pathOf(v: Value | undefined): string | undefined {
  return v && (v.kind === 'str' || v.kind === 'path') ? v.value : undefined;
}

const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Folders the settings create (`os.makedirs(d)`, `d.mkdir()`, `Path(d).mkdir(parents=True)`). */
function createdFolders(ctx: OpsContext): { path: string; parents: boolean }[] {
  const out: { path: string; parents: boolean }[] = [];
  for (const file of ctx.profile.filesRead) {
    // Calls are statements' content (PythonSources.code); the text is only a pre-check.
    const parsed = ctx.edit.codeOf(file);
    if (!parsed || !/mkdir|makedirs/.test(parsed.text)) continue;
    const root = parsed.root;
    for (const call of callsIn(root, (c) => /(^|\.)(mkdir|makedirs)$/.test(c))) {
      const fn = call.childForFieldName('function')!;
      const object = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
      const method = object && object.text !== 'os' && fn.childForFieldName('attribute')?.text === 'mkdir';
      const target: SyntaxNode | null | undefined = method ? object : call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'keyword_argument' && a?.type !== 'comment');
      if (!target) continue;
      const p = pathOf(ctx.evaluate(file, target));
      if (!p) continue;
      const parents = fn.text.endsWith('makedirs') || keywordArgument(call, 'parents')?.childForFieldName('value')?.text === 'True';
      out.push({ path: trim(p), parents });
    }
  }
  return out;
}

/** Text of the Dockerfiles of the project (a folder they create or declare as a volume exists at run time). */
function dockerfiles(ctx: OpsContext): { text: string; workdir?: string }[] {
  return ctx.files
    .filter((f) => /^Dockerfile/i.test(baseName(f)) || f.endsWith('.dockerfile'))
    .map((f) => {
      const text = ctx.fs.readFile(f) ?? '';
      const workdirs = [...text.matchAll(/^\s*WORKDIR\s+(\S+)/gim)].map((m) => m[1]!);
      return { text, workdir: workdirs[workdirs.length - 1] };
    });
}

/** Why the folder a log file goes to may be missing at startup, or undefined when it exists. */
function missingFolder(ctx: OpsContext, dir: string): string | undefined {
  if (ctx.fs.isDirectory(dir)) return undefined;
  const created = createdFolders(ctx);
  if (created.some((c) => c.path === dir || (c.parents && c.path.startsWith(dir + '/')))) return undefined;
  const root = ctx.project.root;
  if (dir === root || dir.startsWith(root + '/')) return relative(root, dir) || '.';
  // Outside the project: only a Dockerfile tells what the image holds.
  for (const d of dockerfiles(ctx)) {
    if (d.text.includes(dir)) return undefined;
    if (d.workdir && (dir === d.workdir || dir.startsWith(trim(d.workdir) + '/'))) {
      const rel = dir.slice(trim(d.workdir).length + 1);
      if (!ctx.fs.isDirectory(join(root, rel)) && !d.text.includes(rel)) return dir;
    }
  }
  return undefined;
}

function rotationFix(ctx: OpsContext, handler: Value, cls: Value | undefined): Fix[] {
  const dict = dictAt(ctx, handler.src);
  if (!dict || !handler.src) return [];
  const file = handler.src.file;
  const q = quoteOf(dict);
  const edits: TextEdit[] = [];
  const root = ctx.edit.rootOf(file)!;
  if (strOf(cls) !== ROTATING) {
    const node = cls?.src && !cls.env ? nodeAt(root, cls.src, ['string']) : undefined;
    if (!node) return [];
    edits.push({ ...cls!.src!, newText: `${q}${ROTATING}${q}` });
  }
  const add: string[] = [];
  for (const [key, text, value] of [['maxBytes', '10 * 1024 * 1024', 0], ['backupCount', '5', 0]] as const) {
    const v = dictGetStr(handler, key);
    if (!v) add.push(`${q}${key}${q}: ${text}`);
    else if (intOf(v) === value && v.src && !v.env) edits.push({ ...v.src, newText: text });
    else if (intOf(v) === undefined) return [];
  }
  edits.push(...appendEntries(file, dict, add));
  return edits.length ? [{ title: 'Rotate the log at 10 MB and keep 5 old files', edits, safe: true }] : [];
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-004',
  name: 'log-file-rotation',
  family: 'project',
  summary: 'A LOGGING file handler never rotates, or writes to a folder that may not exist',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `A \`logging.FileHandler\` grows until the disk is full; a \`RotatingFileHandler\` without \`maxBytes\` never
rotates, and without \`backupCount\` every rotation empties the file. A relative \`filename\` depends on the
directory the server starts in, and a folder that neither exists in the project nor is created by the
settings (\`LOG_DIR.mkdir(exist_ok=True)\`) or the Dockerfile makes Django fail at startup with
FileNotFoundError. With several worker processes, size-based rotation can race: logging to the
console and letting the platform keep logs avoids it.

Before:
\`\`\`python
"file": {"class": "logging.FileHandler", "filename": BASE_DIR / "logs" / "django.log"}
\`\`\`
After:
\`\`\`python
"file": {"class": "logging.handlers.RotatingFileHandler", "filename": BASE_DIR / "logs" / "django.log",
         "maxBytes": 10 * 1024 * 1024, "backupCount": 5}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const cfg = loggingConfig(ctx);
    if (!cfg || cfg.incremental) return;
    const { setting } = cfg;
    for (const h of section(cfg.value, 'handlers') ?? []) {
      const cls = dictGetStr(h.value, 'class');
      const name = strOf(cls);
      if (!name || !FILE_HANDLERS.includes(name)) continue;
      if (name === 'logging.FileHandler') {
        ctx.report({
          setting,
          at: cls?.src,
          severity: 'information',
          message: `LOGGING handler "${h.name}" is a plain FileHandler: the log file grows until the disk is full`,
          fixes: () => rotationFix(ctx, h.value, cls),
        });
      } else if (name === ROTATING) {
        const maxBytes = dictGetStr(h.value, 'maxBytes');
        const backups = dictGetStr(h.value, 'backupCount');
        const noMax = !maxBytes || intOf(maxBytes) === 0;
        const noBackups = !backups || intOf(backups) === 0;
        if (noMax || (noBackups && intOf(maxBytes) !== undefined)) {
          ctx.report({
            setting,
            at: (noMax ? maxBytes?.src : backups?.src) ?? cls?.src,
            message: noMax
              ? `LOGGING handler "${h.name}" never rotates: maxBytes is ${maxBytes ? '0' : 'not set'}, so the file grows until the disk is full`
              : `LOGGING handler "${h.name}" empties its file at each rotation: backupCount is ${backups ? '0' : 'not set'}, so no old log is kept`,
            fixes: () => rotationFix(ctx, h.value, cls),
          });
        }
      }
      const filename = dictGetStr(h.value, 'filename');
      const path = pathOf(filename);
      if (path === undefined) continue;
      if (!path.startsWith('/')) {
        ctx.report({ setting, at: filename?.src, message: `LOGGING handler "${h.name}" writes to the relative path ${JSON.stringify(path)}: it resolves against whatever directory the server starts in` });
        continue;
      }
      const missing = missingFolder(ctx, trim(dirname(path)));
      if (missing === undefined) continue;
      ctx.report({
        setting,
        at: filename?.src,
        message: `LOGGING handler "${h.name}" writes into ${missing}, a folder that does not exist and that nothing creates: Django fails to start with FileNotFoundError`,
        fixes: () => makedirsFix(ctx, setting.binding?.stmt, filename),
      });
    }
  },
};

/** `os.makedirs(os.path.dirname(<filename>), exist_ok=True)` just before the LOGGING statement. */
function makedirsFix(ctx: OpsContext, stmt: import('../../types').Location | undefined, filename: Value | undefined): Fix[] {
  if (!stmt || !filename?.src || filename.src.file !== stmt.file) return [];
  const root = ctx.edit.rootOf(stmt.file);
  const node = root?.descendantForPosition({ row: filename.src.range.start.line, column: filename.src.range.start.character }, { row: filename.src.range.end.line, column: filename.src.range.end.character });
  if (!node || node.text.includes('\n')) return [];
  // The statement must be a module-level one so the line runs before LOGGING is built.
  const indent = ' '.repeat(stmt.range.start.character);
  const at = { line: stmt.range.start.line, character: 0 };
  const edits: TextEdit[] = [
    ...ctx.edit.importEdits(['import os'], stmt.file),
    { file: stmt.file, range: { start: at, end: at }, newText: `${indent}os.makedirs(os.path.dirname(${node.text}), exist_ok=True)\n` },
  ];
  return [{ title: 'Create the log folder at startup', edits, safe: true }];
}
