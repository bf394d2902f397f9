import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // build-info.yaml's outputDir: the folder the master build publishes.
  build: { outDir: 'dist' },
});
