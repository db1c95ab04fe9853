#!/usr/bin/env bash
# `npm start`: set up, build, and serve the app at http://127.0.0.1:${PORT:-5173}/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build/build.sh web
port="${PORT:-5173}"
# Precompressed .br/.gz, caching headers, cross-origin isolation (vite preview compresses nothing).
exec node scripts/lib/serve.mjs --port "$port" --dir dist
