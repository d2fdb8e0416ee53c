import { describe, expect, it } from 'vitest';
import { halfOf, problemText, wordedKeys } from '../src/lib/problems';
import { ApiError, httpTransport, tauriTransport } from '../src/lib/transport';

describe('problems in the screen language', () => {
  const repeated = { key: 'barcode_repeated' as const, args: ['4870123456789', '3'], message: 'barcode 4870123456789 is also on line 3' };

  it('puts the values into the Kazakh and the Russian sentence', () => {
    expect(problemText(repeated, 'kk')).toBe('4870123456789 штрихкоды 3-жолда да бар: бір штрихкод — бір тауар');
    expect(problemText(repeated, 'ru')).toBe('Штрихкод 4870123456789 есть и в строке 3: один штрихкод — один товар');
  });

  it('words every key in both languages without English or leftover placeholders', () => {
    for (const key of wordedKeys) {
      for (const lang of ['kk', 'ru'] as const) {
        const text = problemText({ key, args: ['A', 'B'], message: 'english' }, lang);
        expect(text, `${key} ${lang}`).not.toBe('english');
        expect(text, `${key} ${lang}`).not.toMatch(/\{\d\}/);
        expect(text, `${key} ${lang}`).not.toMatch(/\b(the|is|and|use)\b/);
      }
    }
  });

  it('words a notice on a document in the screen language, the printer half included', () => {
    const paper = { key: 'electronic_only' as const, args: ['Қағаз бітті / Закончилась бумага'], message: 'paper end' };
    expect(problemText(paper, 'kk')).toBe('Чек басылмайды (Қағаз бітті): сатып алушы тек электронды чек алады');
    expect(problemText(paper, 'ru')).toBe('Чек не печатается (Закончилась бумага): покупатель получит только электронный чек');
    const left = { key: 'autonomous_time_left' as const, args: ['1', '30'], message: '1 h 30 min left' };
    expect(problemText(left, 'ru')).toContain('осталось 1 ч 30 мин');
  });

  it('splits only a text that is Kazakh on one side and Russian on the other', () => {
    expect(halfOf('Тіркеу тоқтатылды / Регистрация приостановлена', 'kk')).toBe('Тіркеу тоқтатылды');
    expect(halfOf('Тіркеу тоқтатылды / Регистрация приостановлена', 'ru')).toBe('Регистрация приостановлена');
    expect(halfOf('no answer / timeout', 'ru')).toBe('no answer / timeout');
    expect(halfOf('а / б / в', 'kk')).toBe('а / б / в');
  });

  it('falls back to the core sentence for a key this build does not know', () => {
    const unknown = { key: 'from_a_newer_core', args: [], message: 'the core says so' } as unknown as typeof repeated;
    expect(problemText(unknown, 'kk')).toBe('the core says so');
  });

  it('keeps the problems of an error from either transport', async () => {
    const body = { code: 'validation', message: 'm', problems: [repeated] };
    const http = httpTransport('', async () => new Response(JSON.stringify(body), { status: 422 }));
    const err = await http.call('catalogue_save', {}, 't').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).problems).toEqual([repeated]);
    const tauri = tauriTransport(async () => {
      throw body;
    });
    const err2 = await tauri.call('catalogue_save', {}, null).catch((e: unknown) => e);
    expect((err2 as ApiError).problems).toEqual([repeated]);
    const plain = await tauri.call('x', {}, null).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(ApiError);
  });
});
