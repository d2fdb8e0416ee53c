// Saving a file the page made (a catalogue export, an inspector's JSON lines) through
// the browser's or the webview's download. The link must be in the page and its URL
// must outlive the click: WebKit (the desktop webview) starts the download later.

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
