import { describe, expect, it } from 'vitest';
import {
  GS, keysIn, longestGap, markingSeparators, parseRule, prefixText, rawText, readScaleLayouts, scanKey, segments,
} from '../src/lib/scannerSetup';
import type { ScanOut } from '../src/lib/generated/ScanOut';

const key = (key: string, ctrlKey = false, code = '') => ({ key, ctrlKey, code });

describe('the scanner test field (devices.md §5.2)', () => {
  it('keeps characters, terminators and GS, and nothing else', () => {
    expect(scanKey(key('4'))).toBe('4');
    expect(scanKey(key('ъ'))).toBe('ъ');
    expect(scanKey(key('Enter'))).toBe('Enter');
    expect(scanKey(key('Tab'))).toBe('Tab');
    expect(scanKey(key(']', true, 'BracketRight'))).toBe('GS');
    expect(scanKey(key('ъ', true, 'BracketRight'))).toBe('GS');
    expect(scanKey(key(GS))).toBe('GS');
    expect(scanKey(key('Shift'))).toBeNull();
    expect(scanKey(key('c', true, 'KeyC'))).toBeNull();
  });

  it('packages the keys as the sale screen sends them, and measures their pace', () => {
    const stamps = [
      { key: '4', at: 100.25 },
      { key: '8', at: 103.5 },
      { key: 'GS', at: 104 },
      { key: '7', at: 112.75 },
      { key: 'Enter', at: 190 },
    ];
    expect(keysIn(stamps)).toEqual([
      { key: '4', at_ms: 100.25 },
      { key: '8', at_ms: 103.5 },
      { key: 'GS', at_ms: 104 },
      { key: '7', at_ms: 112.75 },
      { key: 'Enter', at_ms: 190 },
    ]);
    // The terminator may come later than the characters: it is not a gap of the burst.
    expect(longestGap(stamps)).toBe(9);
    expect(longestGap([{ key: '4', at: 1 }, { key: 'Enter', at: 2 }])).toBeNull();
    expect(rawText(stamps)).toBe(`48${GS}7`);
  });

  it('shows every GS of a decoded code', () => {
    expect(segments(`0104870022020036215aB7cD${GS}93Xy9Z`)).toEqual([
      { text: '0104870022020036215aB7cD', gs: false },
      { text: 'GS', gs: true },
      { text: '93Xy9Z', gs: false },
    ]);
    expect(segments('4870001010010')).toEqual([{ text: '4870001010010', gs: false }]);
  });

  it('counts the GS separators of marking codes only', () => {
    const out = (text: string, extra: Partial<ScanOut> = {}): ScanOut => ({
      kind: 'goods', text, needs_quantity: false, needs_price: false, needs_mark: false, age_check: false, ...extra,
    });
    expect(markingSeparators(out(`0104870022020036215aB7cD${GS}93Xy9Z`))).toBe(1);
    expect(markingSeparators(out('0104870022020036215aB7cD93Xy9Z'))).toBe(0);
    expect(markingSeparators(out('04870020020014Ab3!x9QMDEwMjAy', { item: { name: 'Kent', price_tiyn: 1, quantity_milli: 1000, marks: ['04870020020014Ab3!x9QMDEwMjAy'] } }))).toBe(0);
    expect(markingSeparators(out('abc', { symbology: 'gs1_datamatrix' }))).toBe(0);
    expect(markingSeparators(out('4870001010010', { symbology: 'ean13' }))).toBeNull();
    expect(markingSeparators(out('0104870022020036215aB7cD', { kind: 'typed' }))).toBeNull();
  });
});

describe('label-scale layouts as src/devices/weighted.rs reads them (§5.7)', () => {
  it('reads the presets and the digit forms', () => {
    expect(parseRule('20-22,24-29:A')).toEqual({
      text: '20-22,24-29:A', prefixes: [20, 21, 22, 24, 25, 26, 27, 28, 29], itemDigits: 5, valueDigits: 5, value: 'g',
    });
    expect(parseRule(' 23 : b ')).toMatchObject({ prefixes: [23], itemDigits: 5, value: 'kzt' });
    expect(parseRule('28:C')).toMatchObject({ itemDigits: 4, valueDigits: 6, value: 'g' });
    expect(parseRule('28:D')).toMatchObject({ itemDigits: 6, valueDigits: 4, value: 'g' });
    expect(parseRule('28:4+6g')).toMatchObject({ itemDigits: 4, value: 'g' });
    expect(parseRule('23:5+5tiyn')).toMatchObject({ itemDigits: 5, value: 'tiyn' });
    expect(parseRule('02:5+5kzt')).toMatchObject({ prefixes: [2], value: 'kzt' });
  });

  it('refuses what the core refuses', () => {
    for (const bad of ['28', '28:E', '29-20:A', '99-100:A', ':A', '20,:A', '28:4+5g', '28:5+5lb', '28:5+5G', '28:0+10g', '28:AB', '28:5 + 5g', 'x:A']) {
      expect(parseRule(bad), bad).toBeNull();
    }
  });

  it('reads the whole text and warns about what the core accepts but a shop regrets', () => {
    const fine = readScaleLayouts('20-22,24-29:A; 23:B; ');
    expect(fine.rules.map((r) => r.text)).toEqual(['20-22,24-29:A', '23:B']);
    expect(fine).toMatchObject({ bad: [], repeated: [], outside: [] });
    const odd = readScaleLayouts('20-29:A;23:B;48:C;oops');
    expect(odd.bad).toEqual(['oops']);
    expect(odd.repeated).toEqual([23]);
    expect(odd.outside).toEqual([48]);
    expect(readScaleLayouts('  ').rules).toEqual([]);
  });

  it('writes prefixes as runs of two digits', () => {
    expect(prefixText([20, 21, 22, 24, 25, 26, 27, 28, 29])).toBe('20–22, 24–29');
    expect(prefixText([23, 2, 23])).toBe('02, 23');
    expect(prefixText([])).toBe('');
  });
});
