import { describe, expect, it } from 'vitest';
import { cartItems } from '../src/lib/cart.svelte';
import { KILOGRAM, unitLabel } from '../src/lib/units';

describe('units on the sale screen (R-2 element 9)', () => {
  it('prints the short name in each language and pieces by default', () => {
    expect(unitLabel('kk', undefined)).toBe('дана');
    expect(unitLabel('ru', undefined)).toBe('шт');
    expect(unitLabel('kk', KILOGRAM)).toBe('кг');
    expect(unitLabel('ru', '778')).toBe('упак.');
    expect(unitLabel('ru', '999')).toBe('999');
  });

  it('sends a unit only for lines that have one', () => {
    const items = cartItems([
      { name: 'Нан', priceTiyn: 25_000, quantityMilli: 2_000 },
      { name: 'Алма', priceTiyn: 99_000, quantityMilli: 750, unit: KILOGRAM },
    ]);
    expect(items[0]).not.toHaveProperty('unit');
    expect(items[1]).toMatchObject({ quantity_milli: 750, unit: '166' });
  });
});
