// Which env files production reads, for the env-file rules.
import type { ProjectContext } from '../rules/types';
import type { Severity } from '../types';
import { type EnvFile, models } from './context';

/** Env files production reads and how sure we are (a prod name or prod compose: error; the default compose: warning). */
export function productionEnvFiles(ctx: ProjectContext): { env: EnvFile; severity: Severity }[] {
  const out: { env: EnvFile; severity: Severity }[] = [];
  for (const env of models(ctx).envFiles) {
    if (env.example || env.role === 'dev') continue;
    if (env.role === 'production' || env.composeRole === 'production') out.push({ env, severity: 'error' });
    else if (env.composeRole === 'ambiguous') out.push({ env, severity: 'warning' });
  }
  return out;
}
