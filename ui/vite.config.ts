// One Vite project, one page per workplace: pos.html for the till, inspector.html for
// the tax inspector's workstation. Built files go to dist/, which the server and the desktop
// shell serve; nothing is fetched from the network at run time.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  build: {
    target: 'safari16',
    rollupOptions: { input: { pos: 'pos.html', inspector: 'inspector.html' } },
  },
  test: { include: ['tests/**/*.test.ts'] },
});
