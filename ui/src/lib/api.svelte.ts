// The till's shared state: the session, the language, the latest status from the
// event stream, and the transport. Screens read it; only `login`/`logout`/`call`
// change the session. Nothing here knows a fiscal rule.

import { ApiError, httpTransport, isTauri, tauriTransport, type Transport } from './transport';
import type { Lang } from './money';
import { errorText } from './i18n';

export interface User {
  user_id: number;
  name: string;
  role: 'cashier' | 'manager' | 'admin' | 'inspector';
}

export interface LinkStatus {
  attached: boolean;
  mode: string;
  queued: number;
  minutes_left: number | null;
  block_at: string | null;
  messages: string[];
  last_error: string | null;
}

export interface RegisterStatus {
  header: { demo: boolean; org_name: string; rnm: string; vat_payer: boolean };
  shift: { state: string; number: number; deadline: string | null; expired: boolean };
  blocked: { check: string; message: string } | null;
  cash_in_drawer_tiyn: number;
  now: string;
}

/** One line as the core lays out receipts and reports (`receipt_layout::Line`). */
export type PaperLine =
  | { kind: 'text' | 'bold' | 'centered' | 'qr'; text: string }
  | { kind: 'rule' };

export interface Status {
  register: RegisterStatus;
  link: LinkStatus;
}

async function makeTransport(): Promise<Transport> {
  if (isTauri()) {
    const { invoke } = await import('@tauri-apps/api/core');
    return tauriTransport(invoke);
  }
  return httpTransport();
}

const LANG_KEY = 'sauda.lang';

export const app = $state({
  lang: (globalThis.localStorage?.getItem(LANG_KEY) as Lang | null) ?? ('kk' as Lang),
  token: null as string | null,
  user: null as User | null,
  status: null as Status | null,
});

let transport: Transport | null = null;
let events: EventSource | null = null;

export function setLang(lang: Lang) {
  app.lang = lang;
  globalThis.localStorage?.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

export async function call<T>(name: string, input: unknown = null): Promise<T> {
  transport ??= await makeTransport();
  try {
    return (await transport.call(name, input, app.token)) as T;
  } catch (e) {
    if (e instanceof ApiError && e.code === 'session_required') dropSession();
    throw e;
  }
}

export async function login(pin: string): Promise<void> {
  if (isTauri()) {
    app.user = await call<User>('session_login', { pin });
  } else {
    const out = await call<{ token: string; user: User }>('session_login', { pin });
    app.token = out.token;
    app.user = out.user;
  }
  watchStatus();
}

export async function logout(): Promise<void> {
  await call('session_logout').catch(() => undefined);
  dropSession();
}

function dropSession() {
  events?.close();
  events = null;
  app.token = null;
  app.user = null;
  app.status = null;
}

/** Status bar feed: the server's event stream in a browser, polling in the desktop app. */
function watchStatus() {
  if (!isTauri() && app.token) {
    events?.close();
    events = new EventSource(`/api/events?token=${encodeURIComponent(app.token)}`);
    events.addEventListener('status', (e) => {
      const data = JSON.parse((e as MessageEvent).data);
      if (!data.error) app.status = data as Status;
    });
    events.addEventListener('session_ended', () => dropSession());
    return;
  }
  const poll = async () => {
    if (!app.user) return;
    try {
      const [register, link] = await Promise.all([
        call<RegisterStatus>('register_status'),
        call<LinkStatus>('link_status'),
      ]);
      app.status = { register, link };
    } catch {
      /* the next poll tries again */
    }
    setTimeout(poll, 1000);
  };
  void poll();
}

/** What a screen shows for a failure: the localised sentence that says what to do, and
 * the core's own message as the detail for the service engineer. */
export interface ErrorView {
  text: string;
  detail: string;
}

export function errorView(e: unknown): ErrorView {
  const err = e instanceof ApiError ? e : new ApiError('internal', String(e));
  return { text: errorText(err.code, app.lang), detail: err.message };
}
