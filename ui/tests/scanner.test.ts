import { describe, expect, it } from 'vitest';
import { cameFromScanner, isEan, type KeyStamp } from '../src/lib/scanner';

const typed = (text: string, gapMs: number): KeyStamp[] =>
  text.split('').map((key, i) => ({ key, at: 1000 + i * gapMs }));

describe('scanner input detection', () => {
  it('takes a code typed in a few milliseconds per key for a scanner', () => {
    expect(cameFromScanner(typed('4870001234566', 4))).toBe(true);
  });
  it('takes a person typing a price for a person', () => {
    expect(cameFromScanner(typed('1250', 5))).toBe(false); // too short for a code
    expect(cameFromScanner(typed('4870001234566', 120))).toBe(false);
  });
  it('one slow gap in the middle means a person', () => {
    const keys = typed('4870001234566', 4);
    const k = keys[6];
    if (k) k.at += 200;
    for (let i = 7; i < keys.length; i++) {
      const x = keys[i];
      if (x) x.at += 200;
    }
    expect(cameFromScanner(keys)).toBe(false);
  });
  it('checks EAN check digits', () => {
    expect(isEan('4006381333931')).toBe(true);
    expect(isEan('4006381333932')).toBe(false);
    expect(isEan('96385074')).toBe(true);
    expect(isEan('12345')).toBe(false);
  });
});
