// Facts and edit texts the Dockerfile rules share: what the image installs, which port it serves,
// the gunicorn command and non-root user it should have.
import { basename, dirname, join } from 'node:path';
import { normalizeName } from '../requirements/parse';
import type { ProjectContext } from '../rules/types';
import { appModule, models } from './context';
import type { DockerfileModel, Stage } from './dockerfile';

/**
 * Distributions (PEP 503 names) the Dockerfile installs in any stage, following `-r` includes,
 * `pip install .` (pyproject), poetry/pipenv/uv; undefined when an install cannot be resolved.
 */
export function installedBy(ctx: ProjectContext, d: DockerfileModel): Set<string> | undefined {
  const deps = models(ctx).deps;
  const out = new Set<string>();
  let any = false;
  const project = () => deps.deps.filter((x) => x.group === 'main' && x.origin !== 'requirements').forEach((x) => out.add(x.key));
  for (const p of d.pipInstalls) {
    any = true;
    if (p.opaque) return undefined;
    for (const r of p.requirementFiles) {
      if (!r.file) return undefined;
      for (const dep of deps.installSet(r.file)) out.add(dep.key);
    }
    for (const pkg of p.packages) {
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(pkg);
      if (p.installsProject && /^\.|^\//.test(pkg)) continue;
      if (m) out.add(normalizeName(m[1]!));
    }
    if (p.installsProject) project();
  }
  for (const o of d.otherInstalls) {
    any = true;
    if (o.tool === 'pipenv') deps.deps.filter((x) => x.origin === 'pipfile' && x.group === 'main').forEach((x) => out.add(x.key));
    else project();
  }
  return any ? out : undefined;
}

/** The port the app should listen on: EXPOSE, a runserver/bind argument, else 8000. */
export function portOf(d: DockerfileModel): string {
  const final = d.final;
  if (final) {
    for (const instr of d.inherited(final)) {
      if (instr.getKeyword() === 'EXPOSE') {
        const m = /(\d{2,5})/.exec(instr.getArgumentsContent() ?? '');
        if (m) return m[1]!;
      }
    }
  }
  for (const c of d.startCommands()) {
    for (const a of c.argv) {
      const m = /^(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:(\d{2,5})$/.exec(a) ?? /^(\d{4,5})$/.exec(a);
      if (m) return m[1]!;
    }
  }
  return '8000';
}

/** `CMD ["sh", "-c", "exec gunicorn proj.wsgi:application --bind 0.0.0.0:${PORT:-8000}"]`. */
export function gunicornCommand(ctx: ProjectContext, keyword: string, port: string): string {
  const app = appModule(ctx, 'wsgi') ?? 'config.wsgi:application';
  return `${keyword} ["sh", "-c", "exec gunicorn ${app} --bind 0.0.0.0:\${PORT:-${port}}"]`;
}

export function uvicornCommand(ctx: ProjectContext, keyword: string, port: string): string | undefined {
  const app = appModule(ctx, 'asgi');
  return app ? `${keyword} ["uvicorn", "${app}", "--host", "0.0.0.0", "--port", "${port}"]` : undefined;
}

export function isAlpine(d: DockerfileModel, stage: Stage | undefined): boolean {
  if (!stage) return false;
  return d.lineage(stage).some((s) => /alpine/i.test(s.image ?? ''));
}

/** The RUN creating an unprivileged `app` user (uid 10001). */
export function createUserRun(alpine: boolean): string {
  return alpine
    ? 'RUN addgroup -S -g 10001 app && adduser -S -u 10001 -G app app'
    : 'RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-log-init --create-home app';
}

export function createsUser(d: DockerfileModel, stage: Stage): boolean {
  return d.inherited(stage).some((i) => i.getKeyword() === 'RUN' && /\b(useradd|adduser)\b/.test(i.getArgumentsContent() ?? ''));
}

/** Images that already run as a non-root user. */
export function nonRootBase(image: string | undefined): boolean {
  if (!image) return false;
  if (/^gcr\.io\/distroless\/.*:(nonroot|debug-nonroot)/.test(image)) return true;
  if (/^cgr\.dev\/chainguard\//.test(image) && !/-dev$/.test(image)) return true;
  return false;
}

export function healthcheckInstruction(path: string, port: string): string {
  return `HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}${path}', timeout=4)"]`;
}

/** The context file named by a path relative to the Dockerfile's context. */
export function contextFile(d: DockerfileModel, rel: string): string {
  return join(d.context, rel);
}

/** `.dockerignore` that applies: `<Dockerfile>.dockerignore` first, then the context's. */
export function dockerignoreOf(d: DockerfileModel): string | undefined {
  const specific = join(dirname(d.path), `${basename(d.path)}.dockerignore`);
  if (d.fs.isFile(specific)) return specific;
  const general = join(d.context, '.dockerignore');
  return d.fs.isFile(general) ? general : undefined;
}

export const DOCKERIGNORE_TEMPLATE = ['.git', '**/__pycache__', '**/*.py[cod]', '.env', '.env.*', '**/.env', '**/.env.*', '!.env.example', '.venv', 'venv', 'node_modules', 'media', 'staticfiles', 'db.sqlite3', '.pytest_cache', '.coverage'];

/** Final-stage CMD/ENTRYPOINT instruction to insert before (the first of them), if any. */
export function firstStartInstruction(d: DockerfileModel): number | undefined {
  const final = d.final;
  if (!final) return undefined;
  const i = final.instructions.find((x) => x.getKeyword() === 'CMD' || x.getKeyword() === 'ENTRYPOINT');
  return i?.getRange().start.line;
}

/** Position after the final stage's last instruction (new lines go there). */
export function endOfFinalStage(d: DockerfileModel): number {
  const final = d.final;
  const last = final?.instructions[final.instructions.length - 1] ?? final?.from;
  return last ? last.getRange().end.line + 1 : 0;
}

/** An edit inserting whole lines before `line` (or appending at the end of the file). */
export function insertLines(d: DockerfileModel, line: number, text: string): import('../types').TextEdit {
  const lines = d.text.split('\n');
  if (line < lines.length) return { file: d.path, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: text + '\n' };
  const last = lines.length - 1;
  return { file: d.path, range: { start: { line: last, character: lines[last]!.length }, end: { line: last, character: lines[last]!.length } }, newText: (d.text.endsWith('\n') || d.text === '' ? '' : '\n') + text + '\n' };
}
