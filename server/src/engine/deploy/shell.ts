// Shell text as the deployment rules need it: split a command line into simple commands at `&&`,
// `||`, `;`, `|` and newlines (quotes respected), and each command into words (quotes removed),
// with leading `NAME=value` assignments set aside. Not a shell: `$(...)`, functions and control
// flow are left as words, which the rules treat as "unknown".

export interface SimpleCommand {
  /** Words after the leading assignments, quotes removed. */
  argv: string[];
  /** `NAME=value` prefixes (`RUN SECRET_KEY=x python manage.py collectstatic`). */
  assignments: string[];
  /** The command's text as written. */
  text: string;
  /** Offset of `text` in the input. */
  offset: number;
}

/** Splits on unquoted `&&`, `||`, `;`, `|`, `&` and newlines. */
export function splitCommands(input: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let q: string | undefined;
  let start = 0;
  const push = (end: number) => {
    const raw = input.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text) {
      const words = shellWords(text);
      let k = 0;
      while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!)) k++;
      out.push({ argv: words.slice(k), assignments: words.slice(0, k), text, offset: start + lead });
    }
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"') i++;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      q = c;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(input[i - 1]!))) {
      // A comment runs to the end of the line.
      push(i);
      while (i < input.length && input[i] !== '\n') i++;
      start = i + 1;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      push(i);
      i++;
      start = i + 1;
    } else if (c === ';' || c === '|' || c === '\n' || c === '&') {
      push(i);
      start = i + 1;
    }
  }
  push(input.length);
  return out;
}

/** shlex-like words: quotes removed, backslash escapes honoured. */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let w = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      const c = s[i]!;
      if (c === '"' || c === "'") {
        const close = s.indexOf(c, i + 1);
        const end = close < 0 ? s.length : close;
        w += s.slice(i + 1, end);
        i = end + 1;
      } else if (c === '\\' && i + 1 < s.length) {
        w += s[i + 1];
        i += 2;
      } else {
        w += c;
        i++;
      }
    }
    out.push(w);
  }
  return out;
}

/** Characters that make a command need a shell (`$VAR`, `&&`, pipes, redirections). */
export function needsShell(s: string): boolean {
  return /[$&|;<>`*?~(){}]/.test(s);
}

/** A JSON exec-form array for argv. */
export function execForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

const WRAPPERS = new Set(['newrelic-admin', 'ddtrace-run', 'opentelemetry-instrument', 'exec', 'env', 'nice', 'tini', 'dumb-init', 'gosu', 'su-exec']);
export const APP_SERVERS = ['gunicorn', 'uvicorn', 'daphne', 'uwsgi', 'granian', 'hypercorn', 'waitress-serve'];
/** Distribution that provides each server command. */
export const SERVER_PACKAGE: Record<string, string> = {
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  daphne: 'daphne',
  uwsgi: 'uwsgi',
  granian: 'granian',
  hypercorn: 'hypercorn',
  'waitress-serve': 'waitress',
};

function base(word: string): string {
  return word.split('/').pop() ?? word;
}

/**
 * The program a command really runs, past wrappers (`exec`, `newrelic-admin run-program`,
 * `ddtrace-run`...) and `python -m X`: `{ program, args }`.
 */
export function effectiveProgram(argv: string[]): { program: string; args: string[] } | undefined {
  let a = argv;
  for (let guard = 0; guard < 6 && a.length > 0; guard++) {
    const b = base(a[0]!);
    if (WRAPPERS.has(b)) {
      a = a.slice(b === 'newrelic-admin' && a[1] === 'run-program' ? 2 : 1);
      while (a[0]?.startsWith('-')) a = a.slice(1);
      continue;
    }
    if (/^python(\d(\.\d+)?)?$/.test(b)) {
      let k = 1;
      while (a[k]?.startsWith('-') && a[k] !== '-m' && a[k] !== '-c') k++;
      if (a[k] === '-m' && a[k + 1]) return { program: a[k + 1]!, args: a.slice(k + 2) };
      if (a[k] === '-c') return { program: 'python-c', args: a.slice(k + 1) };
      if (a[k]) return { program: base(a[k]!), args: a.slice(k + 1) };
      return { program: 'python', args: [] };
    }
    return { program: b, args: a.slice(1) };
  }
  return undefined;
}

/** Does the command run Django's development server (`manage.py runserver`, `django-admin runserver_plus`...)? */
export function isRunserver(argv: string[]): boolean {
  const p = effectiveProgram(argv);
  if (!p) return false;
  const django = p.program === 'manage.py' || p.program === 'django-admin' || p.program === 'django' || p.program === 'django-admin.py';
  return django && p.args.some((a) => a === 'runserver' || a === 'runserver_plus');
}

/** Which app server a command runs, if any. */
export function appServerOf(argv: string[]): string | undefined {
  const p = effectiveProgram(argv);
  if (!p) return undefined;
  return APP_SERVERS.includes(p.program) ? p.program : undefined;
}

/** `manage.py <command>` / `django-admin <command>`: the management command name. */
export function manageCommand(argv: string[]): { command: string; args: string[] } | undefined {
  const p = effectiveProgram(argv);
  if (!p) return undefined;
  if (!(p.program === 'manage.py' || p.program === 'django-admin' || p.program === 'django')) return undefined;
  const k = p.args.findIndex((a) => !a.startsWith('-'));
  if (k < 0) return undefined;
  return { command: p.args[k]!, args: p.args.slice(k + 1) };
}

/** `sh -c "..."` / `bash -lc '...'`: the script string, so it can be split in turn. */
export function shellScriptArg(argv: string[]): string | undefined {
  if (argv.length < 2) return undefined;
  if (!/^(sh|bash|ash|dash|zsh)$/.test(base(argv[0]!))) return undefined;
  for (let k = 1; k < argv.length; k++) {
    const a = argv[k]!;
    if (/^-[a-z]*c[a-z]*$/.test(a)) return argv[k + 1];
    if (!a.startsWith('-')) return undefined;
  }
  return undefined;
}
