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

/** The age in whole years of the person an IIN names, on `today`, or null when the
 *  text is not a valid IIN of a person. An IIN starts with the birth date YYMMDD and
 *  its 7th digit gives the century (1–2: 1800s, 3–4: 1900s, 5–6: 2000s), so the ID
 *  card's number proves the buyer's age without the cashier counting years. */
export function ageFromIin(text: string, today: Date): number | null {
  const s = text.trim();
  if (!validIinBin(s)) return null;
  const century = { '1': 1800, '2': 1800, '3': 1900, '4': 1900, '5': 2000, '6': 2000 }[s[6] ?? ''];
  if (century === undefined) return null;
  const year = century + Number(s.slice(0, 2));
  const month = Number(s.slice(2, 4));
  const day = Number(s.slice(4, 6));
  const born = new Date(year, month - 1, day);
  if (born.getFullYear() !== year || born.getMonth() !== month - 1 || born.getDate() !== day) return null;
  let age = today.getFullYear() - year;
  if (today.getMonth() < month - 1 || (today.getMonth() === month - 1 && today.getDate() < day)) age -= 1;
  return age >= 0 ? age : null;
}
