// Vite: the app lives in web/, static run-time assets in web/public/assets (staged by
// scripts/build/stage_web_assets.mjs), the build goes to dist/.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

// Cross-origin isolation on our own pages lets the engine use threads later.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: here,
  base: './',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
});
