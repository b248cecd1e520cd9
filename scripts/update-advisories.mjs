// Rebuilds server/src/engine/data/advisories.json from a local checkout of the PyPA advisory
// database (https://github.com/pypa/advisory-database, OSV format, CC-BY-4.0) — or any folder of
// OSV JSON/YAML files laid out as vulns/<package>/<ID>.{yaml,json}.
//
//   node scripts/update-advisories.mjs <checkout> [--packages django,gunicorn,...] [--date YYYY-MM-DD] [--out file]
//
// The extension never fetches advisories at run time; this script is how the bundled snapshot is
// refreshed. Kept from the current snapshot: the Django series table (EOL dates, latest patches,
// supported Pythons), curated `severity`/`recommended` values for ids it already has, and the
// package list when --packages is not given. The snapshot shipped in the repository was
// hand-curated offline from the deploy-rules spec §(c) (see its "curation" field).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const checkout = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!checkout) {
  console.error('usage: node scripts/update-advisories.mjs <advisory-database checkout> [--packages a,b] [--date YYYY-MM-DD] [--out file]');
  process.exit(2);
}
const outFile = opt('--out') ?? join(root, 'server/src/engine/data/advisories.json');
const current = JSON.parse(readFileSync(join(root, 'server/src/engine/data/advisories.json'), 'utf8'));
const packages = (opt('--packages') ?? Object.keys(current.packages).join(',')).split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);

// ------------------------------------------------------------------ a YAML subset (what OSV dumps)

function scalar(text) {
  const t = text.trim();
  if (t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t.startsWith('"') && t.endsWith('"')) return JSON.parse(t.replace(/\n\s*/g, ' '));
  if (t === 'null' || t === '~') return null;
  return t;
}

/** Parses the block YAML PyYAML writes: maps, lists, scalars (quoted ones may span lines). */
export function parseYaml(text) {
  const lines = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    // Continuation of the previous scalar (folded plain or quoted text).
    const prev = lines[lines.length - 1];
    if (prev && indent > prev.contIndent && prev.open) {
      prev.text += ' ' + raw.trim();
      prev.open = !balanced(prev.text);
      continue;
    }
    const item = { indent, text: raw.trim(), open: false, contIndent: raw.trim().startsWith('- ') ? indent + 2 : indent };
    const value = valuePart(item.text);
    item.open = value !== undefined && value !== '' && !balanced(value);
    if (value !== undefined && value !== '' && !/^["']/.test(value) && !/^[[{]/.test(value)) item.open = true;
    lines.push(item);
  }
  let i = 0;
  function valuePart(t) {
    const s = t.startsWith('- ') ? t.slice(2) : t;
    const m = /^([^:'"]+|'[^']*'|"[^"]*"):(\s+(.*))?$/.exec(s);
    if (m) return m[3] ?? '';
    return t.startsWith('- ') ? s : undefined;
  }
  function balanced(v) {
    const t = v.trim();
    if (t.startsWith("'")) return t.length > 1 && t.endsWith("'") && !t.endsWith("''") || /[^']'$/.test(t);
    if (t.startsWith('"')) return t.length > 1 && /[^\\]"$/.test(t);
    return true;
  }
  function block(indent) {
    const first = lines[i];
    if (!first) return null;
    if (first.text.startsWith('- ') || first.text === '-') {
      const list = [];
      while (lines[i] && lines[i].indent === indent && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
        const line = lines[i];
        const body = line.text === '-' ? '' : line.text.slice(2);
        if (/^[^:'"]+:(\s|$)/.test(body)) {
          // "- key: value" starts a map indented at the body.
          line.indent = indent + 2;
          line.text = body;
          list.push(block(indent + 2));
        } else if (body === '') {
          i++;
          list.push(lines[i] && lines[i].indent > indent ? block(lines[i].indent) : null);
        } else {
          i++;
          list.push(scalar(body));
        }
      }
      return list;
    }
    const map = {};
    while (lines[i] && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const m = /^([^:'"]+|'[^']*'|"[^"]*"):(?:\s+(.*))?$/s.exec(lines[i].text);
      if (!m) {
        i++;
        continue;
      }
      const key = scalar(m[1]);
      i++;
      if (m[2] !== undefined && m[2] !== '') map[key] = m[2].startsWith('[') ? JSON.parse(m[2].replace(/'/g, '"')) : scalar(m[2]);
      else if (lines[i] && (lines[i].indent > indent || (lines[i].indent === indent && lines[i].text.startsWith('- ')))) map[key] = block(lines[i].indent);
      else map[key] = null;
    }
    return map;
  }
  return block(lines[0]?.indent ?? 0);
}

// ------------------------------------------------------------------ OSV → snapshot entries

const CVSS_HIGH = 7;

function toEntry(osv, pkg, previous) {
  const affected = (osv.affected ?? []).filter((a) => (a.package?.name ?? '').toLowerCase().replace(/[-_.]+/g, '-') === pkg && (a.package?.ecosystem ?? 'PyPI') === 'PyPI');
  const ranges = [];
  for (const a of affected) {
    for (const r of a.ranges ?? []) {
      if (r.type !== 'ECOSYSTEM') continue;
      let introduced;
      for (const e of r.events ?? []) {
        if (e.introduced !== undefined) introduced = String(e.introduced);
        if (e.fixed !== undefined && introduced !== undefined) {
          ranges.push({ introduced, fixed: String(e.fixed) });
          introduced = undefined;
        }
      }
      if (introduced !== undefined) ranges.push({ introduced });
    }
  }
  if (ranges.length === 0) return undefined;
  const old = previous.get(osv.id);
  for (const r of ranges) {
    const rec = old?.ranges.find((x) => x.fixed === r.fixed)?.recommended;
    if (rec) r.recommended = rec;
  }
  const cvss = (osv.severity ?? []).map((s) => Number(/\d+(\.\d+)?$/.exec(String(s.score ?? ''))?.[0])).find((n) => Number.isFinite(n) && n <= 10);
  const details = String(osv.summary ?? osv.details ?? '').replace(/\s+/g, ' ').trim();
  const summary = old?.summary ?? (details.split(/(?<=\.)\s/)[0] ?? details).slice(0, 200);
  const entry = {
    id: osv.id,
    aliases: (osv.aliases ?? []).map(String),
    published: String(osv.published ?? '').slice(0, 10),
    summary,
    severity: old?.severity ?? (cvss !== undefined && cvss >= CVSS_HIGH ? 'high' : /sql injection|request smuggling/i.test(details) ? 'high' : 'moderate'),
    ranges,
  };
  if (cvss !== undefined) entry.cvss = cvss;
  if (old?.note) entry.note = old.note;
  return entry;
}

function readAdvisories(pkg) {
  const dirs = [join(checkout, 'vulns', pkg), join(checkout, pkg)];
  const dir = dirs.find((d) => existsSync(d));
  if (!dir) return [];
  const previous = new Map((current.packages[pkg]?.advisories ?? []).map((a) => [a.id, a]));
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    let osv;
    if (name.endsWith('.json')) osv = JSON.parse(text);
    else if (/\.ya?ml$/.test(name)) osv = parseYaml(text);
    else continue;
    if (osv?.withdrawn) continue;
    const entry = osv && toEntry(osv, pkg, previous);
    if (entry) out.push(entry);
  }
  return out.sort((a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id));
}

const next = { ...current, packages: {} };
for (const pkg of packages) next.packages[pkg] = { advisories: readAdvisories(pkg) };
next.snapshotDate = opt('--date') ?? new Date().toISOString().slice(0, 10);
next.curation = `generated from ${checkout.split('/').filter(Boolean).pop()} by scripts/update-advisories.mjs`;
writeFileSync(outFile, JSON.stringify(next, null, 2) + '\n');
console.log(`wrote ${outFile}: ${packages.map((p) => `${p} ${next.packages[p].advisories.length}`).join(', ')}`);
