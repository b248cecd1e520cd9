// Models shared by the requirements, Dockerfile, compose, env-file, ignore-file and gunicorn rules,
// built once per analysis through `ctx.shared`: the Dockerfiles, the dependency model, compose
// files, env files, and a few facts about the Python side (the WSGI module, a health route).
import { endOfText } from '../parsing/lines';
import { dirname, join } from 'node:path';
import { DependencyModel } from '../requirements/model';
import type { ProjectContext, ProjectReport } from '../rules/types';
import type { Fix, Range, Severity, TextEdit } from '../types';
import { isComposeName, parseCompose, type ComposeFile } from './compose';
import { DockerfileModel, isDevName, isDockerfileName } from './dockerfile';
import { isDevEnv, isEnvFileName, isExampleEnv, isProdEnv, parseEnvFile, type EnvEntry } from './envfile';
import { baseName, relativePosix } from '../workspace';

export interface EnvFile {
  path: string;
  entries: EnvEntry[];
  example: boolean;
  role: 'production' | 'dev' | 'other';
  /** The most production-like compose file whose env_file names it. */
  composeRole?: 'production' | 'ambiguous' | 'dev';
}

export interface DeployModels {
  dockerfiles: DockerfileModel[];
  deps: DependencyModel;
  compose: ComposeFile[];
  envFiles: EnvFile[];
  /** Kubernetes manifests or a Helm chart exist (Docker HEALTHCHECK is ignored there). */
  kubernetes: boolean;
}

function hadolintConfig(ctx: ProjectContext): Set<string> {
  const out = new Set<string>();
  for (const name of ['.hadolint.yaml', '.hadolint.yml']) {
    const text = ctx.fs.readFile(join(ctx.project.root, name));
    if (!text) continue;
    const block = /^ignored:\s*\n((?:\s*-\s*\S+.*\n?)+)/m.exec(text);
    for (const m of (block?.[1] ?? '').matchAll(/-\s*(DL\d{4}|SC\d{4})/g)) out.add(m[1]!);
    const inline = /^ignored:\s*\[([^\]]*)\]/m.exec(text);
    for (const m of (inline?.[1] ?? '').matchAll(/(DL\d{4}|SC\d{4})/g)) out.add(m[1]!);
  }
  return out;
}

export function models(ctx: ProjectContext): DeployModels {
  return ctx.shared('deploy-models', () => {
    const files = ctx.files;
    const composeFiles = files.filter((f) => isComposeName(baseName(f)));
    const compose = composeFiles.map((f) => parseCompose(f, ctx.fs.readFile(f) ?? '', composeFiles.length - 1));
    // Build contexts named by compose.
    const contexts = new Map<string, string>();
    for (const c of compose) for (const s of c.services) if (s.build) contexts.set(join(s.build.context, s.build.dockerfile ?? 'Dockerfile'), s.build.context);
    const ignored = hadolintConfig(ctx);
    const dockerfiles: DockerfileModel[] = [];
    for (const f of files) {
      if (!isDockerfileName(baseName(f))) continue;
      const text = ctx.fs.readFile(f);
      if (text === undefined) continue;
      const usedByDevComposeOnly = compose.some((c) => c.role === 'dev' && c.services.some((s) => s.build && join(s.build.context, s.build.dockerfile ?? 'Dockerfile') === f)) && !compose.some((c) => c.role !== 'dev' && c.services.some((s) => s.build && join(s.build.context, s.build.dockerfile ?? 'Dockerfile') === f));
      const dev = isDevName(baseName(f)) || usedByDevComposeOnly;
      dockerfiles.push(new DockerfileModel(f, text, ctx.fs, contexts.get(f) ?? dirname(f), dev, files, ignored));
    }
    const deps = new DependencyModel(ctx.project, ctx.fs, files, dockerfiles);
    const composeEnv = new Map<string, 'production' | 'ambiguous' | 'dev'>();
    const order = { production: 0, ambiguous: 1, dev: 2 } as const;
    for (const c of compose) for (const s of c.services) for (const e of s.envFiles) {
      const prev = composeEnv.get(e.path);
      if (!prev || order[c.role] < order[prev]) composeEnv.set(e.path, c.role);
    }
    const envFiles: EnvFile[] = files
      .filter((f) => isEnvFileName(f))
      .map((path) => {
        const example = isExampleEnv(baseName(path));
        const role = example ? 'other' : isProdEnv(relativePosix(ctx.project.root, path)) ? 'production' : isDevEnv(relativePosix(ctx.project.root, path)) ? 'dev' : 'other';
        return { path, entries: parseEnvFile(ctx.fs.readFile(path) ?? ''), example, role, composeRole: composeEnv.get(path) };
      });
    const kubernetes = files.some((f) => baseName(f) === 'Chart.yaml' || baseName(f) === 'kustomization.yaml' || (/\.ya?ml$/.test(f) && /(^|\/)(k8s|kubernetes|helm|manifests|deploy)\//.test(relativePosix(ctx.project.root, f)) && /^kind:\s*(Deployment|StatefulSet|Pod)\b/m.test(ctx.fs.readFile(f) ?? '')));
    return { dockerfiles, deps, compose, envFiles, kubernetes };
  });
}

/** Production Dockerfiles (not Dockerfile.dev and the like). */
export function prodDockerfiles(ctx: ProjectContext): DockerfileModel[] {
  return models(ctx).dockerfiles.filter((d) => !d.dev);
}

/**
 * Reports a Dockerfile finding unless `# hadolint ignore=<code>` above the instruction (or
 * .hadolint.yaml `ignored:`) silences the hadolint rule ours mirrors.
 */
export function reportDocker(ctx: ProjectContext, d: DockerfileModel, hadolint: string | undefined, r: ProjectReport): void {
  if (d.hadolintIgnores(r.range.start.line, hadolint)) return;
  ctx.report(r);
}

export function fix(title: string, edits: TextEdit[], safe = true): Fix {
  return { title, edits, safe };
}

export function lineRange(line: number, text: string): Range {
  return { start: { line, character: 0 }, end: { line, character: text.length } };
}

export function fileStart(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** An edit appending lines to a file (or creating it when `text` is undefined). */
export function appendEdit(file: string, text: string | undefined, lines: string[]): TextEdit {
  if (text === undefined || text === '') return { file, range: fileStart(), newText: lines.join('\n') + '\n' };
  const end = endOfText(text);
  return { file, range: { start: end, end }, newText: (text.endsWith('\n') ? '' : '\n') + lines.join('\n') + '\n' };
}

export function severityFor(base: Severity, lowered: boolean): Severity {
  if (!lowered) return base;
  return base === 'error' ? 'warning' : base === 'warning' ? 'information' : 'hint';
}

// ------------------------------------------------------------------ the Python side

/** `shop.wsgi:application` (or asgi), from wsgi.py's location or WSGI_APPLICATION. */
export function appModule(ctx: ProjectContext, kind: 'wsgi' | 'asgi' = 'wsgi'): string | undefined {
  const setting = ctx.profile?.setting(kind === 'wsgi' ? 'WSGI_APPLICATION' : 'ASGI_APPLICATION');
  if (setting && setting.value.kind === 'str' && /^[\w.]+\.\w+$/.test(setting.value.value)) {
    const v = setting.value.value;
    return `${v.slice(0, v.lastIndexOf('.'))}:${v.slice(v.lastIndexOf('.') + 1)}`;
  }
  const file = ctx.files.filter((f) => baseName(f) === `${kind}.py` && !/(^|\/)(tests?|venv|\.venv|site-packages)\//.test(f)).sort((a, b) => a.length - b.length)[0];
  if (file) return `${ctx.sources.moduleInfo(file).moduleName}:application`;
  const prod = ctx.project.production?.moduleName.split('.')[0];
  return prod ? `${prod}.${kind}:application` : undefined;
}

/** A health-check URL path the project routes (`/healthz/`, `/health/`, `/ht/`, `/ping/`), if any. */
export function healthRoute(ctx: ProjectContext): string | undefined {
  const urlFiles = ctx.files.filter((f) => baseName(f) === 'urls.py' || /urls?\.py$/.test(baseName(f)));
  const prefixes = new Map<string, string>();
  const routes: { module: string; route: string }[] = [];
  for (const f of urlFiles) {
    const text = ctx.fs.readFile(f) ?? '';
    const module = ctx.sources.moduleInfo(f).moduleName;
    for (const m of text.matchAll(/path\(\s*["']([^"']*)["']\s*,\s*include\(\s*["']([\w.]+)["']/g)) prefixes.set(m[2]!, m[1]!);
    for (const m of text.matchAll(/(?:re_)?path\(\s*r?["']\^?((?:[\w-]+\/)*(?:healthz?|health[-_]?check|ht|ping|status|livez|readyz)\/?)\$?["']/g)) routes.push({ module, route: m[1]! });
    if (/include\(\s*["']health_check\.urls["']/.test(text)) {
      const p = /path\(\s*["']([^"']*)["']\s*,\s*include\(\s*["']health_check\.urls["']/.exec(text);
      if (p) routes.push({ module, route: p[1]! });
    }
  }
  const best = routes.sort((a, b) => rank(a.route) - rank(b.route))[0];
  if (!best) return undefined;
  const prefix = prefixes.get(best.module) ?? '';
  return '/' + (prefix + best.route).replace(/^\/+/, '');
}

function rank(route: string): number {
  return /health/.test(route) ? 0 : /ht|livez|readyz/.test(route) ? 1 : 2;
}

/** Files of the project outside dependency folders (for import scans). */
const pythonFilesMemo = new WeakMap<string[], Map<string, string[]>>();

export function projectPythonFiles(ctx: ProjectContext): string[] {
  // ctx.files is the same array until the workspace's file list changes.
  let byRoot = pythonFilesMemo.get(ctx.files);
  if (!byRoot) pythonFilesMemo.set(ctx.files, (byRoot = new Map()));
  let files = byRoot.get(ctx.project.root);
  if (!files) byRoot.set(ctx.project.root, (files = pythonFilesOf(ctx)));
  return files;
}

function pythonFilesOf(ctx: ProjectContext): string[] {
  return ctx.files.filter((f) => f.endsWith('.py') && !/(^|\/)(node_modules|venv|\.venv|env|site-packages|migrations)\//.test(relativePosix(ctx.project.root, f)));
}

/** Where a "production lacks package X" finding goes: the file production installs from. */
export function requirementsAnchor(ctx: ProjectContext): { file: string; range: Range } {
  const deps = models(ctx).deps;
  const target = deps.productionTarget();
  const firstLine = (file: string): Range => {
    const line = (ctx.fs.readFile(file) ?? '').split(/\r?\n/)[0] ?? '';
    return { start: { line: 0, character: 0 }, end: { line: 0, character: line.length } };
  };
  if (target.kind !== 'create') return { file: target.file, range: firstLine(target.file) };
  const fallback = ctx.project.managePy ?? ctx.project.production?.path;
  return fallback ? { file: fallback, range: firstLine(fallback) } : { file: target.file, range: fileStart() };
}

/** Nearest folder at or above `from` holding `.git` (the repository root), else undefined. */
export function gitRoot(ctx: ProjectContext, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (ctx.fs.isDirectory(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
