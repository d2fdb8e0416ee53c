// The buyer's IIN/BIN as the cashier types it: twelve digits with the check digit
// the core verifies again (domain/identity.rs). Checked here so a typo is caught before
// the sale is sent, while the cart is still on screen.

/** The check digit of the first 11 digits: weights 1..11, then 3..11,1,2 on a 10. */
function checkDigit(first: number[]): number | null {
  const weighted = (offset: number) =>
    first.reduce((sum, d, i) => sum + d * (((i + offset) % 11) + 1), 0) % 11;
  const a = weighted(0);
  if (a !== 10) return a;
  const b = weighted(2);
  return b === 10 ? null : b;
}

export function validIinBin(text: string): boolean {
  if (!/^\d{12}$/.test(text)) return false;
  const digits = [...text].map(Number);
  return checkDigit(digits.slice(0, 11)) === digits[11];
}

/** An e-mail or a Kazakh mobile number for the electronic receipt. */
export function contactOf(text: string): { email: string } | { phone: string } | null {
  const s = text.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return { email: s };
  const digits = s.replace(/[\s()+-]/g, '');
  if (/^(7|8)7\d{9}$/.test(digits)) return { phone: `+7${digits.slice(1)}` };
  return null;
}
