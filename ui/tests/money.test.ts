import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMinutes, formatQuantity, formatTiyn, lineAmount, parseQuantity, parseTenge } from '../src/lib/money';

describe('money on screen (integer tiyn, never floats)', () => {
  it('formats tiyn with grouped tenge and two decimals', () => {
    expect(formatTiyn(125050)).toBe('1\u00a0250,50\u00a0₸');
    expect(formatTiyn(5)).toBe('0,05\u00a0₸');
    expect(formatTiyn(-250000, false)).toBe('−2\u00a0500,00');
    expect(formatTiyn(123456789012)).toBe('1\u00a0234\u00a0567\u00a0890,12\u00a0₸');
  });

  it('reads what a cashier types as tiyn', () => {
    expect(parseTenge('1250')).toBe(125000);
    expect(parseTenge('1250,5')).toBe(125050);
    expect(parseTenge('1 250.50 ₸')).toBe(125050);
    expect(parseTenge('0,07')).toBe(7);
    expect(parseTenge('1,005')).toBeNull();
    expect(parseTenge('abc')).toBeNull();
    expect(parseTenge('')).toBeNull();
    expect(parseTenge('-5')).toBeNull();
  });

  it('never loses a tiyn to binary fractions', () => {
    // 0.1 + 0.2 style errors: every two-decimal amount round-trips exactly.
    for (let tiyn = 0; tiyn < 100_000; tiyn += 7) {
      const text = formatTiyn(tiyn, false).replace(/\u00a0/g, '');
      expect(parseTenge(text)).toBe(tiyn);
    }
  });

  it('rounds a line half away from zero like the core, even for large amounts', () => {
    expect(lineAmount(25000, 2000)).toBe(50000);
    expect(lineAmount(90000, 500)).toBe(45000);
    expect(lineAmount(1, 500)).toBe(1); // 0.5 tiyn → 1
    expect(lineAmount(1, 499)).toBe(0);
    expect(lineAmount(99_999_999_999, 1_000_000)).toBe(99_999_999_999_000);
  });

  it('reads and shows quantities in thousandths', () => {
    expect(parseQuantity('2')).toBe(2000);
    expect(parseQuantity('0,5')).toBe(500);
    expect(parseQuantity('1.255')).toBe(1255);
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('1,2345')).toBeNull();
    expect(formatQuantity(1500)).toBe('1,5');
    expect(formatQuantity(2000)).toBe('2');
    expect(formatQuantity(1255)).toBe('1,255');
  });

  it('shows dates and time left in both languages', () => {
    expect(formatDateTime('2026-11-23T18:59:59.404+05:00')).toBe('23.11.2026 18:59');
    expect(formatMinutes(4319, 'kk')).toBe('71 сағ 59 мин');
    expect(formatMinutes(4319, 'ru')).toBe('71 ч 59 мин');
    expect(formatMinutes(-3, 'ru')).toBe('0 ч 00 мин');
  });
});

import { discountTiyn } from '../src/lib/money';
import { cartItems, cartTotal } from '../src/lib/cart.svelte';

describe('line discounts as the core works them out', () => {
  it('rounds a percentage half away from zero and never exceeds the line', () => {
    expect(discountTiyn(100_000, { percentMilli: 10_000 })).toBe(10_000);
    expect(discountTiyn(12_345, { percentMilli: 12_500 })).toBe(1_543); // 1543.125
    expect(discountTiyn(1_000, { tiyn: 5_000 })).toBe(1_000);
  });

  it('sends the discount with its line and counts it in the total', () => {
    const lines = [{ name: 'Нан', priceTiyn: 100_000, quantityMilli: 1_000, discount: { percentMilli: 10_000 } }];
    expect(cartTotal(lines)).toBe(90_000);
    expect(cartItems(lines)[0]).toMatchObject({ adjustment: { kind: 'discount', percent_milli: 10_000 } });
  });
});

describe('a discount as the cashier types it', () => {
  it('reads a percentage or an amount, with or without the minus', async () => {
    const { parseDiscount } = await import('../src/lib/money');
    expect(parseDiscount('-10%')).toEqual({ percentMilli: 10_000 });
    expect(parseDiscount('2,5 %')).toEqual({ percentMilli: 2_500 });
    expect(parseDiscount('-150,50')).toEqual({ tiyn: 15_050 });
    expect(parseDiscount('500')).toEqual({ tiyn: 50_000 });
    expect(parseDiscount('0%')).toBeNull();
    expect(parseDiscount('101%')).toBeNull();
    expect(parseDiscount('Нан 250')).toBeUndefined();
  });
});
