#!/usr/bin/env bash
# Prepares real Django projects for benchmarks and false-positive hunting, laid out like repositories.
#
#   scripts/real-projects.sh [TARGET]          (default: .cache/real-projects, which git ignores)
#   npm run bench -- --workspace TARGET/horizon
#
# The projects come from Debian packages (apt-get download + dpkg -x: no internet beyond the apt
# mirror is needed) and from Django's own source tarball (apt-get source --download-only). Debian
# installs a project across /usr/lib/python3/dist-packages, /usr/share/<pkg> and /etc/<pkg>, joined by
# symlinks its maintainer scripts create; this script puts the pieces back where the upstream
# repository keeps them (manage.py next to the packages, local settings inside the settings package),
# so the engine sees what a developer who cloned the project would see.
#
# Workspaces (one folder each under TARGET):
#   horizon/      OpenStack dashboard: openstack_dashboard, horizon, openstack_auth, manage.py
#   lava/         LAVA server: lava_server (settings package), lava_scheduler_app, lava_results_app, ...
#   graphite/     graphite-web: graphite (settings.py + local_settings.py), manage.py
#   mailman-web/  Mailman 3 web suite: manage.py, settings.py, settings_local.py, hyperkitty, postorius
#   django/       Django 3.2's source tree (one sample project under tests/, thousands of modules)
#   all/          all of the above side by side: one workspace folder holding several real projects
#   one-project/  the same code as one project: Horizon at the root, the others and Django's test apps as its packages
#
# Idempotent: downloads and extractions are kept in TARGET/.downloads and reused; the workspaces are
# rebuilt from them on every run (plain copies, not hard links: `check --fix` or an editor writing
# into a workspace must not change the extracted packages the next run copies from).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
target=${1:-$here/.cache/real-projects}
mkdir -p "$target"
target=$(cd "$target" && pwd)
dl=$target/.downloads          # .deb files and source tarballs
x=$dl/x                        # one dpkg -x tree per package
mkdir -p "$dl" "$x"

PACKAGES=(openstack-dashboard python3-django-horizon lava-server lava-common graphite-web mailman3-web python3-django-hyperkitty python3-django-postorius)

log() { printf '%s\n' "$*" >&2; }

# ------------------------------------------------------------------ download and extract

for pkg in "${PACKAGES[@]}"; do
  if ! compgen -G "$dl/${pkg}_*.deb" >/dev/null; then
    log "downloading $pkg"
    (cd "$dl" && apt-get download -q "$pkg") || { log "error: apt-get download $pkg failed (is the Debian mirror reachable? run apt-get update)"; exit 1; }
  fi
  if [ ! -d "$x/$pkg" ]; then
    deb=$(compgen -G "$dl/${pkg}_*.deb" | head -n1)
    dpkg -x "$deb" "$x/$pkg.tmp" && mv "$x/$pkg.tmp" "$x/$pkg"
  fi
done

# Django's source: the orig tarball of the python-django source package. Optional: some mirrors
# lack orig tarballs, and then the django/ workspace is left out.
django_src=
if ! compgen -G "$dl/python-django_*.orig.tar.*" >/dev/null; then
  log "downloading the python-django source package"
  (cd "$dl" && apt-get source -q --download-only python-django >/dev/null) || log "warning: apt-get source python-django failed (no deb-src entry, or the orig tarball is missing on this mirror): no django/ workspace"
fi
if orig=$(compgen -G "$dl/python-django_*.orig.tar.*" | head -n1); then
  if [ ! -d "$x/python-django" ]; then
    mkdir -p "$x/python-django.tmp"
    tar -xf "$orig" -C "$x/python-django.tmp" --strip-components=1
    mv "$x/python-django.tmp" "$x/python-django"
  fi
  django_src=$x/python-django
fi

# ------------------------------------------------------------------ lay out the workspaces

dist() { echo "$x/$1/usr/lib/python3/dist-packages"; }

# copy SRC DEST. Debian's symlinks point into the installed system (/usr/share/javascript, /etc), so
# they dangle here and are dropped.
copy() {
  mkdir -p "$(dirname "$2")"
  cp -a "$1" "$2"
  find "$2" -xtype l -delete 2>/dev/null || true
  find "$2" -type l -lname '/*' -delete 2>/dev/null || true
}

fresh() { rm -rf "${target:?}/$1"; mkdir -p "$target/$1"; }

# OpenStack dashboard. The repository keeps manage.py at its root, wsgi.py and the themes inside
# openstack_dashboard, and the deployment's local_settings.py (+ local_settings.d snippets) in
# openstack_dashboard/local; Debian's postinst copies the example local_settings.py to /etc and
# symlinks it back into local/, so we put the same file there.
fresh horizon
for p in openstack_dashboard horizon openstack_auth; do copy "$(dist python3-django-horizon)/$p" "$target/horizon/$p"; done
osd=$x/openstack-dashboard
cp "$osd/usr/share/openstack-dashboard/manage.py" "$target/horizon/manage.py"
cp "$osd/usr/share/openstack-dashboard/wsgi.py" "$target/horizon/openstack_dashboard/wsgi.py"
cp "$osd/usr/share/openstack-dashboard/examples/local_settings.py" "$target/horizon/openstack_dashboard/local/local_settings.py"
copy "$osd/usr/share/openstack-dashboard-debian-settings.d" "$target/horizon/openstack_dashboard/local/local_settings.d"
copy "$osd/etc/openstack-dashboard/enabled" "$target/horizon/openstack_dashboard/local/enabled"
copy "$osd/usr/share/openstack-dashboard/themes" "$target/horizon/openstack_dashboard/themes"
copy "$osd/etc/openstack-dashboard/policy" "$target/horizon/openstack_dashboard/conf"

# LAVA. The repository's manage.py is the lava-server script (it picks lava_server.settings.dev when
# called as manage.py, .prod when installed); etc/ and share/ sit at the root as upstream has them.
fresh lava
for p in lava_server lava_scheduler_app lava_results_app lava_rest_app linaro_django_xmlrpc; do copy "$(dist lava-server)/$p" "$target/lava/$p"; done
copy "$(dist lava-common)/lava_common" "$target/lava/lava_common"
cp "$x/lava-server/usr/bin/lava-server" "$target/lava/manage.py"
copy "$x/lava-server/etc/lava-server" "$target/lava/etc"
mkdir -p "$target/lava/share"
for f in "$x/lava-server/usr/share/lava-server"/*; do [ "$(basename "$f")" = static ] || copy "$f" "$target/lava/share/$(basename "$f")"; done

# graphite-web. Upstream's webapp/ folder: manage.py beside the graphite package, whose settings.py
# loads graphite.local_settings (the wsgi entry point names it); Debian ships that module as the
# conffile /etc/graphite/local_settings.py.
fresh graphite
copy "$(dist graphite-web)/graphite" "$target/graphite/graphite"
cp "$x/graphite-web/usr/bin/graphite-manage" "$target/graphite/manage.py"
cp "$x/graphite-web/etc/graphite/local_settings.py" "$target/graphite/graphite/local_settings.py"
cp "$x/graphite-web/usr/share/doc/graphite-web/examples/local_settings.py.example" "$target/graphite/graphite/local_settings.py.example"
copy "$x/graphite-web/usr/share/graphite-web/static" "$target/graphite/content"
mkdir -p "$target/graphite/conf"
for f in "$x/graphite-web/usr/share/doc/graphite-web/examples"/*.conf.example "$x/graphite-web/usr/share/graphite-web/graphite.wsgi" "$x/graphite-web/usr/share/graphite-web/apache2-graphite.conf"; do cp "$f" "$target/graphite/conf/"; done

# Mailman 3 web (the mailman-suite project): manage.py, settings.py, urls.py and wsgi.py at the root,
# settings.py star-imports settings_local (Debian's postinst writes it from settings_local.py.sample
# to /etc/mailman3/mailman-web.py and symlinks it back), next to the hyperkitty and postorius apps.
fresh mailman-web
for f in "$x/mailman3-web/usr/share/mailman3-web"/*; do [ -L "$f" ] || cp "$f" "$target/mailman-web/"; done
cp "$x/mailman3-web/usr/share/mailman3-web/settings_local.py.sample" "$target/mailman-web/settings_local.py"
copy "$x/mailman3-web/etc/mailman3" "$target/mailman-web/deploy"
copy "$(dist python3-django-hyperkitty)/hyperkitty" "$target/mailman-web/hyperkitty"
copy "$(dist python3-django-postorius)/postorius" "$target/mailman-web/postorius"

# Debian strips the packaging metadata (requires.txt); upstream declares the dependencies in setup.cfg /
# setup.py at the repository root. Write a minimal setup.cfg naming the Django series Debian 12 runs
# them on (python3-django 3.2): the engine reads the Django version from it (else it would judge these
# Django 3.2 projects by 5.2's defaults), and, as with a real setup.py, does not expect a complete
# requirements file (a partial requirements.txt would make every undeclared import a finding).
for n in horizon lava graphite mailman-web; do
  printf '# Written by scripts/real-projects.sh: Debian 12 runs this project on python3-django 3.2.\n[metadata]\nname = %s\n\n[options]\ninstall_requires =\n    Django>=3.2,<3.3\n' "$n" >"$target/$n/setup.cfg"
done

# Django's own tree, as a clone of django/django would look.
names=(horizon lava graphite mailman-web)
if [ -n "$django_src" ]; then
  fresh django
  for f in "$django_src"/* "$django_src"/.[!.]*; do
    if [ -e "$f" ]; then copy "$f" "$target/django/$(basename "$f")"; fi
  done
  names+=(django)
fi

fresh all
for n in "${names[@]}"; do copy "$target/$n" "$target/all/$n"; done

# One project of the same size: Horizon with the other projects' code (and Django's test apps, which
# are Django applications: models, views, URL confs) as packages of its own. `all` keeps five
# projects side by side and Django's library code outside any of them; here every module belongs to
# the project, as in one large repository.
fresh one-project
copy "$target/horizon/." "$target/one-project"
for n in lava graphite mailman-web; do
  copy "$target/$n" "$target/one-project/x_${n//-/_}"
  rm -f "$target/one-project/x_${n//-/_}/manage.py"
done
if [ -n "$django_src" ]; then
  copy "$target/django/tests" "$target/one-project/x_django_tests"
  find "$target/one-project/x_django_tests" -name manage.py -delete
fi

# ------------------------------------------------------------------ report

# Per workspace: Python files and size, then what the engine makes of it: the CLI's --stats line and
# the project model (manage.py roots, production settings), printed by the bench's `projects` mode.
cli=$here/server/out/cli.js
for n in "${names[@]}" all one-project; do
  ws=$target/$n
  py=$(find "$ws" -name '*.py' -type f | wc -l)
  mb=$(du -sm --apparent-size "$ws" | cut -f1)
  printf '%-12s %6s .py files  %5s MB  %s\n' "$n" "$py" "$mb" "$ws"
  if [ -f "$cli" ]; then
    node "$cli" check "$ws" --stats --format json 2>&1 >/dev/null | grep -E '^\{' | sed 's/^/  check --stats: /' || true
    node "$here/scripts/bench.mjs" --workspace "$ws" --only projects 2>&1 | sed 's/^/  /' || true
  fi
done
[ -f "$cli" ] || log "build the CLI (npm run build) to see what the engine discovers in each workspace"
log "workspaces are in $target"
