// Telling a barcode scanner from a person. A USB scanner in keyboard mode "types" a
// whole code in a few milliseconds and ends it with Enter; a person types far slower.
// The sale screen feeds every key of its input here and asks, at Enter, whether the
// text came from a scanner (then it is looked up as a barcode, not read as a price).

export interface KeyStamp {
  key: string;
  at: number; // milliseconds
}

/** Scanners send a key every 1–15 ms; people rarely beat 40 ms between keys. */
export const SCANNER_MAX_GAP_MS = 30;
export const SCANNER_MIN_LENGTH = 6;

/** True when `keys` (the characters before Enter) arrived at scanner speed. */
export function cameFromScanner(keys: KeyStamp[], maxGapMs = SCANNER_MAX_GAP_MS): boolean {
  if (keys.length < SCANNER_MIN_LENGTH) return false;
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1];
    const b = keys[i];
    if (!a || !b || b.at - a.at > maxGapMs) return false;
  }
  return true;
}

/** Digits only, with a valid EAN-13 / EAN-8 / UPC-A check digit. */
export function isEan(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(code)) return false;
  const digits = code.split('').map(Number);
  const check = digits.pop() ?? 0;
  let sum = 0;
  digits.reverse().forEach((d, i) => {
    sum += i % 2 === 0 ? d * 3 : d;
  });
  return (10 - (sum % 10)) % 10 === check;
}
