// The workstation's shared state: the inspector's session, the language, the registers
// the inspector may read, the chosen register and period, and the transport. Every
// call after login carries the session token and names the chosen register in
// `X-Register`. Nothing here writes to a register: the inspector only reads.

import { ApiError, httpTransport, type ErrorCode } from '../lib/transport';
import { errorText } from '../lib/i18n';
import type { Lang } from '../lib/money';
import type { Commands } from '../lib/generated/commands';
import type { Caller } from '../lib/generated/Caller';
import type { PeriodReportOut } from '../lib/generated/PeriodReportOut';
import { inspectorErrorText, type ErrorPlace } from './i18n';
import { defaultPeriod, offsetOf } from './dates';
import { Work } from '../lib/work.svelte';

/** A register of the server, as `register_list` answers. */
export interface RegisterSummary {
  id: string;
  org_name: string;
  bin: string;
  address: string;
  rnm: string;
  kkm_id: string;
  factory_number: string;
  demo: boolean;
}

/** One entry of the access log, as `audit_log` answers. */
export interface AuditEntry {
  seq: number;
  at_ms: number;
  actor: string;
  action: string;
  register?: string | null;
  detail: string;
  remote: string;
  outcome: string;
  checksum: string;
}

const LANG_KEY = 'sauda.lang';
/** Kazakhstan's zone, until the register's own is known. */
const DEFAULT_OFFSET = 300;

const storedLang = globalThis.localStorage?.getItem(LANG_KEY);

export const ws = $state({
  lang: (storedLang === 'ru' || storedLang === 'kk' ? storedLang : 'kk') as Lang,
  token: null as string | null,
  user: null as Caller | null,
  login: '',
  /** Why the last session ended, shown on the login page. */
  ended: false,
  registers: [] as RegisterSummary[],
  register: null as string | null,
  /** The chosen register's zone (minutes east of UTC), for "today" and log times. */
  offsetMinutes: DEFAULT_OFFSET,
  from: '',
  to: '',
  /** The period last asked for with "Show": every tab reads this one. */
  shown: null as { register: string; from: string; to: string; n: number } | null,
  period: null as PeriodReportOut | null,
});

{
  const p = defaultPeriod(Date.now(), DEFAULT_OFFSET);
  ws.from = p.from;
  ws.to = p.to;
}

const transport = httpTransport('', undefined, (): Record<string, string> =>
  ws.register ? { 'X-Register': ws.register } : {});

export function setLang(lang: Lang) {
  ws.lang = lang;
  globalThis.localStorage?.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

async function send(name: string, input: unknown): Promise<unknown> {
  try {
    return await transport.call(name, input, ws.token);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'session_required' && ws.token) dropSession(true);
    throw e;
  }
}

/** A register command on the chosen register; types from the core's command table. */
export async function call<K extends keyof Commands>(
  name: K,
  input: Commands[K]['input'] | Record<string, never> = {},
): Promise<Commands[K]['output']> {
  return (await send(name, input)) as Commands[K]['output'];
}

export async function login(loginName: string, password: string): Promise<void> {
  const out = (await send('inspector_login', { login: loginName, password })) as {
    token: string;
    user: Caller;
    login: string;
  };
  ws.token = out.token;
  ws.login = out.login;
  try {
    ws.registers = (await send('register_list', null)) as RegisterSummary[];
    const keep = ws.registers.find((r) => r.id === ws.register);
    await chooseRegister(keep?.id ?? ws.registers[0]?.id ?? null);
  } catch (e) {
    ws.token = null;
    throw e;
  }
  // Last: the workstation opens with its register and period already chosen.
  ws.ended = false;
  ws.user = out.user;
}

/** Picks a register and learns its time zone (for "today" in the default period). */
export async function chooseRegister(id: string | null): Promise<void> {
  ws.register = id;
  ws.period = null;
  ws.shown = null;
  if (!id) return;
  try {
    const s = await call('settings_show');
    ws.offsetMinutes = s.settings.utc_offset_minutes;
  } catch {
    ws.offsetMinutes = DEFAULT_OFFSET;
  }
  const p = defaultPeriod(Date.now(), ws.offsetMinutes);
  ws.from = p.from;
  ws.to = p.to;
}

/** The report tells the register's zone too; a later "today" follows it. */
export function learnOffset(iso: string) {
  const o = offsetOf(iso);
  if (o !== null) ws.offsetMinutes = o;
}

export async function auditLog(): Promise<AuditEntry[]> {
  return (await send('audit_log', { limit: 200 })) as AuditEntry[];
}

export async function logout(): Promise<void> {
  await send('session_logout', null).catch(() => undefined);
  dropSession(false);
}

function dropSession(expired: boolean) {
  ws.token = null;
  ws.user = null;
  ws.registers = [];
  ws.shown = null;
  ws.period = null;
  ws.ended = expired;
}

export const current = () => ws.registers.find((r) => r.id === ws.register) ?? null;

/** What a screen shows for a failure: a sentence in the current language (it follows
 *  a language switch made after the error) and the server's message as a detail. */
export interface ErrorView {
  readonly text: string;
  detail: string;
  code: ErrorCode;
}

export function errorView(e: unknown, place: ErrorPlace = 'session'): ErrorView {
  const err = e instanceof ApiError ? e : new ApiError('internal', String(e));
  return {
    get text() {
      return inspectorErrorText(err.code, err.message, ws.lang, place, errorText);
    },
    detail: err.message,
    code: err.code,
  };
}

/** One reading a tab starts: `busy` while it runs, the failure as a sentence. A new
 *  reading may start while one runs (a changed period); `PeriodReading` keeps only
 *  the latest answer. */
export class Job extends Work<ErrorView> {
  constructor() {
    super(errorView, false);
  }
}

/** The commands that read one period of the chosen register. */
type PeriodCommand =
  | 'autonomous_periods'
  | 'operator_messages'
  | 'report_period_by_cashier'
  | 'report_period_by_section';

/**
 * One tab's reading of a period: asks again whenever `load` is called, and keeps only
 * the answer to the latest question, so a slow answer for an old period never
 * replaces a newer one.
 */
export class PeriodReading<K extends PeriodCommand> {
  data: Commands[K]['output'] | null = $state(null);
  readonly job = new Job();
  #asked = 0;

  constructor(private readonly name: K) {}

  load(from: string, to: string): void {
    const mine = ++this.#asked;
    void this.job.run(async () => {
      const out = await call(this.name, { from, to } as Commands[K]['input']);
      if (mine === this.#asked) this.data = out;
    });
  }
}
