// What the scanner settings screen works out on its own, before and after asking the
// core: the keys of a test scan as `catalogue_scan` takes them, how fast they came, what
// a decoded code looks like with its GS separators made visible, and a reading of the
// label-scale layout text that mirrors src/devices/weighted.rs `EmbeddedLayout::parse`
// so the manager sees what each rule means while typing. The core stays the judge: it
// checks the text again on save and decodes every scan itself.

import type { KeyIn } from './generated/KeyIn';
import type { ScanOut } from './generated/ScanOut';
import type { KeyStamp } from './scanner';

/** The group separator (FNC1 in keyboard mode) as the core returns it in a code. */
export const GS = '\u001d';

/** The keyboard layouts the core knows (src/devices/layout.rs), in the order a form lists them. */
export const LAYOUTS = ['auto', 'us', 'ru', 'kk'] as const;

/** The key a keydown in an entry field stands for in `catalogue_scan`: one character,
 *  Enter, Tab, or GS (Ctrl+] is how a keyboard-wedge scanner types FNC1); null for keys
 *  that add nothing to a code (Shift, arrows…). */
export function scanKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'code'>): string | null {
  if (e.key === GS || (e.ctrlKey && (e.key === ']' || e.code === 'BracketRight'))) return 'GS';
  if (e.key === 'Enter' || e.key === 'Tab') return e.key;
  if (e.ctrlKey) return null;
  return e.key.length === 1 ? e.key : null;
}

/** One key pressed in a field that reads scans (the sale screen's entry, the scanner
 *  test): stamps it onto `keys` with its time. 'end' when it ended a scan (Enter, or a
 *  Tab that came at a scanner's pace), the terminator stamped last; 'kept' when stamped;
 *  null when it is not a scan's key. GS (Ctrl+]) never reaches the field as text. */
export function stampKey(e: KeyboardEvent, keys: KeyStamp[], at: number): 'end' | 'kept' | null {
  const key = scanKey(e);
  if (key === null) return null;
  const last = keys.at(-1);
  if (key === 'Enter' || (key === 'Tab' && last && at - last.at < 100)) {
    e.preventDefault();
    keys.push({ key, at });
    return 'end';
  }
  // A slow Tab is a person leaving the field.
  if (key === 'Tab') return null;
  if (key === 'GS') e.preventDefault();
  keys.push({ key, at });
  return 'kept';
}

/** The stamped keys as `catalogue_scan` takes them, exactly as the sale screen sends them. */
export function keysIn(stamps: KeyStamp[]): KeyIn[] {
  return stamps.map((k) => ({ key: k.key, at_ms: k.at }));
}

/** The longest gap between two characters of a burst, in whole ms (the terminator is not
 *  counted: the core allows it more time); null with fewer than two characters. */
export function longestGap(stamps: KeyStamp[]): number | null {
  const chars = stamps.filter((k) => k.key !== 'Enter' && k.key !== 'Tab');
  let longest: number | null = null;
  for (let i = 1; i < chars.length; i++) {
    const gap = (chars[i]?.at ?? 0) - (chars[i - 1]?.at ?? 0);
    longest = Math.max(longest ?? 0, gap);
  }
  return longest === null ? null : Math.round(longest);
}

/** The characters the keys typed, terminator left out, GS as the GS character. */
export function rawText(stamps: KeyStamp[]): string {
  return stamps
    .filter((k) => k.key !== 'Enter' && k.key !== 'Tab')
    .map((k) => (k.key === 'GS' ? GS : k.key))
    .join('');
}

/** A decoded code cut where its GS separators are, so a screen can show each one. */
export function segments(text: string): { text: string; gs: boolean }[] {
  const out: { text: string; gs: boolean }[] = [];
  text.split(GS).forEach((part, i) => {
    if (i > 0) out.push({ text: 'GS', gs: true });
    if (part) out.push({ text: part, gs: false });
  });
  return out;
}

/** For a marking code, how many GS separators arrived in it; null for any other code. A
 *  marking code is what the core sold with its code, a DataMatrix, or the GS1 shape
 *  `01` + GTIN-14 + `21` + serial (src/devices/marking.rs). */
export function markingSeparators(out: ScanOut): number | null {
  const marking =
    (out.item?.marks?.length ?? 0) > 0 ||
    out.symbology === 'datamatrix' ||
    out.symbology === 'gs1_datamatrix' ||
    /^01\d{14}21./su.test(out.text);
  return marking && out.kind !== 'typed' ? out.text.split(GS).length - 1 : null;
}

/** What the value digits of a label-scale code hold. */
export type ValueKind = 'g' | 'kzt' | 'tiyn';

/** One rule of the layout text, as the core will read it. */
export interface ScaleRule {
  text: string;
  prefixes: number[];
  itemDigits: number;
  valueDigits: number;
  value: ValueKind;
}

/** The presets A–D of devices.md §5.7 (src/devices/weighted.rs `PRESETS`). */
export const PRESETS: Record<'A' | 'B' | 'C' | 'D', { itemDigits: number; value: ValueKind }> = {
  A: { itemDigits: 5, value: 'g' },
  B: { itemDigits: 5, value: 'kzt' },
  C: { itemDigits: 4, value: 'g' },
  D: { itemDigits: 6, value: 'g' },
};

/** A number as Rust's `u8::from_str` reads it. */
function u8(text: string): number | null {
  if (!/^\+?\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= 255 ? n : null;
}

/** One rule such as `20-22,24-29:A` or `28:4+6g`; null when the core would refuse it. */
export function parseRule(input: string): ScaleRule | null {
  const text = input.trim();
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const prefixes: number[] = [];
  for (const part of text.slice(0, colon).split(',')) {
    const dash = part.indexOf('-');
    const [lo, hi] = dash < 0 ? [u8(part.trim()), u8(part.trim())] : [u8(part.slice(0, dash).trim()), u8(part.slice(dash + 1).trim())];
    if (lo === null || hi === null || lo > hi || hi > 99) return null;
    for (let p = lo; p <= hi; p++) prefixes.push(p);
  }
  const kind = text.slice(colon + 1).trim();
  let itemDigits: number;
  let value: ValueKind;
  if ([...kind].length === 1) {
    const preset = PRESETS[kind.toUpperCase() as keyof typeof PRESETS];
    if (!preset) return null;
    ({ itemDigits, value } = preset);
  } else {
    const letter = kind.search(/\p{L}/u);
    if (letter < 0) return null;
    const sizes = kind.slice(0, letter);
    const unit = kind.slice(letter);
    const plus = sizes.indexOf('+');
    if (plus < 0) return null;
    const item = u8(sizes.slice(0, plus));
    const val = u8(sizes.slice(plus + 1));
    if (item === null || val === null || item + val !== 10) return null;
    if (unit !== 'g' && unit !== 'kzt' && unit !== 'tiyn') return null;
    itemDigits = item;
    value = unit;
  }
  if (prefixes.length === 0 || itemDigits < 1 || itemDigits > 9) return null;
  return { text, prefixes, itemDigits, valueDigits: 10 - itemDigits, value };
}

/** The whole layout text read rule by rule (`;`-separated, blanks skipped), with what
 *  deserves a warning although the core accepts it. */
export interface ScaleReading {
  rules: ScaleRule[];
  /** Rules the core will refuse, as written. */
  bad: string[];
  /** Prefixes in more than one rule: the first rule that has them applies. */
  repeated: number[];
  /** Prefixes outside the in-store ranges 02, 04 and 20–29: ordinary product barcodes
   *  with them would be read as scale labels. */
  outside: number[];
}

export function readScaleLayouts(text: string): ScaleReading {
  const reading: ScaleReading = { rules: [], bad: [], repeated: [], outside: [] };
  const seen = new Set<number>();
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const rule = parseRule(part);
    if (!rule) {
      reading.bad.push(part);
      continue;
    }
    reading.rules.push(rule);
    for (const p of new Set(rule.prefixes)) {
      if (seen.has(p) && !reading.repeated.includes(p)) reading.repeated.push(p);
      seen.add(p);
      const inStore = p === 2 || p === 4 || (p >= 20 && p <= 29);
      if (!inStore && !reading.outside.includes(p)) reading.outside.push(p);
    }
  }
  return reading;
}

/** Prefixes as a person writes them: `20–22, 24–29`, two digits each. */
export function prefixText(prefixes: number[]): string {
  const sorted = [...new Set(prefixes)].sort((a, b) => a - b);
  const runs: string[] = [];
  const two = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i] ?? 0;
    let end = start;
    while (sorted[i + 1] === end + 1) end = sorted[++i] ?? end;
    runs.push(end === start ? two(start) : `${two(start)}–${two(end)}`);
    i++;
  }
  return runs.join(', ');
}
