#!/usr/bin/env bash
# `npm start`: set up, build, and serve the app at http://127.0.0.1:${PORT:-5173}/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build/build.sh web
port="${PORT:-5173}"
echo "cinerag: serving dist/ at http://127.0.0.1:$port/"
exec npx vite preview --config web/vite.config.ts --host 127.0.0.1 --port "$port" --strictPort
