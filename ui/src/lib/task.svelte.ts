// One action a person starts from a screen: while it runs the screen's buttons wait
// (`busy`), and a failure becomes the sentence the screen shows (`error`, which follows
// a language switch). Screens use it instead of each writing the same try/finally.

import { errorView, type ErrorView } from './api.svelte';

export class Task {
  busy = $state(false);
  error: ErrorView | null = $state(null);

  /** Runs `action` unless another is running; true when it succeeded. */
  async run(action: () => Promise<void>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (e) {
      this.error = errorView(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
