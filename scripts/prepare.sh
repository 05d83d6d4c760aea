#!/usr/bin/env bash
# Prepares everything JailLab needs, and does nothing twice: Debian packages,
# npm packages, the guest image (kernel + initramfs + agent), the web app.
# `npm start` and `npm test` both begin here, so a fresh clone on a fresh
# Debian 12 machine needs nothing else.
#
#   scripts/prepare.sh            everything
#   scripts/prepare.sh --no-web   skip building the web app (benchmarks, CLI)
set -euo pipefail
cd "$(dirname "$0")/.."

build_web=1
[[ "${1:-}" == "--no-web" ]] && build_web=0

step() { printf '\033[1mprepare:\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------
# qemu-system-x86: the VMs. busybox-static: the guest's userland. gcc, libc6-dev,
# binutils: compiling (statically) the learner's program, probes and agent.
# bubblewrap: the compiler sandbox. xz-utils, kmod: unpacking the kernel and
# reading module dependencies. musl-tools: the probes (small static binaries).
# redis-server: the run queue when runs go to runner machines (docs/scaling.md),
# and its tests; nothing starts it unless asked. chromium + a font: the end-to-end tests.
packages=(qemu-system-x86 busybox-static gcc libc6-dev musl-tools binutils bubblewrap xz-utils kmod redis-server chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "JailLab needs these Debian packages and cannot install them without root: ${missing[*]}" >&2
      echo "Run: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- npm packages ----------------------------------------------------------
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "installing npm packages"
  npm ci --no-audit --no-fund
fi

# --- guest image -------------------------------------------------------------
# Cached under .data/guest by a hash of its inputs; this is quick when nothing changed.
npm run -s -w sandbox-server build-image

# --- web app -----------------------------------------------------------------
if ((build_web)); then
  if [[ ! -f web/dist/index.html ]] || [[ -n $(find web/src web/public web/index.html web/vite.config.ts web/package.json protocol/src -newer web/dist/index.html -print -quit 2>/dev/null) ]]; then
    step "building the web app"
    npm run -s -w web build
  fi
fi
