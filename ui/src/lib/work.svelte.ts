// One piece of work a person starts from a screen, for any page: while it runs the
// screen waits (`busy`), and a failure becomes what the screen shows (`error`, made by
// the page's own `view` of errors, so it follows a language switch). Nothing here
// knows a page's words.

export class Work<View> {
  busy = $state(false);
  error: View | null = $state(null);

  /** `exclusive`: a second `run` while one runs is refused rather than started. */
  constructor(
    private readonly view: (e: unknown) => View,
    private readonly exclusive: boolean,
  ) {}

  /** The newest run: only it may set `busy` and `error`, so an older run of a
   *  non-exclusive piece of work (a search typed on) that ends late neither clears
   *  the newer one's wait nor puts back an error the person has moved past. */
  private latest = 0;

  /** Runs `action`; true when it succeeded. */
  async run(action: () => Promise<void>): Promise<boolean> {
    if (this.exclusive && this.busy) return false;
    const mine = ++this.latest;
    this.busy = true;
    this.error = null;
    try {
      await action();
      return true;
    } catch (e) {
      if (mine === this.latest) this.error = this.view(e);
      return false;
    } finally {
      if (mine === this.latest) this.busy = false;
    }
  }
}
