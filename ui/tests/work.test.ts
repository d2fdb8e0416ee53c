import { describe, expect, it } from 'vitest';
import { Work } from '../src/lib/work.svelte';

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

describe('a piece of work a screen runs', () => {
  it('keeps waiting and shows no stale error when an older run ends after a newer one started', async () => {
    const work = new Work<string>((e) => String(e), false);
    const older = gate();
    const newer = gate();
    const first = work.run(() => older.done);
    const second = work.run(() => newer.done);
    older.fail('old failure');
    expect(await first).toBe(false);
    expect(work.busy).toBe(true);
    expect(work.error).toBeNull();
    newer.open();
    expect(await second).toBe(true);
    expect(work.busy).toBe(false);
    expect(work.error).toBeNull();
  });

  it('shows the newest run\'s failure', async () => {
    const work = new Work<string>((e) => String(e), false);
    expect(await work.run(async () => Promise.reject('no paper'))).toBe(false);
    expect(work.error).toBe('no paper');
    expect(work.busy).toBe(false);
  });

  it('refuses a second run of exclusive work while the first runs', async () => {
    const work = new Work<string>((e) => String(e), true);
    const first = gate();
    const running = work.run(() => first.done);
    expect(await work.run(async () => undefined)).toBe(false);
    first.open();
    expect(await running).toBe(true);
  });
});
