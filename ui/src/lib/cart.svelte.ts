// The receipt being built. It lives outside the screens so that switching screens, an
// error from the core or a failed payment never loses it; it is emptied only after the
// core has recorded the sale.

import { discountTiyn, lineAmount } from './money';
import type { ItemIn } from './generated/ItemIn';

export interface CartLine {
  name: string;
  priceTiyn: number;
  quantityMilli: number;
  /** ИС ЭСФ unit code; pieces when absent (R-2 element 9). */
  unit?: string;
  /** The line's discount: a percentage (thousandths of a percent) or an amount. */
  discount?: { percentMilli?: number; tiyn?: number };
  /** What the catalogue knows of the item (article, VAT group, codes, marks). */
  goods?: Pick<ItemIn, 'goods_code' | 'vat_group' | 'section' | 'ntin' | 'barcode'>;
  /** Marking codes, one per unit: the quantity follows their count. */
  marks?: string[];
  /** Weighed lines stay apart; pieces of one article add up on one line. */
  weighed?: boolean;
}

/** What the buyer pays for the line, after its discount. */
export function lineTotal(l: CartLine): number {
  const gross = lineAmount(l.priceTiyn, l.quantityMilli);
  return gross - (l.discount ? discountTiyn(gross, l.discount) : 0);
}

/** A discount on the whole receipt: a percentage (thousandths) or an amount. */
export type Discount = { percentMilli?: number; tiyn?: number };

export const cart = $state({ lines: [] as CartLine[], selected: -1, discount: null as Discount | null });

export function cartTotal(lines: CartLine[]): number {
  return lines.reduce((sum, l) => sum + lineTotal(l), 0);
}

/** The receipt-wide discount in tiyn, taken from the lines' total after their own
 *  discounts, rounded as the core rounds it (domain/receipt.rs, rule 3). */
export function receiptDiscount(lines: CartLine[], d: Discount | null): number {
  return d ? discountTiyn(cartTotal(lines), d) : 0;
}

/** What the buyer pays: the lines less the receipt's discount. */
export function cartDue(lines: CartLine[], d: Discount | null): number {
  return cartTotal(lines) - receiptDiscount(lines, d);
}

/** The sale command's receipt-wide adjustment. */
export function cartAdjustment(d: Discount | null) {
  if (!d) return null;
  return { kind: 'discount', ...(d.tiyn !== undefined ? { amount_tiyn: d.tiyn } : { percent_milli: d.percentMilli ?? 0 }) };
}

export function addLine(line: CartLine) {
  cart.lines.push(line);
  cart.selected = cart.lines.length - 1;
}

/** A line from the catalogue: another unit of the same article joins its line. */
export function addGoodsLine(line: CartLine) {
  const code = line.goods?.goods_code;
  const same = cart.lines.findIndex(
    (l) => code && l.goods?.goods_code === code && !l.weighed && !line.weighed && !l.discount && l.priceTiyn === line.priceTiyn,
  );
  const existing = cart.lines[same];
  if (!existing) {
    addLine(line);
    return;
  }
  existing.quantityMilli += line.quantityMilli;
  if (line.marks?.length) existing.marks = [...(existing.marks ?? []), ...line.marks];
  cart.selected = same;
}

export function voidLine(index: number) {
  if (index < 0 || index >= cart.lines.length) return;
  cart.lines.splice(index, 1);
  cart.selected = Math.min(index, cart.lines.length - 1);
  // A receipt discount belongs to the receipt: with no lines left there is none.
  if (cart.lines.length === 0) cart.discount = null;
}

export function clearCart() {
  cart.lines = [];
  cart.selected = -1;
  cart.discount = null;
}

/** The sale command's items. */
export function cartItems(lines: CartLine[]) {
  return lines.map((l) => ({
    name: l.name,
    price_tiyn: l.priceTiyn,
    quantity_milli: l.quantityMilli,
    ...(l.unit ? { unit: l.unit } : {}),
    ...(l.goods ?? {}),
    ...(l.marks?.length ? { marks: l.marks } : {}),
    ...(l.discount
      ? {
          adjustment: {
            kind: 'discount',
            ...(l.discount.tiyn !== undefined ? { amount_tiyn: l.discount.tiyn } : { percent_milli: l.discount.percentMilli }),
          },
        }
      : {}),
  }));
}
