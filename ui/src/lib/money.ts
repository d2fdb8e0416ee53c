// Money on screen. Amounts travel as integer tiyn (1 ₸ = 100 tiyn) and are never
// floats: formatting splits integers, parsing reads digits.

export type Lang = 'kk' | 'ru';

/** 125050 → "1 250,50 ₸" (both languages group thousands with a space, comma decimals). */
export function formatTiyn(tiyn: number, withSign = true): string {
  const negative = tiyn < 0;
  const abs = Math.abs(Math.trunc(tiyn));
  const tenge = Math.floor(abs / 100);
  const rest = abs % 100;
  const grouped = String(tenge).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const text = `${negative ? '−' : ''}${grouped},${String(rest).padStart(2, '0')}`;
  return withSign ? `${text}\u00a0₸` : text;
}

/**
 * What a cashier types for an amount: "1250", "1250,5", "1 250.50". Returns tiyn, or
 * null when it is not an amount (more than two decimals, letters, empty).
 */
export function parseTenge(text: string): number | null {
  const t = text.replace(/[\s\u00a0₸]/g, '').replace(',', '.');
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(t);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = (m[2] ?? '').padEnd(2, '0');
  return whole * 100 + Number(frac);
}

/** "1,5" or "2" → thousandths (1500, 2000); null when not a positive quantity. */
export function parseQuantity(text: string): number | null {
  const t = text.replace(/\s/g, '').replace(',', '.');
  const m = /^(\d{1,6})(?:\.(\d{0,3}))?$/.exec(t);
  if (!m) return null;
  const milli = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return milli > 0 ? milli : null;
}

/** A discount as the cashier types it: "10%" (in thousandths of a percent) or "150,50"
 *  (in tiyn), with or without a leading minus. `undefined` when the text is not shaped
 *  like a discount; null when it is but the number is wrong (zero, over 100 %). */
export function parseDiscount(text: string): { percentMilli?: number; tiyn?: number } | null | undefined {
  const m = /^-?\s*(\d[\d\s]*(?:[.,]\d{1,3})?)\s*(%?)$/.exec(text.trim());
  if (!m) return undefined;
  if (m[2]) {
    const percent = parseQuantity(m[1] ?? '');
    return percent !== null && percent > 0 && percent <= 100_000 ? { percentMilli: percent } : null;
  }
  const tiyn = parseTenge(m[1] ?? '');
  return tiyn !== null && tiyn > 0 ? { tiyn } : null;
}

/** 1500 → "1,5"; 2000 → "2". */
export function formatQuantity(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const rest = milli % 1000;
  if (rest === 0) return String(whole);
  return `${whole},${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}

/**
 * price × quantity rounded to the tiyn as the core rounds a line (half away from zero),
 * in BigInt so that large prices never lose tiyn. For display before payment only: the
 * receipt's amounts are the core's.
 */
export function lineAmount(priceTiyn: number, quantityMilli: number): number {
  const product = BigInt(priceTiyn) * BigInt(quantityMilli);
  return Number((product + 500n) / 1000n);
}

/** A line's discount in tiyn as the core works it out: a percentage (thousandths of a
 * percent) of the gross amount rounded half away from zero, or a fixed amount, never
 * more than the line. */
export function discountTiyn(grossTiyn: number, d: { percentMilli?: number; tiyn?: number }): number {
  if (d.tiyn !== undefined) return Math.min(d.tiyn, grossTiyn);
  const product = BigInt(grossTiyn) * BigInt(d.percentMilli ?? 0);
  return Math.min(Number((product + 50_000n) / 100_000n), grossTiyn);
}

/** An ISO time in the register's zone as "23.11.2026 18:59". */
export function formatDateTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : iso;
}

/** Minutes as "5 сағ 07 мин" / "5 ч 07 мин". */
export function formatMinutes(minutes: number, lang: Lang): string {
  const m = Math.max(0, Math.floor(minutes));
  const h = Math.floor(m / 60);
  const mm = String(m % 60).padStart(2, '0');
  return lang === 'kk' ? `${h} сағ ${mm} мин` : `${h} ч ${mm} мин`;
}
