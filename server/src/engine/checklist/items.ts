// The production-readiness checklist: the items of the five seed checklists, deduplicated and
// worded for a Django team, grouped in the categories every view and report shows. An item is
// automatic (decided by rules) or manual (what no static analysis can prove; the team ticks it).

export const CATEGORIES = [
  'Security',
  'Monitoring & Logging',
  'Database',
  'Performance & Caching',
  'Static & Media files',
  'Dependencies',
  'Deployment & Docker',
  'Email',
  'Testing & CI',
  'Operations & Recovery',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** What makes an item relevant to a project (absent: always). */
export type Applicability = 'drf' | 'cors' | 'docker' | 'email' | 'requirements' | 'compose';

interface ItemBase {
  id: string;
  category: Category;
  title: string;
  /** Why it matters, for tooltips and reports. */
  why: string;
  applies?: Applicability;
}

export interface AutomaticItem extends ItemBase {
  kind: 'automatic';
  /** Rules deciding it (ids; entries not in the registry are ignored). */
  rules: string[];
  /** Rule-id patterns for catalogs with descriptive ids (REQ-..., DOCKER-...). */
  rulePatterns?: RegExp[];
  /** Settings whose production value must be known for a pass to mean something. */
  settings?: string[];
}

export interface ManualItem extends ItemBase {
  kind: 'manual';
  /** Files that suggest the team has done it (globs on workspace-relative paths), shown as hints. */
  evidence?: string[];
}

export type ChecklistItem = AutomaticItem | ManualItem;

export const ITEMS: ChecklistItem[] = [
  // Security
  { id: 'debug-off', kind: 'automatic', category: 'Security', title: 'DEBUG is off in production, and defaults to off', why: 'Debug pages expose code, settings and SQL to anyone who triggers an error.', rules: ['DJ-SEC-001', 'DJ-SEC-002', 'DJ-SEC-003'], settings: ['DEBUG'] },
  { id: 'secret-key', kind: 'automatic', category: 'Security', title: 'SECRET_KEY is strong and read from the environment', why: 'The key signs sessions, CSRF tokens and password-reset links.', rules: ['DJ-SEC-004', 'DJ-SEC-005', 'DJ-SEC-006', 'DJ-SEC-007', 'DJ-SEC-008'], settings: ['SECRET_KEY'] },
  { id: 'allowed-hosts', kind: 'automatic', category: 'Security', title: 'ALLOWED_HOSTS lists the real domains', why: 'Host-header validation stops cache poisoning and reset links to foreign domains.', rules: ['DJ-SEC-012', 'DJ-SEC-013', 'DJ-SEC-014', 'DJ-SEC-015'], settings: ['ALLOWED_HOSTS'] },
  { id: 'https', kind: 'automatic', category: 'Security', title: 'HTTPS is enforced (redirect, proxy header)', why: 'Plain HTTP exposes cookies and credentials to the network.', rules: ['DJ-SEC-018', 'DJ-SEC-019', 'DJ-SEC-020', 'DJ-SEC-021'], settings: ['SECURE_SSL_REDIRECT', 'MIDDLEWARE'] },
  { id: 'hsts', kind: 'automatic', category: 'Security', title: 'HSTS is enabled (max-age, subdomains, preload)', why: 'Browsers then refuse plain HTTP for the domain.', rules: ['DJ-SEC-022', 'DJ-SEC-023', 'DJ-SEC-024', 'DJ-SEC-025'], settings: ['SECURE_HSTS_SECONDS'] },
  { id: 'secure-cookies', kind: 'automatic', category: 'Security', title: 'Session and CSRF cookies are secure and HttpOnly', why: 'Cookies sent over HTTP or readable by scripts can be stolen.', rules: ['DJ-SEC-033', 'DJ-SEC-034', 'DJ-SEC-035', 'DJ-SEC-036'], settings: ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE'] },
  { id: 'security-headers', kind: 'automatic', category: 'Security', title: 'Security middleware and headers (nosniff, X-Frame-Options, referrer, COOP, CSP)', why: 'Headers close whole classes of browser attacks for free.', rules: ['DJ-SEC-016', 'DJ-SEC-017', 'DJ-SEC-026', 'DJ-SEC-027', 'DJ-SEC-028', 'DJ-SEC-029', 'DJ-SEC-030', 'DJ-SEC-031', 'DJ-SEC-032'], settings: ['MIDDLEWARE'] },
  { id: 'csrf', kind: 'automatic', category: 'Security', title: 'CSRF protection is on everywhere (no csrf_exempt, trusted origins valid)', why: 'Exempt views accept forged requests from any site.', rules: ['DJ-SEC-037', 'DJ-SEC-038', 'DJ-SEC-039', 'DJ-VIEW-001'], settings: ['MIDDLEWARE'] },
  { id: 'cors', kind: 'automatic', category: 'Security', title: 'CORS allows only known origins', why: 'Allow-all with credentials lets any site act as the user.', rules: ['DJ-SEC-040', 'DJ-SEC-041', 'DJ-SEC-042'], applies: 'cors' },
  { id: 'credentials', kind: 'automatic', category: 'Security', title: 'No credentials in the source (passwords, API keys, tokens)', why: 'Anything in the repository is readable by everyone with access, forever.', rules: ['DJ-SEC-009', 'DJ-SEC-010', 'DJ-SEC-011'] },
  { id: 'passwords', kind: 'automatic', category: 'Security', title: 'Password validators (min length 12) and strong hashers', why: 'Weak passwords and fast hashes make stolen databases crackable.', rules: ['DJ-SEC-043', 'DJ-SEC-044', 'DJ-SEC-045'], settings: ['AUTH_PASSWORD_VALIDATORS'] },
  { id: 'sessions-templates', kind: 'automatic', category: 'Security', title: 'Templates autoescape, sessions are safe, request sizes are limited', why: 'Autoescape stops XSS; pickle sessions and unbounded uploads are exploitable.', rules: ['DJ-SEC-046', 'DJ-SEC-047', 'DJ-SEC-048', 'DJ-SEC-049', 'DJ-SEC-050', 'DJ-SEC-051', 'DJ-SEC-052'] },
  { id: 'rate-limiting', kind: 'automatic', category: 'Security', title: 'Login, signup, reset and token endpoints are rate limited', why: 'Unlimited attempts make credential stuffing and brute force cheap.', rules: ['DJ-VIEW-003', 'DJ-URL-004', 'DJ-API-008', 'DJ-API-009', 'DJ-API-010'] },
  { id: 'injection', kind: 'automatic', category: 'Security', title: 'No SQL built from strings, no unsafe HTML', why: 'String-built SQL and mark_safe on user data are the classic injection bugs.', rules: ['DJ-VIEW-007', 'DJ-VIEW-008', 'DJ-VIEW-009'] },
  { id: 'urls', kind: 'automatic', category: 'Security', title: 'The admin is not at its default path and Django does not serve static or media files', why: 'A default admin URL invites credential stuffing; serve() in production is slow and unsafe.', rules: ['DJ-URL-003', 'DJ-URL-006'] },
  { id: 'api', kind: 'automatic', category: 'Security', title: 'API authentication, permissions and throttling are configured', why: 'DRF allows anonymous, unthrottled access unless told otherwise.', rules: ['DJ-API-001', 'DJ-API-002', 'DJ-API-003', 'DJ-API-004', 'DJ-API-005', 'DJ-API-006', 'DJ-API-007'], applies: 'drf' },
  { id: 'environment', kind: 'automatic', category: 'Security', title: 'Environment variables are parsed and validated at startup', why: 'A missing variable should stop the deploy, not fail later in production.', rules: ['DJ-ENV-001', 'DJ-ENV-002', 'DJ-ENV-003', 'DJ-ENV-004', 'DJ-ENV-005', 'DJ-ENV-006', 'DJ-ENV-007', 'DJ-ENV-008'] },
  // Monitoring & Logging
  { id: 'logging', kind: 'automatic', category: 'Monitoring & Logging', title: 'LOGGING is configured (console, rotation, levels)', why: 'Without it errors vanish and disks fill up.', rules: ['DJ-OPS-001', 'DJ-OPS-002', 'DJ-OPS-003', 'DJ-OPS-004', 'DJ-OPS-005', 'DJ-OPS-006'], settings: ['LOGGING'] },
  { id: 'error-tracking', kind: 'automatic', category: 'Monitoring & Logging', title: 'Errors are reported to Sentry (or similar) without personal data', why: 'You learn about failures before your users tell you.', rules: ['DJ-OPS-007', 'DJ-OPS-008'] },
  { id: 'health-check', kind: 'automatic', category: 'Monitoring & Logging', title: 'A health-check endpoint exists', why: 'Load balancers and uptime monitors need something cheap to probe.', rules: ['DJ-URL-001'] },
  { id: 'alerting', kind: 'manual', category: 'Monitoring & Logging', title: 'Uptime monitoring and alerting notify someone', why: 'Monitoring without alerts is a dashboard nobody watches.', evidence: ['**/alertmanager*.y*ml', '**/prometheus*.y*ml', '**/monitoring/**'] },
  // Database
  { id: 'database-engine', kind: 'automatic', category: 'Database', title: 'Production uses PostgreSQL (not SQLite)', why: 'SQLite locks under concurrent writes and lives on one disk.', rules: ['DJ-OPS-009'], settings: ['DATABASES'] },
  { id: 'database-connections', kind: 'automatic', category: 'Database', title: 'Persistent connections, TLS and timeouts for the database', why: 'Reconnecting per request is slow; plaintext and unbounded queries are risky.', rules: ['DJ-OPS-010', 'DJ-OPS-011', 'DJ-OPS-012', 'DJ-OPS-013'], settings: ['DATABASES'] },
  { id: 'migrations', kind: 'manual', category: 'Database', title: 'Migrations are reviewed, applied at deploy time and reversible', why: 'A failed migration during deploy is the most common outage.', evidence: ['**/migrations/*.py'] },
  // Performance & Caching
  { id: 'cache', kind: 'automatic', category: 'Performance & Caching', title: 'A shared cache (Redis/Memcached) instead of per-process memory', why: 'Local-memory caches differ per worker; rate limits and sessions break.', rules: ['DJ-OPS-014', 'DJ-OPS-015', 'DJ-OPS-016'], settings: ['CACHES'] },
  { id: 'load-test', kind: 'manual', category: 'Performance & Caching', title: 'A load test was run against production-like infrastructure', why: 'Capacity surprises belong in a test, not on launch day.', evidence: ['**/locustfile*.py', '**/*.k6.js', '**/k6/**', '**/loadtest*/**', '**/load_test*/**'] },
  // Static & Media
  { id: 'static-files', kind: 'automatic', category: 'Static & Media files', title: 'Static files are collected and served efficiently (STATIC_ROOT, WhiteNoise/CDN)', why: 'Without STATIC_ROOT collectstatic fails; serving through Django is slow.', rules: ['DJ-OPS-020', 'DJ-OPS-021', 'DJ-OPS-022', 'DJ-OPS-023', 'DJ-OPS-025'], settings: ['STATIC_ROOT'] },
  { id: 'media-files', kind: 'automatic', category: 'Static & Media files', title: 'User uploads are stored durably and apart from static files', why: 'Container disks vanish on redeploy; uploads must not mix with code.', rules: ['DJ-OPS-024', 'DJ-OPS-026', 'DJ-OPS-027', 'DJ-OPS-028'] },
  // Email
  { id: 'email', kind: 'automatic', category: 'Email', title: 'Email goes through SMTP with TLS, configured from the environment', why: 'A console backend silently drops every email (password resets included).', rules: ['DJ-OPS-017', 'DJ-OPS-018', 'DJ-OPS-019'], settings: ['EMAIL_BACKEND'] },
  // Dependencies (rules from the requirements family are attached by prefix in model.ts)
  { id: 'dependencies-pinned', kind: 'automatic', category: 'Dependencies', title: 'Production dependencies are pinned, complete and free of dev tools', why: 'Unpinned installs change under you; missing packages fail at deploy.', rules: [], rulePatterns: [/^REQ-(?!.*(VULN|EOL|ADVISOR|CVE|SECURITY))/], applies: 'requirements' },
  { id: 'dependencies-secure', kind: 'automatic', category: 'Dependencies', title: 'No known-vulnerable or end-of-life Django and core packages', why: 'Published advisories are the first thing attackers try.', rules: [], rulePatterns: [/^REQ-.*(VULN|EOL|ADVISOR|CVE|SECURITY)/], applies: 'requirements' },
  { id: 'dependency-updates', kind: 'manual', category: 'Dependencies', title: 'Dependency updates and security scanning run regularly', why: 'Pins rot; someone must bump them.', evidence: ['.github/dependabot.y*ml', 'renovate.json', '.renovaterc*', '.github/workflows/*.y*ml'] },
  // Deployment & Docker
  { id: 'docker-image', kind: 'automatic', category: 'Deployment & Docker', title: 'The Docker image runs an app server as a non-root user, with a health check', why: 'runserver and root in production are the two classic image mistakes.', rules: [], rulePatterns: [/^DOCKER-/, /^GUNICORN-/], applies: 'docker' },
  { id: 'deploy-config', kind: 'automatic', category: 'Deployment & Docker', title: 'Compose, .env and ignore files keep secrets out of images and git', why: 'A committed .env or a published database port undoes every other control.', rules: [], rulePatterns: [/^COMPOSE-/, /^ENV-/, /^GITIGNORE-/, /^DOCKERIGNORE-/, /^GIT-/] },
  { id: 'system-checks', kind: 'automatic', category: 'Deployment & Docker', title: "Django's own startup checks pass (admin, templates)", why: 'Django refuses to start, or the admin breaks, when these are misconfigured.', rules: ['DJ-OPS-029', 'DJ-OPS-030'], settings: ['INSTALLED_APPS'] },
  { id: 'staging', kind: 'manual', category: 'Deployment & Docker', title: 'A staging environment mirrors production', why: 'Deploys are rehearsed where failure is cheap.', evidence: ['**/*staging*', '.do/app-staging.yaml'] },
  { id: 'rollback', kind: 'manual', category: 'Deployment & Docker', title: 'A rollback procedure exists and was tried', why: 'When a deploy goes wrong, minutes matter.', evidence: ['**/ROLLBACK*.md', '**/rollback*', '**/RUNBOOK*.md', '**/runbook*'] },
  // Testing & CI
  { id: 'tests', kind: 'manual', category: 'Testing & CI', title: 'Automated tests cover the critical paths and run in CI', why: 'Every deploy should be preceded by a green test run.', evidence: ['**/tests.py', '**/tests/**/*.py', '**/test_*.py', '.github/workflows/*.y*ml', '.gitlab-ci.yml', 'pytest.ini', 'tox.ini'] },
  // Operations & Recovery
  { id: 'backups', kind: 'manual', category: 'Operations & Recovery', title: 'Automated backups run and a restore was tested', why: 'A backup that was never restored is a hope, not a backup.', evidence: ['**/*backup*', '**/*restore*'] },
  { id: 'disaster-recovery', kind: 'manual', category: 'Operations & Recovery', title: 'A disaster-recovery plan is written down', why: 'Recovery under pressure needs a script everyone can follow.', evidence: ['**/DISASTER_RECOVERY*.md', '**/disaster*recovery*', '**/DR*.md'] },
  { id: 'incident-response', kind: 'manual', category: 'Operations & Recovery', title: 'Incident response: who is on call, how users are told', why: 'Outages go faster with roles decided in advance.', evidence: ['**/INCIDENT*.md', '**/incident*', '**/ON_CALL*.md', '**/SECURITY.md'] },
];
