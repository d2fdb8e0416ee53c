// Days and times as the inspector's workstation shows them. A period is asked for in
// whole days of the register's time zone (`YYYY-MM-DD`), so "today" is the register's
// today, not the inspector's computer's.

const pad = (n: number) => String(n).padStart(2, '0');

/** The day `nowMs` falls on at UTC+offset, as `YYYY-MM-DD`. */
export function dayAt(nowMs: number, offsetMinutes: number): string {
  const d = new Date(nowMs + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The default period: the first day of the month to today. */
export function defaultPeriod(nowMs: number, offsetMinutes: number): { from: string; to: string } {
  const to = dayAt(nowMs, offsetMinutes);
  return { from: `${to.slice(0, 8)}01`, to };
}

/** The offset of an RFC 3339 time ("…+05:00" → 300); null when it has none. */
export function offsetOf(iso: string): number | null {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return iso.endsWith('Z') ? 0 : null;
}

/** Unix milliseconds as "24.11.2026 00:18:07" at UTC+offset. */
export function formatMs(ms: number, offsetMinutes: number, seconds = true): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const day = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  return `${day} ${time}`;
}

/** An RFC 3339 time in the register's zone as "24.11.2026 00:18:07". */
export function formatIso(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(iso);
  if (!m) return iso;
  return `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}${seconds ? `:${m[6] ?? '00'}` : ''}`;
}

/** `YYYY-MM-DD` as "01.11.2026". */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : day;
}

/** Whether the text is a real calendar day `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** What a person types for a day: "01.11.2026", "1.11.2026", "01/11/2026" or
 *  "2026-11-01". Returns `YYYY-MM-DD`, or null when it is not a real day. */
export function parseDay(text: string): string | null {
  const t = text.trim();
  let y: string, m: string, d: string;
  let match = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/.exec(t);
  if (match) {
    [, y, m, d] = match as unknown as [string, string, string, string];
  } else {
    match = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(t);
    if (!match) return null;
    [, d, m, y] = match as unknown as [string, string, string, string];
  }
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isDay(iso) ? iso : null;
}

/** The day `days` after (or before) `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}
