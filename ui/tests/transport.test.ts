import { describe, expect, it } from 'vitest';
import { ApiError, httpTransport, tauriTransport } from '../src/lib/transport';

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit }) {
  return async (url: string, init: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
}

describe('the browser transport', () => {
  it('posts the input as JSON with the session token', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const t = httpTransport('', fakeFetch(200, { number: 7 }, seen));
    const out = await t.call('receipt_sell', { items: [] }, 'abc');
    expect(out).toEqual({ number: 7 });
    expect(seen.url).toBe('/api/receipt_sell');
    expect(seen.init?.method).toBe('POST');
    expect((seen.init?.headers as Record<string, string>).Authorization).toBe('Bearer abc');
    expect(seen.init?.body).toBe('{"items":[]}');
  });

  it('adds the extra headers, fixed or asked for at each call', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const fixed = httpTransport('', fakeFetch(200, {}, seen), { 'X-Register': 'shop-2' });
    await fixed.call('register_status', null, 'abc');
    let headers = seen.init?.headers as Record<string, string>;
    expect(headers['X-Register']).toBe('shop-2');
    expect(headers.Authorization).toBe('Bearer abc');
    expect(headers['Content-Type']).toBe('application/json');

    let register = 'a';
    const asked = httpTransport('', fakeFetch(200, {}, seen), () => ({ 'X-Register': register }));
    await asked.call('report_x', null, 'abc');
    expect((seen.init?.headers as Record<string, string>)['X-Register']).toBe('a');
    register = 'b';
    await asked.call('report_x', null, 'abc');
    headers = seen.init?.headers as Record<string, string>;
    expect(headers['X-Register']).toBe('b');
  });

  it('sends no register header unless asked to', async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    await httpTransport('', fakeFetch(200, {}, seen)).call('register_status', null, null);
    expect(Object.keys(seen.init?.headers as Record<string, string>)).toEqual(['Content-Type']);
  });

  it('turns an error answer into an ApiError with its code', async () => {
    const t = httpTransport('', fakeFetch(409, { code: 'shift_expired', message: 'close the shift' }, {}));
    await expect(t.call('receipt_sell', {}, 'abc')).rejects.toMatchObject({ code: 'shift_expired', message: 'close the shift' });
  });

  it('reports an unreachable server as a network error', async () => {
    const t = httpTransport('', async () => { throw new TypeError('Failed to fetch'); });
    const e = (await t.call('register_status', null, null).catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.code).toBe('network');
  });
});

describe('the desktop transport', () => {
  it('calls the one Tauri command with the name and input', async () => {
    let seen: unknown;
    const t = tauriTransport(async (cmd, args) => { seen = { cmd, args }; return { ok: true }; });
    expect(await t.call('report_x', null, null)).toEqual({ ok: true });
    expect(seen).toEqual({ cmd: 'call', args: { name: 'report_x', input: null } });
  });

  it('keeps the error code the shell sends', async () => {
    const t = tauriTransport(async () => { throw { code: 'forbidden', message: 'ask a manager' }; });
    await expect(t.call('shift_close', null, null)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the till on a server of several registers', () => {
  it('reads the register from pos.html?register=ID', async () => {
    const { registerFromUrl } = await import('../src/lib/api.svelte');
    expect(registerFromUrl('?register=shop-2')).toBe('shop-2');
    expect(registerFromUrl('?lang=kk&register=%20a1%20')).toBe('a1');
    expect(registerFromUrl('')).toBeNull();
    expect(registerFromUrl('?register=')).toBeNull();
  });
});
