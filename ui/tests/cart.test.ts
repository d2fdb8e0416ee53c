import { describe, expect, it } from 'vitest';
import { addLine, cart, cartAdjustment, cartDue, cartTotal, clearCart, receiptDiscount, voidLine } from '../src/lib/cart.svelte';

describe('the receipt-wide discount', () => {
  const lines = [
    { name: 'Нан', priceTiyn: 18_000, quantityMilli: 2000 },
    { name: 'Сүт', priceTiyn: 52_000, quantityMilli: 1000, discount: { percentMilli: 10_000 } },
  ];

  it('comes off the lines after their own discounts, rounded like the core', () => {
    expect(cartTotal(lines)).toBe(36_000 + 46_800);
    // 3.333 % of 828.00 = 27.597…: 27.60 ₸ (half up, as domain/receipt.rs div_round).
    expect(receiptDiscount(lines, { percentMilli: 3_333 })).toBe(2_760);
    expect(cartDue(lines, { percentMilli: 3_333 })).toBe(82_800 - 2_760);
    expect(cartDue(lines, { tiyn: 5_000 })).toBe(77_800);
    expect(cartDue(lines, null)).toBe(82_800);
  });

  it('goes to the core as the receipt adjustment', () => {
    expect(cartAdjustment({ percentMilli: 10_000 })).toEqual({ kind: 'discount', percent_milli: 10_000 });
    expect(cartAdjustment({ tiyn: 500 })).toEqual({ kind: 'discount', amount_tiyn: 500 });
    expect(cartAdjustment(null)).toBeNull();
  });

  it('ends with the receipt: paid or emptied', () => {
    addLine({ name: 'Нан', priceTiyn: 18_000, quantityMilli: 1000 });
    cart.discount = { tiyn: 1_000 };
    voidLine(0);
    expect(cart.discount).toBeNull();
    addLine({ name: 'Нан', priceTiyn: 18_000, quantityMilli: 1000 });
    cart.discount = { tiyn: 1_000 };
    clearCart();
    expect(cart.discount).toBeNull();
    expect(cart.lines).toHaveLength(0);
  });
});
