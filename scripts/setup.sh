#!/usr/bin/env bash
# Sets up a clone of NQP: pnpm, the workspace's npm packages (from the lockfile), and the build.
#   bash scripts/setup.sh          what `pnpm demo` needs
#   bash scripts/setup.sh --test   also the system packages the tests use (mosquitto, chromium; via apt-get)
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))"; exit 1
fi

if [ "$want_test" = 1 ]; then
  missing=()
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto mosquitto-clients)
  command -v chromium >/dev/null || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    say "installing ${missing[*]} with apt-get (the tests run a real mosquitto and a headless chromium)"
    $sudo apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION with npm"
  if ! npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    npm install -g --prefix "$HOME/.local" "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$HOME/.local/bin:$PATH"
    say "pnpm went to ~/.local/bin: add it to your PATH (export PATH=\"\$HOME/.local/bin:\$PATH\")"
  fi
fi

# better-sqlite3 downloads a prebuilt binary where it can; where it cannot (no internet but the npm registry), it
# compiles against the headers that ship with Node, which node-gyp finds only through npm_config_nodedir.
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install --frozen-lockfile || pnpm install
fi
pnpm --silent build
say "ready: 'pnpm demo' runs the demo, 'pnpm test' the tests, 'pnpm nqp --help' lists the commands"
