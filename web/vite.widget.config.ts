// Vite, second pass: the embeddable widget (dist/cinerag-widget.js) and its engine worker
// (dist/engine.worker.js) as plain ES modules with stable names, beside the page's build.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  build: {
    outDir: '../dist',
    emptyOutDir: false,
    target: 'es2022',
    rollupOptions: {
      input: {
        'cinerag-widget': fileURLToPath(new URL('./src/widget.ts', import.meta.url)),
        'engine.worker': fileURLToPath(new URL('./src/engine.worker.ts', import.meta.url)),
      },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'widget-[name]-[hash].js',
      },
      preserveEntrySignatures: 'exports-only',
    },
  },
});
