// What every end-to-end script shares: a `sauda serve --demo` on free ports in a fresh
// temporary register, read from its start-up lines; Debian's headless Chromium; and
// the list of checks that decides the exit status. The steps and what they look at
// stay in each script; nothing here knows a screen.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const out = path.resolve('e2e/out');

/** Starts the demo server with `args` after `serve --demo`; `ready(lines)` returns
 *  what the script needs from the start-up lines, or nothing while it waits. */
export function startDemo(name, args, ready) {
  const bin = process.env.SAUDA_BIN;
  if (!bin) throw new Error('set SAUDA_BIN to the sauda binary');
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), `sauda-${name}-`));
  const data = path.join(tmp, 'register');
  const server = spawn(bin, ['--data', data, 'serve', '--demo', '--listen', '127.0.0.1:0', ...args, '--ui', path.resolve('dist')], {
    env: { ...process.env, SAUDA_KEY_STORE: 'file' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  const started = new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(l);
      const found = ready(lines);
      if (found) resolve(found);
    });
    server.on('exit', (code) => reject(new Error(`sauda serve exited with ${code}: ${lines.join('\n')}`)));
    setTimeout(() => reject(new Error(`sauda serve did not start: ${lines.join('\n')}`)), 30000);
  });
  return {
    started,
    lines,
    tmp,
    stop() {
      server.kill('SIGINT');
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The text after `prefix` on the first start-up line that has it. */
export const after = (lines, prefix) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length);

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** `check` prints and remembers each result; `finish` exits 1 when any failed. */
export function checks(label) {
  const failures = [];
  return {
    failures,
    check(what, ok, detail = '') {
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
      if (!ok) failures.push(what);
    },
    finish() {
      if (failures.length) {
        console.error(`${label}: ${failures.length} failed`);
        process.exit(1);
      }
      console.log(`${label}: all passed`);
    },
  };
}
