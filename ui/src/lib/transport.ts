// The one way the UI talks to the core: call(name, input). Inside the desktop app the
// transport is Tauri's `invoke('call', …)`; in a browser it is `POST /api/{name}` with
// the session token. Both answer the command's output or throw an ApiError whose
// `code` is what the screens branch on (never the message text).

export type ErrorCode =
  | 'validation' | 'wrong_pin' | 'login_locked' | 'session_required' | 'forbidden'
  | 'not_registered' | 'already_registered' | 'shift_expired' | 'shift_open'
  | 'shift_closed' | 'clock_behind' | 'not_found' | 'over_return' | 'insufficient_cash' | 'discount_limit'
  | 'marking_required' | 'marking_duplicate'
  | 'integrity_blocked' | 'autonomous_limit' | 'printer_fault' | 'link_blocked'
  | 'key_unavailable' | 'storage' | 'internal' | 'network';

/** A problem behind a validation error, worded by `problems.ts` in the screen's language. */
export type ApiProblem = import('./problems').ProblemLike;

export class ApiError extends Error {
  constructor(
    public code: ErrorCode,
    message: string,
    public problems: ApiProblem[] = [],
  ) {
    super(message);
  }
}

function problemsOf(body: unknown): ApiProblem[] {
  const list = (body as { problems?: unknown } | null)?.problems;
  return Array.isArray(list) ? (list as ApiProblem[]) : [];
}

export interface Transport {
  call(name: string, input: unknown, token: string | null): Promise<unknown>;
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Headers sent with every call: fixed, or asked for at each call (the inspector's
 *  register can change between calls). */
export type ExtraHeaders = Record<string, string> | (() => Record<string, string>);

/** The browser transport: JSON over POST /api/{name}. `extra` adds headers to every
 *  call, e.g. `X-Register` on a server that holds several registers. */
export function httpTransport(
  base = '',
  fetcher: FetchLike = (u, i) => fetch(u, i),
  extra: ExtraHeaders = {},
): Transport {
  return {
    async call(name, input, token) {
      const headers: Record<string, string> = {
        ...(typeof extra === 'function' ? extra() : extra),
        'Content-Type': 'application/json',
      };
      if (token) headers.Authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await fetcher(`${base}/api/${name}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? null),
        });
      } catch (e) {
        throw new ApiError('network', String(e));
      }
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        const code = (body && typeof body.code === 'string' ? body.code : 'internal') as ErrorCode;
        throw new ApiError(code, body?.message ?? `HTTP ${response.status}`, problemsOf(body));
      }
      return body;
    },
  };
}

type Invoke = (cmd: string, args: Record<string, unknown>) => Promise<unknown>;

/** The desktop transport: one Tauri command `call` that runs `dispatch` in-process. */
export function tauriTransport(invoke: Invoke): Transport {
  return {
    async call(name, input) {
      try {
        return await invoke('call', { name, input: input ?? null });
      } catch (e) {
        const err = e as { code?: string; message?: string };
        throw new ApiError((err.code ?? 'internal') as ErrorCode, err.message ?? String(e), problemsOf(e));
      }
    },
  };
}

export function isTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
