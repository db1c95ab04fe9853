#!/usr/bin/env bash
# Idempotent set-up for a Debian 12 machine: installs the missing apt packages and the npm packages.
# Prints nothing and takes a second when everything is already there. Needs node >= 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake g++ clang lld libclang-rt-14-dev          # native builds; clang + libFuzzer for fuzzing
  emscripten                                      # the WebAssembly build (3.1.6 on Debian 12)
  libgtest-dev libgmock-dev libbenchmark-dev      # tests and benchmarks
  nlohmann-json3-dev libeigen3-dev                # JSON; linear algebra (catalogue build)
  libcpp-httplib-dev libssl-dev                   # the gpt-4o proxy
  sqlite3 unicode-data bzip2                      # CLI checks; NFKC conformance data
  python3-numpy python3-onnx                      # model conversion scripts
  chromium chromium-driver wrk                    # browser tests; proxy load test
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: node >= 20 is needed (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# --ignore-scripts: better-sqlite3 is here for its SQLite amalgamation only, and its install
# script would try to download a prebuilt binary.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
