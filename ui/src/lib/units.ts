// Short names of the units a line can be sold in, by ИС ЭСФ code, as the receipt prints
// them (the core's domain/goods.rs holds the same table and is what the law checks).

import type { Lang } from './money';

const NAMES: Record<string, { kk: string; ru: string }> = {
  '796': { kk: 'дана', ru: 'шт' },
  '166': { kk: 'кг', ru: 'кг' },
  '163': { kk: 'г', ru: 'г' },
  '112': { kk: 'л', ru: 'л' },
  '006': { kk: 'м', ru: 'м' },
  '055': { kk: 'м²', ru: 'м²' },
  '113': { kk: 'м³', ru: 'м³' },
  '778': { kk: 'қапт.', ru: 'упак.' },
  '715': { kk: 'жұп', ru: 'пар' },
  '839': { kk: 'жинақ', ru: 'компл.' },
};

/** Every unit code, in the order a form lists them. */
export const UNITS = Object.keys(NAMES);

export const PIECE = '796';
export const KILOGRAM = '166';

/** The printed short name of a unit code; the code itself when unknown. */
export function unitLabel(lang: Lang, code: string | undefined): string {
  const unit = NAMES[code ?? PIECE];
  return unit ? unit[lang] : (code ?? '');
}
