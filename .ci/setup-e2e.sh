#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e/) need: Debian's chromium and code-server 4.100.0
# (VS Code 1.100's server and web workbench), the latter in a folder of its own, never as a
# dependency of the extension. Idempotent and non-interactive; runs as root on Debian 12 with no
# stdin. Needs only Debian's package mirror and the npm registry.
# See /work/shared/notes/vscode-headless.md for the recipe.
#
#   SMARTPLUG_E2E_HOME   where code-server goes (default: $HOME/.cache/smartplug-e2e);
#                        the binary is $SMARTPLUG_E2E_HOME/node_modules/.bin/code-server
#   SMARTPLUG_E2E_CHROMIUM  the browser the tests drive (default: /usr/bin/chromium)
set -euo pipefail

CODE_SERVER_VERSION=4.100.0
RIPGREP_PKG_VERSION=1.15.11              # the @vscode/ripgrep code-server 4.100.0 depends on
RIPGREP_ASSET_VERSION=v13.0.0-10         # the ripgrep build that @vscode/ripgrep downloads
E2E_HOME="${SMARTPLUG_E2E_HOME:-$HOME/.cache/smartplug-e2e}"
CHROMIUM="${SMARTPLUG_E2E_CHROMIUM:-/usr/bin/chromium}"
CODE_SERVER_BIN="$E2E_HOME/node_modules/.bin/code-server"

start=$SECONDS
say() { printf '[setup-e2e %3ds] %s\n' "$((SECONDS - start))" "$*"; }

export DEBIAN_FRONTEND=noninteractive
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# Native modules build against the installed Node's headers, never downloaded ones (no internet).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/common.gypi ]; then export npm_config_nodedir=/usr; fi

# 1. Debian packages: the browser, what kerberos and node-pty build with, and rg for @vscode/ripgrep.
missing=()
for pkg in chromium libkrb5-dev pkg-config ripgrep; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
  say "apt-get update"
  $SUDO apt-get update -q </dev/null
  say "apt-get install ${missing[*]}"
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  say "Debian packages present: chromium libkrb5-dev pkg-config ripgrep"
fi
[ -x "$CHROMIUM" ] || { echo "setup-e2e: $CHROMIUM is missing after installing chromium" >&2; exit 1; }

if [ -x "$CODE_SERVER_BIN" ] && [ -f "$E2E_HOME/.installed-$CODE_SERVER_VERSION" ]; then
  say "code-server $CODE_SERVER_VERSION present in $E2E_HOME"
  say "done"
  exit 0
fi

mkdir -p "$E2E_HOME"
# Steps 2 and 4 must see the same temporary folder (the seeded ripgrep archive is looked up there).
export TMPDIR="$E2E_HOME/tmp"
mkdir -p "$TMPDIR"

# 2. Seed @vscode/ripgrep's download cache with Debian's rg, so its postinstall never goes online.
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) echo "setup-e2e: no ripgrep target for $(uname -m)" >&2; exit 1 ;;
esac
rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
rg_archive="$rg_cache/ripgrep-$RIPGREP_ASSET_VERSION-$rg_target.tar.gz"
if [ ! -s "$rg_archive" ]; then
  say "seeding $rg_archive with /usr/bin/rg"
  mkdir -p "$rg_cache"
  work="$(mktemp -d)"
  cp /usr/bin/rg "$work/rg"
  tar -czf "$rg_archive" -C "$work" rg
  rm -rf "$work"
fi

# 3. code-server itself, with its install scripts held back (they run in step 4).
if [ ! -f "$E2E_HOME/package.json" ]; then
  printf '{ "name": "smartplug-e2e-tools", "private": true }\n' >"$E2E_HOME/package.json"
fi
say "npm install code-server@$CODE_SERVER_VERSION in $E2E_HOME"
(cd "$E2E_HOME" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" </dev/null)

# 4. code-server's postinstall installs and builds VS Code's own dependencies. As root npm needs
# unsafe_perm; node-pty's postinstall calls `npx node-gyp`, which needs yes.
say "code-server postinstall.sh (builds VS Code's dependencies)"
(cd "$E2E_HOME/node_modules/code-server" &&
  npm_config_yes=true npm_config_unsafe_perm=true \
  npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" \
  sh ./postinstall.sh </dev/null)

# 5. argon2's native module (its install script was skipped in step 3).
say "npm rebuild argon2 --build-from-source"
(cd "$E2E_HOME" && npm rebuild argon2 --build-from-source --loglevel=error </dev/null)

"$CODE_SERVER_BIN" --version >/dev/null
touch "$E2E_HOME/.installed-$CODE_SERVER_VERSION"
say "code-server $("$CODE_SERVER_BIN" --version | head -1) installed in $E2E_HOME"
say "done"
