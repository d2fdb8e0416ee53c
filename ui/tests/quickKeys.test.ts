import { describe, expect, it } from 'vitest';
import { fieldsOf, planAssign, planClear, QUICK_KEYS, slots, step } from '../src/lib/quickKeys';
import type { Goods } from '../src/lib/generated/Goods';

function goods(id: number, quick_key: number | null): Goods {
  return {
    id, archived: false, code: String(1000 + id), name_kk: `Тауар ${id}`, name_ru: `Товар ${id}`, price_tiyn: 18_000,
    unit: '796', vat_group: '16', section: 'Азық-түлік', ntin: null, barcodes: ['04870001010010'],
    weighted: false, marked: false, age_restricted: false, quick_key,
  };
}

describe('the quick-keys editor', () => {
  it('lays the goods out on numbered keys, empty ones included', () => {
    const grid = slots([goods(1, 1), goods(2, 5), goods(3, 60)]);
    expect(grid).toHaveLength(QUICK_KEYS);
    expect(grid[0]).toMatchObject({ key: 1, goods: { id: 1 } });
    expect(grid[1]).toEqual({ key: 2, goods: null });
    expect(grid[4]?.goods?.id).toBe(2);
    expect(grid.filter((s) => s.goods)).toHaveLength(2);
  });

  it('saves the goods\' own fields with the new key', () => {
    const fields = fieldsOf(goods(1, 1), 7);
    expect(fields).not.toHaveProperty('id');
    expect(fields).not.toHaveProperty('archived');
    expect(fields).toMatchObject({ code: '1001', price_tiyn: 18_000, barcodes: ['04870001010010'], quick_key: 7 });
  });

  it('puts goods on a free key with one save', () => {
    const grid = slots([goods(1, 1)]);
    expect(planAssign(grid, goods(2, null), 3)).toEqual([{ id: 2, goods: fieldsOf(goods(2, null), 3) }]);
    expect(planAssign(grid, goods(1, 1), 1)).toEqual([]);
  });

  it('frees a taken key before giving it to other goods', () => {
    const grid = slots([goods(1, 1)]);
    const plan = planAssign(grid, goods(2, null), 1);
    expect(plan.map((s) => [s.id, s.goods.quick_key])).toEqual([[1, null], [2, 1]]);
  });

  it('moves goods to a free key, and swaps them with goods on a taken one', () => {
    const grid = slots([goods(1, 1), goods(2, 2)]);
    expect(planAssign(grid, goods(1, 1), 9).map((s) => [s.id, s.goods.quick_key])).toEqual([[1, 9]]);
    expect(planAssign(grid, goods(1, 1), 2).map((s) => [s.id, s.goods.quick_key])).toEqual([[2, null], [1, 2], [2, 1]]);
  });

  it('takes goods off their key', () => {
    expect(planClear(goods(1, 4))).toEqual([{ id: 1, goods: fieldsOf(goods(1, 4), null) }]);
    expect(planClear(goods(1, null))).toEqual([]);
  });

  it('walks the grid with the arrows without leaving it', () => {
    expect(step(1, 'ArrowRight', 4)).toBe(2);
    expect(step(1, 'ArrowLeft', 4)).toBe(1);
    expect(step(2, 'ArrowDown', 4)).toBe(6);
    expect(step(2, 'ArrowUp', 4)).toBe(2);
    expect(step(46, 'ArrowDown', 4)).toBe(46);
    expect(step(10, 'Home', 4)).toBe(1);
    expect(step(10, 'End', 4)).toBe(QUICK_KEYS);
    expect(step(10, 'x', 4)).toBe(10);
  });
});
