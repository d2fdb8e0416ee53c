// The receipt being built. It lives outside the screens so that switching screens, an
// error from the core or a failed payment never loses it; it is emptied only after the
// core has recorded the sale.

import { lineAmount } from './money';

export interface CartLine {
  name: string;
  priceTiyn: number;
  quantityMilli: number;
  /** ИС ЭСФ unit code; pieces when absent (R-2 element 9). */
  unit?: string;
}

export const cart = $state({ lines: [] as CartLine[], selected: -1 });

export function cartTotal(lines: CartLine[]): number {
  return lines.reduce((sum, l) => sum + lineAmount(l.priceTiyn, l.quantityMilli), 0);
}

export function addLine(line: CartLine) {
  cart.lines.push(line);
  cart.selected = cart.lines.length - 1;
}

export function voidLine(index: number) {
  if (index < 0 || index >= cart.lines.length) return;
  cart.lines.splice(index, 1);
  cart.selected = Math.min(index, cart.lines.length - 1);
}

export function clearCart() {
  cart.lines = [];
  cart.selected = -1;
}

/** The sale command's items. */
export function cartItems(lines: CartLine[]) {
  return lines.map((l) => ({
    name: l.name,
    price_tiyn: l.priceTiyn,
    quantity_milli: l.quantityMilli,
    ...(l.unit ? { unit: l.unit } : {}),
  }));
}
