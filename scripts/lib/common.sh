# Shared helpers for scripts/*. Source it; do not run it.
# Finds (or builds) a Python >= 3.14 toolchain and runs commands with the project's virtualenv.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/darkstar"
TOOLCHAIN="${DARKSTAR_TOOLCHAIN:-$CACHE_ROOT/toolchain-trixie-py314}"
TOOLCHAIN_STAMP="toolchain-v1"   # bump when the toolchain recipe below changes
# HA versions under test: "current" is what HACS users run, "min" is hacs.json's minimum.
PHCC_CURRENT="0.13.375"   # pins homeassistant 2026.10.4
PHCC_MIN="0.13.316"       # pins homeassistant 2026.2.3

log() { printf '\033[1;34m[darkstar]\033[0m %s\n' "$*" >&2; }
# A "nothing to do" notice; silent when DARKSTAR_QUIET_SETUP=1 (scripts/run sets it).
note() { [ "${DARKSTAR_QUIET_SETUP:-0}" = 1 ] || log "$@"; }
die() { printf '\033[1;31m[darkstar] error:\033[0m %s\n' "$*" >&2; exit 1; }

# MODE is "native" (python3.14 on PATH) or "chroot" (private Debian toolchain).
detect_mode() {
  if [ -n "${DARKSTAR_IN_CHROOT:-}" ]; then MODE=native; PY=python3.14; return; fi
  if [ "${DARKSTAR_FORCE_CHROOT:-0}" != 1 ] && command -v python3.14 >/dev/null 2>&1; then
    MODE=native; PY="$(command -v python3.14)"; return
  fi
  MODE=chroot; PY=/usr/bin/python3.14
}

# Where a virtualenv lives, as seen by the toolchain's python.
venv_dir() {  # $1 = current|min
  if [ "$MODE" = native ] && [ -z "${DARKSTAR_IN_CHROOT:-}" ]; then
    if [ "$1" = current ]; then echo "$REPO/.venv"; else echo "$REPO/.venv-$1"; fi
  else
    echo "/opt/darkstar/venv-$1"   # inside the toolchain, cached with it
  fi
}

# Run a shell command line with the toolchain: natively, or inside the chroot with the
# repo (and ../shared, /tmp) bind-mounted at the same paths. Mounts die with the command.
tc_run() {
  if [ "$MODE" = native ]; then
    (cd "$REPO" && bash -c "$1")
    return
  fi
  local shared; shared="$(cd "$REPO/.." && pwd)/shared"
  local mounts="mkdir -p '$TOOLCHAIN$REPO' && mount --bind '$REPO' '$TOOLCHAIN$REPO'"
  if [ -d "$shared" ]; then
    mounts="$mounts && mkdir -p '$TOOLCHAIN$shared' && mount --bind -o ro '$shared' '$TOOLCHAIN$shared'"
  fi
  mounts="$mounts && mount --rbind /dev '$TOOLCHAIN/dev' && mount -t proc proc '$TOOLCHAIN/proc'"
  mounts="$mounts && mount --bind /tmp '$TOOLCHAIN/tmp'"
  copy_host_network_config "$TOOLCHAIN"
  local inner
  inner="cd '$REPO' && export DARKSTAR_IN_CHROOT=1 HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CI='${CI:-}' && $1"
  unshare --mount --propagation private --fork \
    sh -c "$mounts && exec chroot '$TOOLCHAIN' bash -c \"\$0\"" "$inner"
}

# The Debian mirror this machine's own apt sources name (deb822 "URIs:" or one-line "deb").
apt_mirror() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | sed -nE 's/^URIs:[[:space:]]*(https?:[^ ]*)/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?:[^ ]*)[[:space:]].*/\2/p' \
    | grep -E '/debian/?$' | grep -v security | head -1 || true
}

# DNS, pip's configuration and the CA bundle, so that apt and pip inside reach the registries
# exactly as the host does (the host's bundle may hold a proxy's CA that Debian's lacks).
copy_host_network_config() {  # $1 = toolchain root
  mkdir -p "$1/etc/ssl/certs"
  local src dst
  for src in /etc/resolv.conf /etc/pip.conf /etc/ssl/certs/ca-certificates.crt; do
    dst="$1$src"
    [ -f "$src" ] || continue
    cmp -s "$src" "$dst" && continue
    # copy then rename, so a command running in parallel never reads a half-written file
    cp -f "$src" "$dst.tmp.$$" && mv -f "$dst.tmp.$$" "$dst"
  done
}

# Build the private toolchain once (Debian/Ubuntu as root only).
build_toolchain() {
  [ "$(id -u)" = 0 ] || die "python3.14 is not on PATH. Install Python 3.14 (e.g. from python.org, pyenv or deadsnakes) and rerun, or run as root on Debian/Ubuntu to build a private toolchain."
  command -v apt-get >/dev/null || die "python3.14 is not on PATH and this is not Debian/Ubuntu. Install Python 3.14 and rerun."
  local mirror
  mirror="$(apt_mirror)"
  [ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
  log "building a private Python 3.14 toolchain in $TOOLCHAIN (once; about 1-2 minutes)"
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  rm -rf "$TOOLCHAIN.partial"; mkdir -p "$(dirname "$TOOLCHAIN")"
  log "debootstrap trixie from $mirror"
  debootstrap --variant=minbase trixie "$TOOLCHAIN.partial" "$mirror" >"$CACHE_ROOT/debootstrap.log" 2>&1 \
    || die "debootstrap failed; see $CACHE_ROOT/debootstrap.log"
  echo "deb $mirror sid main" >"$TOOLCHAIN.partial/etc/apt/sources.list.d/sid.list"
  copy_host_network_config "$TOOLCHAIN.partial"
  log "installing python3.14 from Debian sid"
  unshare --mount --fork sh -c "mount --rbind /dev '$TOOLCHAIN.partial/dev' && mount -t proc proc '$TOOLCHAIN.partial/proc' && chroot '$TOOLCHAIN.partial' sh -c '
      apt-get -o Acquire::Check-Valid-Until=false update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false install -y -qq -t sid \
        python3.14 python3.14-venv python3.14-dev gcc g++ libc6-dev git ca-certificates >/dev/null &&
      apt-get clean'" >"$CACHE_ROOT/toolchain-apt.log" 2>&1 \
    || die "installing python3.14 in the toolchain failed; see $CACHE_ROOT/toolchain-apt.log"
  copy_host_network_config "$TOOLCHAIN.partial"
  echo "$TOOLCHAIN_STAMP" >"$TOOLCHAIN.partial/.darkstar-toolchain"
  rm -rf "$TOOLCHAIN"; mv "$TOOLCHAIN.partial" "$TOOLCHAIN"
  log "toolchain ready: $(chroot "$TOOLCHAIN" python3.14 --version)"
}

ensure_toolchain() {
  detect_mode
  if [ "$MODE" = chroot ]; then
    if [ "$(cat "$TOOLCHAIN/.darkstar-toolchain" 2>/dev/null)" != "$TOOLCHAIN_STAMP" ]; then
      build_toolchain
    else
      note "using cached toolchain $TOOLCHAIN"
    fi
  else
    note "using $PY ($("$PY" --version))"
  fi
}

# Create or refresh a virtualenv; skipped when its requirements did not change. Needs flock(1).
ensure_venv() {  # $1 = current|min
  local which="$1" phcc venv stamp_want
  if [ "$which" = current ]; then phcc="$PHCC_CURRENT"; else phcc="$PHCC_MIN"; fi
  venv="$(venv_dir "$which")"
  stamp_want="$phcc $(cat "$REPO/requirements_test.txt" "$REPO/requirements.txt" | sha256sum | cut -c1-16)"
  if [ "$(venv_stamp "$venv")" = "$stamp_want" ]; then
    note "virtualenv $which is up to date ($venv)"
    return
  fi
  # Several scripts may start at once (scripts/run, test, lint); one builds, the others wait for it
  # rather than deleting the virtualenv under each other. The lock is released when this shell exits
  # or closes the descriptor below.
  mkdir -p "$CACHE_ROOT"
  local lock_fd
  exec {lock_fd}>"$CACHE_ROOT/venv-$which-$(printf '%s' "$MODE $venv" | sha256sum | cut -c1-12).lock"
  if ! flock -n "$lock_fd"; then
    log "waiting for another process that is setting up virtualenv $which"
    flock "$lock_fd"
  fi
  if [ "$(venv_stamp "$venv")" = "$stamp_want" ]; then
    exec {lock_fd}>&-
    note "virtualenv $which is up to date ($venv)"
    return
  fi
  log "creating virtualenv $which in $venv with pytest-homeassistant-custom-component==$phcc (about 1-2 minutes)"
  local log_file="/tmp/darkstar-pip-$which.log"
  tc_run "set -e
    rm -rf '$venv'; $PY -m venv '$venv'
    '$venv/bin/pip' install -q --upgrade pip >'$log_file' 2>&1
    set -o pipefail
    pip_install() {
      # the full log goes to the file; the terminal gets a line every 25 packages, so it never looks hung
      '$venv/bin/pip' install --progress-bar off -r requirements.txt -r requirements_test.txt \\
          'pytest-homeassistant-custom-component==$phcc' 2>&1 | tee -a '$log_file' | awk '
        /^Collecting/ { n++; if (n % 25 == 0) { printf \"[darkstar]   %d packages resolved\\n\", n > \"/dev/stderr\" } }
        /^Installing collected/ { printf \"[darkstar]   installing %d packages\\n\", n > \"/dev/stderr\" }'
    }
    if ! pip_install; then
      echo '[darkstar] pip failed; retrying once' >&2
      if ! pip_install; then tail -n 40 '$log_file' >&2; exit 1; fi
    fi
    '$venv/bin/python' -c 'import homeassistant.const as c, pyomo, highspy; print(\"[darkstar] homeassistant\", c.__version__, \"installed\")' >&2
    echo '$stamp_want' >'$venv/.darkstar-stamp'" || die "creating the $which virtualenv failed (log: $log_file)"
  exec {lock_fd}>&-
}

# The requirements stamp of a built virtualenv (empty when there is none).
venv_stamp() {  # $1 = virtualenv dir
  tc_run "cat '$1/.darkstar-stamp' 2>/dev/null || true"
}

# Run a command line with a virtualenv's bin first on PATH.
venv_run() {  # $1 = current|min, $2 = command line
  local venv; venv="$(venv_dir "$1")"
  tc_run "export PATH='$venv/bin':\$PATH VIRTUAL_ENV='$venv' && $2"
}

# Shell-quote the arguments for a command line passed to tc_run (nothing when there are none).
quote_args() { if [ $# -gt 0 ]; then printf '%q ' "$@"; fi; }

# Install extra Debian packages into the private toolchain (no-op natively or when present).
ensure_toolchain_packages() {  # $@ = package names
  [ "$MODE" = chroot ] || return 0
  local missing=() pkg
  for pkg in "$@"; do
    chroot "$TOOLCHAIN" dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  log "installing ${missing[*]} into the toolchain (once)"
  copy_host_network_config "$TOOLCHAIN"
  unshare --mount --fork sh -c "mount --rbind /dev '$TOOLCHAIN/dev' && mount -t proc proc '$TOOLCHAIN/proc' && chroot '$TOOLCHAIN' sh -c '
      apt-get -o Acquire::Check-Valid-Until=false update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false install -y -qq --no-install-recommends ${missing[*]} >/dev/null &&
      apt-get clean'" >"$CACHE_ROOT/toolchain-extra.log" 2>&1 || die "installing ${missing[*]} failed; see $CACHE_ROOT/toolchain-extra.log"
}
