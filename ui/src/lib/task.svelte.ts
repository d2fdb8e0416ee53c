// One action a person starts from the till's screens: while it runs the screen's
// buttons wait (`busy`), and a failure becomes the sentence the screen shows (`error`,
// which follows a language switch). Screens use it instead of each writing the same
// try/finally.

import { errorView, type ErrorView } from './api.svelte';
import { Work } from './work.svelte';

/** One action at a time: a second press while it runs does nothing. */
export class Task extends Work<ErrorView> {
  constructor() {
    super(errorView, true);
  }
}
