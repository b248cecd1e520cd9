// The rule registry: an explicit list (not file discovery) so bundles are deterministic.
import type { Rule } from './types';
import { rule as dj_ops_015 } from './settings/DJ-OPS-015';
import { rule as dj_ops_025 } from './settings/DJ-OPS-025';
import { rule as dj_ops_029 } from './settings/DJ-OPS-029';
import { rule as dj_ops_030 } from './settings/DJ-OPS-030';
import { rule as dj_sec_001 } from './settings/DJ-SEC-001';
import { rule as dj_sec_006 } from './settings/DJ-SEC-006';
import { rule as dj_sec_008 } from './settings/DJ-SEC-008';
import { rule as dj_sec_013 } from './settings/DJ-SEC-013';
import { rule as dj_sec_016 } from './settings/DJ-SEC-016';
import { rule as dj_sec_018 } from './settings/DJ-SEC-018';
import { rule as dj_sec_022 } from './settings/DJ-SEC-022';
import { rule as dj_sec_023 } from './settings/DJ-SEC-023';
import { rule as dj_sec_024 } from './settings/DJ-SEC-024';
import { rule as dj_sec_026 } from './settings/DJ-SEC-026';
import { rule as dj_sec_027 } from './settings/DJ-SEC-027';
import { rule as dj_sec_028 } from './settings/DJ-SEC-028';
import { rule as dj_sec_029 } from './settings/DJ-SEC-029';
import { rule as dj_sec_030 } from './settings/DJ-SEC-030';
import { rule as dj_sec_031 } from './settings/DJ-SEC-031';
import { rule as dj_sec_033 } from './settings/DJ-SEC-033';
import { rule as dj_sec_034 } from './settings/DJ-SEC-034';
import { rule as dj_sec_035 } from './settings/DJ-SEC-035';
import { rule as dj_sec_037 } from './settings/DJ-SEC-037';
import { rule as dj_sec_038 } from './settings/DJ-SEC-038';
import { rule as dj_sec_050 } from './settings/DJ-SEC-050';
import { rule as dj_sec_051 } from './settings/DJ-SEC-051';
import { rule as dj_sec_052 } from './settings/DJ-SEC-052';

export const RULES: readonly Rule[] = [
  dj_ops_015,
  dj_ops_025,
  dj_ops_029,
  dj_ops_030,
  dj_sec_001,
  dj_sec_006,
  dj_sec_008,
  dj_sec_013,
  dj_sec_016,
  dj_sec_018,
  dj_sec_022,
  dj_sec_023,
  dj_sec_024,
  dj_sec_026,
  dj_sec_027,
  dj_sec_028,
  dj_sec_029,
  dj_sec_030,
  dj_sec_031,
  dj_sec_033,
  dj_sec_034,
  dj_sec_035,
  dj_sec_037,
  dj_sec_038,
  dj_sec_050,
  dj_sec_051,
  dj_sec_052,
];

const byId = new Map<string, Rule>();
for (const r of RULES) {
  byId.set(r.id, r);
  byId.set(r.name, r);
}

/** A rule by id or kebab-case name. */
export function findRule(idOrName: string): Rule | undefined {
  return byId.get(idOrName) ?? byId.get(idOrName.toUpperCase());
}
