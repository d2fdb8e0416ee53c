// The till's shared state: the session, the language, the latest status from the
// event stream, and the transport. Screens read it; only `login`/`logout`/`call`
// change the session. Nothing here knows a fiscal rule.

import { ApiError, httpTransport, isTauri, tauriTransport, type Transport } from './transport';
import type { Lang } from './money';
import { errorText } from './i18n';
import { problemText } from './problems';
import type { Commands } from './generated/commands';
import type { Caller as User } from './generated/Caller';
import type { HeaderOut as Header } from './generated/HeaderOut';
import type { StatusOut as RegisterStatus } from './generated/StatusOut';
import type { LinkStatus } from './generated/LinkStatus';

// The core's types, generated from its DTOs by `cargo test` (src/commands/mod.rs).
export type { Caller as User } from './generated/Caller';
export type { HeaderOut as Header } from './generated/HeaderOut';
export type { StatusOut as RegisterStatus } from './generated/StatusOut';
export type { LinkStatus } from './generated/LinkStatus';

export interface Status {
  register: RegisterStatus;
  link: LinkStatus;
}

/** One line as the core lays out receipts and reports (`receipt_layout::Line`). */
export type { Line as PaperLine } from './generated/Line';

async function makeTransport(): Promise<Transport> {
  if (isTauri()) {
    const { invoke } = await import('@tauri-apps/api/core');
    return tauriTransport(invoke);
  }
  return httpTransport('', undefined, registerHeaders());
}

/** On a server that holds several registers the page is opened as
 *  `pos.html?register=ID`: every call then names that register. */
export function registerFromUrl(search = globalThis.location?.search ?? ''): string | null {
  const id = new URLSearchParams(search).get('register')?.trim();
  return id ? id : null;
}

function registerHeaders(): Record<string, string> {
  const id = registerFromUrl();
  return id ? { 'X-Register': id } : {};
}

const LANG_KEY = 'sauda.lang';

export const app = $state({
  lang: (globalThis.localStorage?.getItem(LANG_KEY) as Lang | null) ?? ('kk' as Lang),
  token: null as string | null,
  user: null as User | null,
  status: null as Status | null,
  header: null as Header | null,
});

/** Loads the register's header for the login page (shop name, DEMO badge). */
export async function loadHeader(): Promise<void> {
  try {
    app.header = await call('register_header');
    // The login screen speaks the till's language (settings), not the last user's.
    if (!app.user && (app.header.default_lang === 'kk' || app.header.default_lang === 'ru')) {
      setLang(app.header.default_lang);
    }
  } catch {
    /* the login page works without it; the status bar shows it after login */
  }
}

let transport: Transport | null = null;
let events: EventSource | null = null;
let unlisten: (() => void) | null = null;

export function setLang(lang: Lang) {
  app.lang = lang;
  globalThis.localStorage?.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

/** Runs a command of the core's table; input and output types come from that table. */
export async function call<K extends keyof Commands>(
  name: K,
  input: Commands[K]['input'] | null = null,
): Promise<Commands[K]['output']> {
  return (await send(name, input)) as Commands[K]['output'];
}

/** A command of the desktop shell itself, outside the core's table (the inspector's
 *  LAN server, the receipt printer's setup); only the Tauri transport knows them. */
export async function shellCall<T>(
  name:
    | 'lan_server_status'
    | 'lan_server_set'
    | 'printer_status'
    | 'printer_profiles'
    | 'printer_discover'
    | 'printer_test'
    | 'printer_set',
  input: unknown = null,
): Promise<T> {
  return (await send(name, input)) as T;
}

/** The transport itself, for the two session calls whose answer differs by shell. */
async function send(name: string, input: unknown): Promise<unknown> {
  transport ??= await makeTransport();
  try {
    return await transport.call(name, input, app.token);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'session_required') dropSession();
    throw e;
  }
}

export async function login(pin: string): Promise<void> {
  if (isTauri()) {
    app.user = await call('session_login', { pin });
  } else {
    // Over HTTP the server wraps the caller with its session token.
    const out = (await send('session_login', { pin })) as { token: string; user: User };
    app.token = out.token;
    app.user = out.user;
  }
  watchStatus();
}

export async function logout(): Promise<void> {
  await send('session_logout', null).catch(() => undefined);
  dropSession();
}

function dropSession() {
  events?.close();
  events = null;
  unlisten?.();
  unlisten = null;
  app.token = null;
  app.user = null;
  app.status = null;
  void loadHeader();
}

/** Status bar feed: the server's event stream in a browser, the app's `status` events
 * in the desktop window (src-tauri/src/status.rs); both carry `{register, link}`. */
function watchStatus() {
  if (isTauri()) {
    void (async () => {
      const { listen } = await import('@tauri-apps/api/event');
      unlisten?.();
      unlisten = await listen<Status>('status', (e) => {
        if (app.user) app.status = e.payload;
      });
      // The first event may come half a second later; the bar should not wait for it.
      try {
        const [register, link] = await Promise.all([
          call('register_status'),
          call('link_status'),
        ]);
        app.status ??= { register, link };
      } catch {
        /* the events fill the bar */
      }
    })();
    return;
  }
  if (!app.token) return;
  events?.close();
  // EventSource sends no headers: the token and the register travel in the query.
  const register = registerFromUrl();
  const query = `token=${encodeURIComponent(app.token)}${register ? `&register=${encodeURIComponent(register)}` : ''}`;
  events = new EventSource(`/api/events?${query}`);
  events.addEventListener('status', (e) => {
    const data = JSON.parse((e as MessageEvent).data);
    if (!data.error) app.status = data as Status;
  });
  events.addEventListener('session_ended', () => dropSession());
}

/** The picture of a printed document: the server serves the virtual printer's folder
 * under /paper/, the desktop app under its own `paper:` protocol (Windows' webview
 * reaches custom protocols as http://NAME.localhost). `version` > 0 makes the browser
 * fetch it again after a reprint replaced the picture. */
export function paperUrl(number: number, version = 0): string {
  const query = new URLSearchParams();
  if (version > 0) query.set('v', String(version));
  // An <img> sends no headers: the server wants the session in the query.
  if (!isTauri()) query.set('token', app.token ?? '');
  const text = query.toString();
  const tail = text ? `?${text}` : '';
  if (!isTauri()) return `/paper/${number}.png${tail}`;
  return navigator.userAgent.includes('Windows')
    ? `http://paper.localhost/${number}.png${tail}`
    : `paper://localhost/${number}.png${tail}`;
}

/** What a screen shows for a failure: the localised sentence that says what to do, and
 * the core's own message as the detail for the service engineer. */
export interface ErrorView {
  text: string;
  detail: string;
}

export function errorView(e: unknown): ErrorView {
  const err = e instanceof ApiError ? e : new ApiError('internal', String(e));
  // A getter, so the sentence follows a language switch made after the error.
  return {
    get text() {
      // The core's problems, each in the screen's language, say more than the code.
      if (err.problems.length) return err.problems.map((p) => problemText(p, app.lang)).join('; ');
      return errorText(err.code, app.lang);
    },
    detail: err.message,
  };
}

/** Scans of a USB-COM scanner read by the desktop shell (src-tauri/src/scanner.rs),
 *  already looked up by the core; none in a browser, where scanners type as keys. */
export async function onSerialScan(handle: (out: import('./generated/ScanOut').ScanOut) => void): Promise<() => void> {
  if (!isTauri()) return () => {};
  const { listen } = await import('@tauri-apps/api/event');
  return listen<import('./generated/ScanOut').ScanOut>('scan', (e) => handle(e.payload));
}
