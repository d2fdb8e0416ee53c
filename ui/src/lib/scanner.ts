// A key as the sale screen saw it, with its time. The screen sends the keys of an
// entry, with their times, to the core (`catalogue_scan`), which alone decides whether
// a scanner typed them (src/devices/keystrokes.rs: gaps, length, terminator), so the
// rule exists once, for the webview, the desktop shell and the tests alike.

export interface KeyStamp {
  key: string;
  at: number; // milliseconds
}
