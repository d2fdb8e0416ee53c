// The quick keys as the manager's editor sees them: numbered positions with the goods
// that sit on them, and the saves (`catalogue_save`) that put goods on a key, move them
// or take them off. The core refuses a key that other goods hold ("free it first",
// src/catalogue/mod.rs), so a plan always frees a key before it is taken.

import type { Goods } from './generated/Goods';
import type { GoodsFields } from './generated/GoodsFields';

/** How many keys the core allows (src/catalogue/goods.rs `QUICK_KEYS`). */
export const QUICK_KEYS = 48;

export interface Slot {
  key: number;
  goods: Goods | null;
}

/** Positions 1…count with their goods; goods on a key outside them are left out. */
export function slots(goods: Goods[], count = QUICK_KEYS): Slot[] {
  const out: Slot[] = Array.from({ length: count }, (_, i) => ({ key: i + 1, goods: null }));
  for (const g of goods) {
    const slot = g.quick_key ? out[g.quick_key - 1] : undefined;
    if (slot && !slot.goods) slot.goods = g;
  }
  return out;
}

/** The goods' own fields for `catalogue_save` (Goods minus id and archived), with a key. */
export function fieldsOf(g: Goods, quickKey: number | null): GoodsFields {
  const { id: _id, archived: _archived, ...fields } = g;
  return { ...fields, quick_key: quickKey };
}

/** One `catalogue_save`, in the order they must run. */
export interface KeySave {
  id: number;
  goods: GoodsFields;
}

/** Puts `goods` on `key`. Goods already there are freed first; when `goods` came from
 *  another key (a move) they take that key instead, so the two swap places. */
export function planAssign(all: Slot[], goods: Goods, key: number): KeySave[] {
  if (goods.quick_key === key) return [];
  const holder = all.find((s) => s.key === key)?.goods ?? null;
  const from = goods.quick_key ?? null;
  if (!holder || holder.id === goods.id) return [{ id: goods.id, goods: fieldsOf(goods, key) }];
  return [
    { id: holder.id, goods: fieldsOf(holder, null) },
    { id: goods.id, goods: fieldsOf(goods, key) },
    ...(from ? [{ id: holder.id, goods: fieldsOf(holder, from) }] : []),
  ];
}

/** Takes the goods off their key. */
export function planClear(goods: Goods): KeySave[] {
  return goods.quick_key ? [{ id: goods.id, goods: fieldsOf(goods, null) }] : [];
}

/** The position an arrow key moves to in a grid of `columns`, staying inside 1…count. */
export function step(key: number, arrow: string, columns: number, count = QUICK_KEYS): number {
  const next =
    arrow === 'ArrowLeft' ? key - 1
    : arrow === 'ArrowRight' ? key + 1
    : arrow === 'ArrowUp' ? key - columns
    : arrow === 'ArrowDown' ? key + columns
    : arrow === 'Home' ? 1
    : arrow === 'End' ? count
    : key;
  return next >= 1 && next <= count ? next : key;
}
