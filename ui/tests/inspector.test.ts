import { describe, expect, it } from 'vitest';
import { dayAt, defaultPeriod, formatMs, isDay, offsetOf, formatIso } from '../src/inspector/dates';
import { exportJournal, exportFileName } from '../src/inspector/exportJsonl';
import { inspectorErrorText } from '../src/inspector/i18n';
import { errorText } from '../src/lib/i18n';
import type { ExportPage } from '../src/lib/generated/ExportPage';

describe('the inspector\'s days', () => {
  // 2026-11-23 19:18 UTC is already the 24th in Astana (UTC+5).
  const now = Date.UTC(2026, 10, 23, 19, 18, 7);

  it('takes "today" in the register\'s zone, not the computer\'s', () => {
    expect(dayAt(now, 300)).toBe('2026-11-24');
    expect(dayAt(now, 0)).toBe('2026-11-23');
  });

  it('defaults to the first of the month until today', () => {
    expect(defaultPeriod(now, 300)).toEqual({ from: '2026-11-01', to: '2026-11-24' });
    expect(defaultPeriod(Date.UTC(2026, 11, 31, 20, 0), 300)).toEqual({ from: '2027-01-01', to: '2027-01-01' });
  });

  it('reads the zone of an RFC 3339 time and shows times in it', () => {
    expect(offsetOf('2026-11-24T00:18:07.1+05:00')).toBe(300);
    expect(offsetOf('2026-11-24T00:18:07-03:30')).toBe(-210);
    expect(offsetOf('2026-11-24T00:18:07Z')).toBe(0);
    expect(formatMs(now, 300)).toBe('24.11.2026 00:18:07');
    expect(formatIso('2026-11-24T00:18:07.1+05:00', true)).toBe('24.11.2026 00:18:07');
    expect(formatIso(null)).toBe('—');
  });

  it('accepts only real days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('28.02.2026')).toBe(false);
  });
});

describe('the journal export', () => {
  const header = { demo: true, org_name: 'ДЕМО', bin: '990101000014', address: 'Астана', rnm: 'DEMO00000001', factory_number: 'F1', kkm_id: '1', vat_payer: true, default_lang: 'kk' };
  const record = (seq: number) => ({ seq, kind: 'receipt', created_at_ms: seq, created_at: 'x', shift_no: 1, doc_no: seq, payload: { n: seq }, payload_hex: '7b7d', checksum: `c${seq}` });
  const pages: ExportPage[] = [
    { header, previous_checksum: '0'.repeat(64), records: [record(1), record(2)], next_after_seq: 2 },
    { header, previous_checksum: 'c2', records: [record(3)], next_after_seq: null },
  ];

  it('pages until the end and writes a header line then one record a line', async () => {
    const asked: (number | null)[] = [];
    const out = await exportJournal('2026-11-01', '2026-11-24', async (after) => {
      asked.push(after);
      return pages[asked.length - 1]!;
    });
    expect(asked).toEqual([null, 2]);
    expect(out.records).toBe(3);
    const lines = out.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({ format: 'sauda-journal-export', version: 1, from: '2026-11-01', to: '2026-11-24', register: header, previous_checksum: '0'.repeat(64) });
    expect(lines.slice(1).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('stops on a page that does not move on', async () => {
    const stuck: ExportPage = { header, previous_checksum: null, records: [], next_after_seq: 5 };
    let calls = 0;
    const out = await exportJournal('a', 'b', async () => { calls += 1; return stuck; });
    expect(calls).toBe(2);
    expect(out.records).toBe(0);
  });

  it('names the file by RNM and period', () => {
    expect(exportFileName('DEMO00000001', '2026-11-01', '2026-11-24')).toBe('sauda-DEMO00000001-2026-11-01-2026-11-24.jsonl');
    expect(exportFileName('a/b', 'x', 'y')).toBe('sauda-a_b-x-y.jsonl');
  });
});

describe('the inspector\'s error sentences', () => {
  it('say "login or password", never the server\'s English', () => {
    expect(inspectorErrorText('wrong_pin', 'wrong login or password', 'kk', 'login', errorText)).toContain('Логин немесе құпиясөз қате');
    expect(inspectorErrorText('wrong_pin', 'wrong login or password', 'ru', 'login', errorText)).toContain('Неверный логин или пароль');
  });

  it('turn a lock\'s seconds into minutes', () => {
    const m = 'too many failed logins: this account is locked, try again in 840 s or ask the administrator to set a new password';
    expect(inspectorErrorText('login_locked', m, 'kk', 'login', errorText)).toContain('14 минуттан');
    expect(inspectorErrorText('login_locked', m, 'ru', 'login', errorText)).toContain('14 мин');
    expect(inspectorErrorText('login_locked', 'wait a minute', 'ru', 'login', errorText)).toContain('подождите минуту');
  });

  it('tell a refused login from a refused register', () => {
    expect(inspectorErrorText('forbidden', '', 'ru', 'login', errorText)).toContain('Учётная запись');
    expect(inspectorErrorText('forbidden', '', 'kk', 'session', errorText)).toContain('кассаның');
  });
});

describe('a typed day', () => {
  it('reads the ways people write a day', async () => {
    const { parseDay, addDays } = await import('../src/inspector/dates');
    expect(parseDay('01.11.2026')).toBe('2026-11-01');
    expect(parseDay(' 1.11.2026 ')).toBe('2026-11-01');
    expect(parseDay('01/11/2026')).toBe('2026-11-01');
    expect(parseDay('2026-11-01')).toBe('2026-11-01');
    expect(parseDay('31.11.2026')).toBeNull();
    expect(parseDay('11/2026')).toBeNull();
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
