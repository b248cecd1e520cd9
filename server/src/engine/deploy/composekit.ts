// Shared by the compose rules: which files and services to check, and value edits.
import type { ProjectContext } from '../rules/types';
import type { TextEdit } from '../types';
import { type ComposeFile, type ComposeService, type EnvVar, lower } from './compose';
import { models } from './context';
import type { Severity } from '../types';

/** Non-dev compose files with their services. */
export function composeTargets(ctx: ProjectContext): { file: ComposeFile; service: ComposeService }[] {
  return models(ctx).compose.filter((c) => c.role !== 'dev').flatMap((file) => file.services.map((service) => ({ file, service })));
}

export function sev(file: ComposeFile, base: Severity): Severity {
  return file.lowered ? lower(base) : base;
}

/** An edit replacing an environment variable's value. */
export function envValueEdit(file: ComposeFile, v: EnvVar, value: string): TextEdit | undefined {
  if (v.form === 'map') return { file: file.path, range: v.range, newText: JSON.stringify(value) };
  return v.valueRange ? { file: file.path, range: v.valueRange, newText: value } : undefined;
}

/** Long-running service: not a one-off (`restart: "no"`, a migrate/collectstatic command). */
export function longRunning(s: ComposeService): boolean {
  if (s.restart === 'no' || s.restart === '"no"') return false;
  const cmd = s.command?.kind === 'scalar' ? s.command.value : s.command?.kind === 'seq' ? s.command.items.map((i) => (i.kind === 'scalar' ? i.value : '')).join(' ') : '';
  return !/\b(migrate|collectstatic|createsuperuser|loaddata|check)\b/.test(cmd) || /gunicorn|uvicorn|daphne|runserver|celery/.test(cmd);
}
