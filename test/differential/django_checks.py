#!/usr/bin/python3
"""Ground truth for the django-readiness differential test.

Runs Django's own system checks (what ``manage.py check --deploy`` runs) for
one or more settings modules and prints, as JSON, the check ids Django reports:

    {"<settings path>": {"ids": ["security.W004", ...], "silenced": [...], "error": null}}

* ``ids``      -- every id ``check --deploy`` would print (all namespaces), sorted and
                  de-duplicated; ids listed in SILENCED_SYSTEM_CHECKS are left out,
                  exactly like the management command does.
* ``silenced`` -- ids that were raised but hidden by SILENCED_SYSTEM_CHECKS.
* ``error``    -- ``null``, or ``"<ExceptionType>: <message>"`` when the settings could
                  not be loaded / Django could not be set up / a check crashed,
                  e.g. ``"KeyError: 'SECRET_KEY' (while importing settings)"``.

Each settings module is evaluated in its own subprocess (Django settings are
process-global) with an EMPTY environment (``PATH=/usr/bin:/bin`` only, plus
``DJANGO_SETTINGS_MODULE`` set inside the child just before Django is imported),
``cwd`` = the project root, and ``sys.argv = ["manage.py", "check", "--deploy"]``.
The only deviation from a real run: FileBasedCache does not create its directory.
Cases run in parallel (``--jobs``, default: CPU count) with a per-case timeout.

Usage (always with Debian's interpreter, which has Django 3.2.25):

    /usr/bin/python3 test/differential/django_checks.py path/to/settings.py [...]
    /usr/bin/python3 test/differential/django_checks.py path/to/root::pkg.settings.production
    /usr/bin/python3 test/differential/django_checks.py --cases test/fixtures/differential/cases.json
    /usr/bin/python3 test/differential/django_checks.py --cases ... --verify   # exit 1 on drift
    /usr/bin/python3 test/differential/django_checks.py --cases ... --update   # rewrite "expected"

A settings *file* argument is mapped to (project root, dotted module) by walking
up through directories that contain ``__init__.py``: ``case/config/settings/production.py``
with ``config/__init__.py`` and ``config/settings/__init__.py`` becomes root ``case/``,
module ``config.settings.production``.  Use ``ROOT::MODULE`` to give both explicitly.

In ``--cases`` mode the JSON keys are ``<case name>/<settings>`` (relative to the
directory holding cases.json).  ``--summary`` prints a human table to stderr.
"""

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

DEFAULT_PYTHON = "/usr/bin/python3"
DEFAULT_TIMEOUT = 60.0
EMPTY_ENV = {"PATH": "/usr/bin:/bin"}
RESULT_MARKER = "@@DJANGO_CHECKS_RESULT@@"


# --------------------------------------------------------------------------
# Child side: runs inside the per-case subprocess.
# --------------------------------------------------------------------------

def _worker(root, module, settings_file):
    """Load `module` from `root`, run all checks incl. deployment ones, print result."""
    result = {"ids": [], "silenced": [], "error": None}
    phase = "preparing"
    try:
        # Empty environment: the parent already passes only PATH; make sure.
        for key in list(os.environ):
            if key != "PATH":
                del os.environ[key]
        os.environ["DJANGO_SETTINGS_MODULE"] = module
        os.chdir(root)
        # Like `python manage.py ...`: the project root is first on sys.path,
        # and nothing else from this script's directory is importable.
        script_dir = os.path.dirname(os.path.abspath(__file__))
        sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != script_dir]
        sys.path.insert(0, root)
        sys.argv = ["manage.py", "check", "--deploy"]

        import warnings
        warnings.simplefilter("ignore")  # RemovedInDjango40Warning etc. go nowhere

        import django
        from django.conf import settings

        phase = "importing settings"
        # Force the settings import first so a broken settings file is reported
        # as such (and not as some later failure inside setup()).
        settings.INSTALLED_APPS  # noqa: B018
        loaded = sys.modules.get(module)
        if settings_file and loaded is not None and getattr(loaded, "__file__", None):
            if not os.path.samefile(loaded.__file__, settings_file):
                raise RuntimeError(
                    "module %r resolved to %s, not %s" % (module, loaded.__file__, settings_file)
                )
        # FileBasedCache.__init__ mkdir()s its LOCATION; the checks only look at
        # the path, so skip that side effect (keeps fixture trees clean).
        from django.core.cache.backends.filebased import FileBasedCache
        FileBasedCache._createdir = lambda self: None

        phase = "running django.setup()"
        django.setup()

        phase = "running checks"
        from django.core import checks
        messages = checks.run_checks(include_deployment_checks=True)
        shown = {m.id for m in messages if not m.is_silenced()}
        hidden = {m.id for m in messages if m.is_silenced()} - shown
        result["ids"] = sorted(i for i in shown if i)
        result["silenced"] = sorted(i for i in hidden if i)
    except BaseException as exc:  # noqa: BLE001 - report anything, incl. SystemExit
        msg = str(exc).strip().splitlines()
        result["error"] = "%s: %s (while %s)" % (type(exc).__name__, msg[0] if msg else "", phase)
        result["ids"] = []
        result["silenced"] = []
    sys.stdout.flush()
    sys.stdout.write("\n" + RESULT_MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------
# Parent side.
# --------------------------------------------------------------------------

def resolve_target(arg):
    """Return (key, root, module, settings_file) for a CLI target."""
    if "::" in arg:
        root, module = arg.split("::", 1)
        root = os.path.abspath(root)
        rel = os.path.join(root, *module.split("."))
        settings_file = rel + ".py" if os.path.isfile(rel + ".py") else os.path.join(rel, "__init__.py")
        return arg, root, module, settings_file if os.path.isfile(settings_file) else None
    path = os.path.abspath(arg)
    if not os.path.isfile(path) or not path.endswith(".py"):
        return arg, None, None, None
    directory, filename = os.path.split(path)
    parts = [] if filename == "__init__.py" else [filename[:-3]]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, pkg = os.path.split(directory)
        parts.insert(0, pkg)
    return arg, directory, ".".join(parts), path


def run_one(python, root, module, settings_file, timeout):
    if root is None:
        return {"ids": [], "silenced": [], "error": "FileNotFoundError: settings file not found or not a .py file"}
    cmd = [python, "-B", "-s", os.path.abspath(__file__), "--worker", root, module, settings_file or ""]
    try:
        proc = subprocess.run(
            cmd, env=dict(EMPTY_ENV), cwd=root, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True,
        )
    except subprocess.TimeoutExpired:
        return {"ids": [], "silenced": [], "error": "TimeoutExpired: no result after %ss" % timeout}
    except OSError as exc:
        return {"ids": [], "silenced": [], "error": "OSError: cannot run %s: %s" % (python, exc)}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return json.loads(line[len(RESULT_MARKER):])
    tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
    return {"ids": [], "silenced": [], "error": "WorkerCrash: exit %s: %s" % (proc.returncode, tail)}


def run_many(python, targets, timeout, jobs):
    """targets: list of (key, root, module, settings_file). Returns ordered dict key -> result."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [
            (key, pool.submit(run_one, python, root, module, sf, timeout))
            for key, root, module, sf in targets
        ]
        return {key: fut.result() for key, fut in futures}


def load_cases(cases_path):
    with open(cases_path, encoding="utf-8") as fh:
        cases = json.load(fh)
    base = os.path.dirname(os.path.abspath(cases_path))
    targets = []
    for case in cases:
        case_dir = os.path.join(base, case["name"])
        settings_file = os.path.join(case_dir, case["settings"])
        key = "%s/%s" % (case["name"], case["settings"])
        targets.append((key, case_dir, case["module"], settings_file))
    return cases, targets


def print_summary(results, stream=sys.stderr):
    width = max([len(k) for k in results] + [4])
    for key, res in results.items():
        body = ("ERROR " + res["error"]) if res["error"] else (" ".join(res["ids"]) or "(no issues)")
        if res.get("silenced"):
            body += "   [silenced: %s]" % " ".join(res["silenced"])
        stream.write("%-*s  %s\n" % (width, key, body))
    errors = sum(1 for r in results.values() if r["error"])
    stream.write("%d settings module(s), %d error(s)\n" % (len(results), errors))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="settings .py files, or ROOT::dotted.module")
    parser.add_argument("--cases", help="cases.json (fixtures are <its dir>/<name>/)")
    parser.add_argument("--update", action="store_true", help="rewrite 'expected' in --cases file")
    parser.add_argument("--verify", action="store_true", help="exit 1 if results differ from 'expected'")
    parser.add_argument("--summary", action="store_true", help="print a table to stderr")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per case")
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="interpreter that has Django")
    parser.add_argument("--worker", nargs=3, metavar=("ROOT", "MODULE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        root, module, settings_file = args.worker
        _worker(root, module, settings_file or None)
        return 0

    if (args.update or args.verify) and not args.cases:
        parser.error("--update/--verify need --cases")
    if not args.cases and not args.targets:
        parser.error("give settings files and/or --cases")

    targets = [resolve_target(t) for t in args.targets]
    cases = None
    if args.cases:
        cases, case_targets = load_cases(args.cases)
        targets += case_targets

    results = run_many(args.python, targets, args.timeout, args.jobs)
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    if args.summary:
        print_summary(results)

    status = 1 if any(r["error"] for r in results.values()) else 0
    if cases is not None:
        by_key = {"%s/%s" % (c["name"], c["settings"]): c for c in cases}
        if args.verify:
            drift = [
                k for k, c in by_key.items()
                if results[k]["error"] or sorted(c.get("expected", [])) != results[k]["ids"]
            ]
            for k in drift:
                sys.stderr.write("DRIFT %s: expected %s, got %s\n" % (
                    k, by_key[k].get("expected"), results[k]["error"] or results[k]["ids"]))
            status = 1 if drift else status
        if args.update:
            failed = [k for k in by_key if results[k]["error"]]
            if failed:
                sys.stderr.write("not updating: %d case(s) failed to load: %s\n" % (len(failed), ", ".join(failed)))
                return 1
            for k, c in by_key.items():
                c["expected"] = results[k]["ids"]
            with open(args.cases, "w", encoding="utf-8") as fh:
                json.dump(cases, fh, indent=2)
                fh.write("\n")
            sys.stderr.write("updated expectations of %d case(s) in %s\n" % (len(cases), args.cases))
    return status


if __name__ == "__main__":
    sys.exit(main())
