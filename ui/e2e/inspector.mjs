// End-to-end run of the tax inspector's workstation (R-83…R-88) against
// `sauda serve --demo` over HTTPS with its generated certificate, in Debian's headless
// Chromium through playwright-core. The register's data is made through the API over
// plain HTTP (a manager's sales, a Z, another sale); the inspector then reads it
// through the page. Saves screenshots to e2e/out/.
//
// Usage: SAUDA_BIN=path/to/sauda node e2e/inspector.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { after, checks, launchChromium, out, startDemo } from './harness.mjs';

const demo = startDemo('inspector-e2e', ['--tls-listen', '127.0.0.1:0'], (lines) => {
  const pos = after(lines, 'Cashier page: ');
  const inspector = after(lines, 'Inspector workstation: ');
  const login = /^Inspector login: (\S+) \/ password: (\S+)/.exec(lines.find((l) => l.startsWith('Inspector login: ')) ?? '');
  const cert = /^TLS certificate .* \(SHA-256 fingerprint ([0-9A-F:]+)\)/.exec(lines.find((l) => l.startsWith('TLS certificate ')) ?? '');
  return pos && inspector && login && cert ? { pos, inspector, login: login[1], password: login[2], fingerprint: cert[1] } : null;
});
const tmp = demo.tmp;
const { check, failures, finish } = checks('inspector e2e');

/** The certificate the HTTPS listener presents, as the SHA-256 fingerprint sauda prints. */
function presentedFingerprint(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
  });
}

const tenge = (tiyn) => {
  const t = String(Math.floor(tiyn / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${t},${String(tiyn % 100).padStart(2, '0')}`;
};

let browser;
try {
  const srv = await demo.started;
  const httpBase = new URL(srv.pos).origin;
  const api = async (name, input, token, headers = {}) => {
    const r = await fetch(`${httpBase}/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(input ?? null),
    });
    const body = await r.json();
    if (!r.ok) throw Object.assign(new Error(`${name}: ${r.status} ${body.code} ${body.message}`), { status: r.status, code: body.code });
    return body;
  };

  check('the printed certificate is the one the HTTPS listener presents',
    (await presentedFingerprint(srv.inspector)) === srv.fingerprint, srv.fingerprint);

  // The register's day: a manager puts cash in, sells three times, closes the shift
  // with a Z, and sells once more in the next shift.
  const manager = (await api('session_login', { pin: '4321' })).token;
  await api('cash_deposit', { amount_tiyn: 1000000 }, manager);
  const sales = [
    { name: 'Нан', price_tiyn: 25000, quantity_milli: 2000, kind: 'cash' },
    { name: 'Сүт 2,5%', price_tiyn: 48000, quantity_milli: 1000, kind: 'card' },
    { name: 'Қант', price_tiyn: 125050, quantity_milli: 1000, kind: 'cash' },
  ];
  const receipts = [];
  const sell = async (s) => {
    const amount = Math.round((s.price_tiyn * s.quantity_milli) / 1000);
    const r = await api('receipt_sell', {
      items: [{ name: s.name, price_tiyn: s.price_tiyn, quantity_milli: s.quantity_milli }],
      payments: [{ kind: s.kind, amount_tiyn: amount }],
    }, manager);
    receipts.push({ number: r.number, total: r.total_tiyn, sign: r.fiscal_sign });
  };
  for (const s of sales) await sell(s);
  const z = await api('shift_close', {}, manager);
  await sell({ name: 'Су', price_tiyn: 30000, quantity_milli: 1000, kind: 'cash' });
  const salesTotal = receipts.reduce((a, r) => a + r.total, 0);
  check('four sales made through the API', receipts.length === 4 && salesTotal === 253050, `${tenge(salesTotal)} ₸`);

  // The server keeps the inspector to reading: a sale with the inspector's session is refused.
  const inspectorToken = (await api('inspector_login', { login: srv.login, password: srv.password })).token;
  const refused = await api('receipt_sell', {
    items: [{ name: 'x', price_tiyn: 100, quantity_milli: 1000 }],
    payments: [{ kind: 'cash', amount_tiyn: 100 }],
  }, inspectorToken).then(() => null, (e) => e);
  check('the server refuses a sale by the inspector', refused?.code === 'forbidden', refused ? `${refused.status} ${refused.code}` : 'sold');
  await api('session_logout', null, inspectorToken);

  browser = await launchChromium();

  // pos.html?register=ID names its register on every call and in the event stream.
  {
    const pos = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const seen = [];
    pos.on('request', (r) => {
      if (r.url().includes('/api/')) seen.push({ url: r.url(), register: r.headers()['x-register'] });
    });
    await pos.goto(`${srv.pos}?register=register`);
    await pos.locator('[data-testid="demo-badge"]').waitFor();
    await pos.locator('[data-testid="pin"]').fill('5678');
    await pos.keyboard.press('Enter');
    await pos.locator('[data-testid="scan"]').waitFor();
    await pos.waitForFunction(() => document.querySelector('[data-testid="link-state"]'));
    await pos.waitForTimeout(300);
    const calls = seen.filter((s) => /\/api\/(?!events)/.test(s.url));
    check('pos.html?register= sends X-Register on every call', calls.length > 0 && calls.every((s) => s.register === 'register'),
      calls.map((s) => `${s.url.replace(/.*\/api\//, '')}=${s.register}`).join(', '));
    check('and names the register in the event stream', seen.some((s) => s.url.includes('/api/events?') && s.url.includes('&register=register')));
    await pos.close();
  }

  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1024, height: 768 },
    locale: 'ru-RU',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const registerCalls = [];
  page.on('request', (r) => {
    const m = /\/api\/([a-z_]+)/.exec(r.url());
    if (m && !['inspector_login', 'register_list', 'audit_log', 'session_logout'].includes(m[1])) {
      registerCalls.push(`${m[1]}=${r.headers()['x-register'] ?? ''}`);
    }
  });
  const el = (id) => page.locator(`[data-testid="${id}"]`);
  const text = (id) => el(id).first().innerText();
  const shot = (name, options = {}) => page.screenshot({ path: path.join(out, `${name}.png`), ...options });

  await page.goto(srv.inspector);
  await el('login').waitFor();
  await el('lang-kk').click();
  check('the login page is in Kazakh', (await page.locator('h1').innerText()) === 'Инспектордың кіруі', await page.locator('h1').innerText());

  // A wrong password is refused with a sentence in the chosen language.
  await el('login').fill(srv.login);
  await el('password').fill('not-the-password');
  await el('password').press('Enter');
  await el('error').waitFor();
  check('a wrong password is refused in Kazakh', (await text('error')).includes('Логин немесе құпиясөз қате'), await text('error'));
  await shot('inspector-login-kk');
  await el('lang-ru').click();
  check('and in Russian after switching', (await text('error')).includes('Неверный логин или пароль'), await text('error'));
  check('never the server\'s English text', !/wrong|password/i.test(await text('error')));
  await el('lang-kk').click();

  await el('password').fill(srv.password);
  await el('sign-in').click();
  await el('period-report').waitFor();
  check('the inspector is logged in by name', (await text('inspector-name')).includes('инспектор'), await text('inspector-name'));
  check('the page says it is read only', (await text('read-only')).includes('Тек оқу'), await text('read-only'));
  check('the one register is preselected', (await el('register').inputValue()) === 'register', await el('register').inputValue());
  check('the period note says how shifts are counted', (await text('period-note')).includes('Z-есебі'), await text('period-note'));

  // The period report: both shifts, Z-0001 with its checksums, and totals that match.
  const shiftRows = await el('shift-row').count();
  check('the period report lists both shifts', shiftRows === 2, `${shiftRows} rows`);
  check('the first shift is Z-0001', (await el('shift-row').first().innerText()).includes(`Z-${z.z_number}`), await el('shift-row').first().innerText());
  const sellRow = await text('op-2');
  check('period sales total is the sum of the four sales', sellRow.includes(tenge(salesTotal)) && /\b4\b/.test(sellRow), sellRow);
  // …and the sum of the Z of shift 1 and the X of the open shift, as the register counts them.
  const inspector2 = (await api('inspector_login', { login: srv.login, password: srv.password })).token;
  const z1 = await api('report_z_get', { shift: 1 }, inspector2);
  const x2 = await api('report_x', {}, inspector2);
  const sold = (r) => r.report.tickets.find((t) => t.operation === 2)?.sum ?? 0;
  check('it matches the Z report plus the open shift\'s X', sold(z1) + sold(x2) === salesTotal, `${tenge(sold(z1))} + ${tenge(sold(x2))}`);
  await api('session_logout', null, inspector2);
  check('revenue of the period', (await text('period-totals-revenue')).startsWith(tenge(salesTotal)), await text('period-totals-revenue'));
  check('the identity block names the register', (await text('id-rnm')) === 'DEMO00000001' && (await text('id-bin')).length === 12);
  check('taken by the inspector', (await text('taken-by')).includes('инспектор'), await text('taken-by'));
  const vat = await text('period-totals-vat');
  check('VAT of the period is shown', vat.includes('16'), vat.replace(/\s+/g, ' '));
  check('the registration is in the history', (await text('registrations')).includes('Тіркеу'), (await text('registrations')).replace(/\s+/g, ' ').slice(0, 120));
  // Readable at 1024×768: the tabs fit one row and nothing runs off the page sideways.
  const layout = async () => page.evaluate(() => {
    const tops = [...document.querySelectorAll('[role="tab"]')].map((t) => t.getBoundingClientRect().top);
    const main = document.querySelector('main');
    const controls = document.querySelector('.controls');
    return {
      oneRow: new Set(tops).size === 1,
      noSideScroll: main.scrollWidth <= main.clientWidth && document.documentElement.scrollWidth <= window.innerWidth,
      controlsOneRow: new Set([...controls.children].map((c) => Math.round(c.getBoundingClientRect().bottom))).size === 1,
    };
  });
  for (const lang of ['kk', 'ru']) {
    await el(`lang-${lang}`).click();
    const l = await layout();
    check(`at 1024×768 in ${lang} the tabs and the controls fit one row, nothing cut sideways`, l.oneRow && l.noSideScroll && l.controlsOneRow, JSON.stringify(l));
  }
  await el('lang-kk').click();
  await shot('inspector-period-kk');
  await page.setViewportSize({ width: 1280, height: 800 });
  await el('lang-ru').click();
  check('the period report in Russian', (await text('period-report')).includes('Фискальный отчёт за период'));
  await shot('inspector-period-ru');
  await el('lang-kk').click();

  // A day that does not exist is caught before asking the server, in words.
  const fromText = await el('from').inputValue();
  check('the period is shown as people write days', /^\d{2}\.\d{2}\.\d{4}$/.test(fromText), fromText);
  await el('from').fill('31.02.2026');
  await el('show').click();
  await el('bad-period').waitFor();
  check('a day that does not exist is refused in words', (await text('bad-period')).includes('Кезең қате'), await text('bad-period'));
  await el('from').fill(fromText);
  await el('show').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="bad-period"]'));

  // A fresh integrity check of the whole journal.
  await el('verify').click();
  await el('verify-result').waitFor({ timeout: 30000 });
  check('the integrity check finds the journal intact', (await el('verify-result').getAttribute('data-ok')) === 'true' && (await text('verify-result')).includes('Журнал тұтас'), await text('verify-result'));
  // The tall report, scrolled to its totals, for a look at the rest of it.
  await el('registrations').scrollIntoViewIfNeeded();
  await shot('inspector-period-totals-kk');
  await page.setViewportSize({ width: 1024, height: 768 });

  // Z reports: a shift chosen from the period report opens its Z with its checksums.
  const fullShiftChecksum = await el('shift-row').first().locator('code').first().getAttribute('title');
  await el('open-z').first().click();
  await el('z-report').waitFor();
  check('the Z report of shift 1 opens', (await text('z-report-title')).includes(`Z-${z.z_number}`), await text('z-report-title'));
  check('with the same shift checksum as the period report and the Z itself',
    (await text('z-report-shift-checksum')) === fullShiftChecksum && fullShiftChecksum === z.shift_checksum, fullShiftChecksum ?? '');
  check('and its sales', (await text('z-report-totals-operations')).includes(tenge(sold(z1))));
  await el('lang-ru').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="z-report-title"]')?.textContent?.includes('Z-отчёт'));
  await shot('inspector-z-ru');
  await el('lang-kk').click();
  // Keyboard: the list moves with arrows and opens with Enter.
  await el('z-row').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.detail .info'));
  check('the open shift has no Z yet, and the page says so', (await page.locator('.detail .info').innerText()).includes('ашық'));

  // X report now, by cashier, by section.
  await el('tab-x').click();
  await el('x-report').waitFor();
  check('the X report of the open shift', (await text('x-report-totals-operations')).includes(tenge(sold(x2))));
  await shot('inspector-x-kk');
  await el('tab-cashier').click();
  await el('cashier-row').first().waitFor();
  check('by cashier names the manager', (await text('by-cashier')).includes('Мұрат'), (await text('by-cashier')).replace(/\s+/g, ' '));
  await shot('inspector-cashier-kk');
  await el('tab-section').click();
  await el('section-row').first().waitFor();
  check('by section shows the sales', (await text('by-section')).includes(tenge(salesTotal)));

  // Documents of the period, found by number and by amount.
  await el('tab-documents').click();
  await el('doc-row').first().waitFor();
  const allDocs = await el('doc-row').count();
  check('the period\'s documents are listed', allDocs === 5, `${allDocs} rows (the deposit and four sales)`);
  const milk = receipts[1];
  await el('doc-search').fill(String(milk.number));
  await page.waitForFunction((n) => {
    const rows = document.querySelectorAll('[data-testid="doc-row"]');
    return rows.length === 1 && rows[0].querySelector('[data-testid="doc-number"]')?.textContent === String(n);
  }, milk.number);
  check('a receipt number finds one row', true, (await el('doc-row').innerText()).replace(/\s+/g, ' '));
  check('with its fiscal sign', (await el('doc-row').innerText()).includes(milk.sign));
  await shot('inspector-documents-kk');
  await el('doc-search').fill('1 250,50');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="doc-row"]').length === 1
    && document.querySelector('[data-testid="doc-row"]')?.textContent?.includes('1\u00a0250,50'));
  check('an amount finds the receipt', (await el('doc-row').innerText()).includes(String(receipts[2].number)));
  await el('doc-search').fill('999999');
  await el('doc-empty').waitFor();
  check('an unknown number finds nothing, and says so', (await text('doc-empty')).includes('Ештеңе табылмады'));

  await el('tab-autonomous').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="autonomous"] td.empty'));
  check('no autonomous periods, said in words', (await text('autonomous')).includes('автономды режим болған жоқ'));
  await el('tab-messages').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="messages"] td.empty'));
  check('no operator messages, said in words', (await text('messages')).includes('хабарламалары жоқ'));

  // Export: one JSON Lines file, a header line and one line a record.
  const [download] = await Promise.all([page.waitForEvent('download'), el('export').click()]);
  const file = path.join(tmp, download.suggestedFilename());
  await download.saveAs(file);
  await el('export-done').waitFor();
  const exported = readFileSync(file, 'utf8').trimEnd().split('\n');
  let parsed = [];
  try {
    parsed = exported.map((l) => JSON.parse(l));
  } catch (e) {
    check('every exported line is JSON', false, String(e));
  }
  const [head, ...records] = parsed;
  check('the export file is named by RNM and period', /^sauda-DEMO00000001-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.jsonl$/.test(download.suggestedFilename()), download.suggestedFilename());
  check('its first line is the header', head?.format === 'sauda-journal-export' && head?.version === 1 && head?.register?.rnm === 'DEMO00000001' && /^0{64}$/.test(head?.previous_checksum ?? ''), JSON.stringify(head).slice(0, 160));
  check('then the records, in order, each with its checksum', records.length > 0 && records.every((r, i) => r.seq === i + 1 && /^[0-9a-f]{64}$/.test(r.checksum) && typeof r.payload_hex === 'string'), `${records.length} records`);
  check('holding the receipts', records.filter((r) => r.kind === 'receipt').length === 4);
  check('the page counts what it saved', (await text('export-done')).includes(String(records.length)), await text('export-done'));

  // The access log lists this session's login and what was read and exported.
  await el('tab-audit').click();
  await el('audit-row').first().waitFor();
  const actions = await el('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
  check('the access log lists the login', actions.includes('login'), actions.slice(0, 12).join(', '));
  check('and the failed login', actions.includes('login_failed'));
  check('and the export', actions.includes('export'));
  await shot('inspector-audit-kk');

  // Nothing on the page writes: every button is a reading one.
  const readOnlyButtons = new Set(['lang-kk', 'lang-ru', 'logout', 'show', 'export', 'print', 'verify', 'open-z',
    'x-refresh', 'audit-refresh', ...['period', 'z', 'x', 'cashier', 'section', 'documents', 'autonomous', 'messages', 'audit'].map((t) => `tab-${t}`)]);
  const buttons = await page.locator('button').evaluateAll((bs) => bs.map((b) => `${b.getAttribute('data-testid')}|${b.textContent?.trim()}`));
  const writing = buttons.filter((b) => !readOnlyButtons.has(b.split('|')[0]));
  check('the page has no write buttons', writing.length === 0, writing.join('; ') || `${buttons.length} reading buttons`);
  const inputs = await page.locator('input, select, textarea').evaluateAll((xs) => xs.map((x) => x.getAttribute('data-testid')));
  check('and no fields but register, period and search', inputs.every((i) => ['register', 'from', 'to', 'doc-search'].includes(i)), inputs.join(', '));

  // Print: the period report alone, on white, controls hidden.
  await el('tab-period').click();
  await page.emulateMedia({ media: 'print' });
  check('print hides the controls', !(await el('tab-period').isVisible()) && !(await el('show').isVisible()));
  check('and prints the period report', await el('period-report').isVisible());
  // As wide as an A4 page's printable area (190 mm at 96 dpi), where a report must fit.
  await page.setViewportSize({ width: 718, height: 1000 });
  const printLayout = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  check('the printed report fits an A4 page\'s width', printLayout);
  await shot('inspector-print-kk', { fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.emulateMedia({ media: 'screen' });
  // The browser's print dialog: window.print is called (stubbed, it would block headless).
  await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  await el('tab-documents').click();
  await el('print').click();
  await page.waitForFunction(() => window.__printed === 1);
  check('Print opens the print dialog on the period report', await el('period-report').isVisible());

  // Logging out ends the session: the page is back at the login.
  await el('logout').click();
  await el('login').waitFor();
  check('logout returns to the login', await el('password').isVisible());
  check('every register command named the register in X-Register',
    registerCalls.length > 10 && registerCalls.every((c) => c.endsWith('=register')), `${registerCalls.length} calls`);

  // A session that ends on the server (expired) sends the inspector back to the login
  // with a sentence; here the server's answer is played by the test.
  await el('login').fill(srv.login);
  await el('password').fill(srv.password);
  await el('sign-in').click();
  await el('period-report').waitFor();
  await page.route('**/api/audit_log', (route) => route.fulfill({
    status: 401,
    contentType: 'application/json',
    body: JSON.stringify({ code: 'session_required', message: 'the session has ended or was never opened: log in with your PIN' }),
  }));
  await el('tab-audit').click();
  await el('session-ended').waitFor();
  check('an expired session returns to the login with a sentence', (await text('session-ended')).includes('Сеанс аяқталды'), await text('session-ended'));
  await page.unroute('**/api/audit_log');

  // Guessing the password locks the account for a while (last: it stays locked), and
  // the page says so in words with the minutes to wait, not the server's English.
  let locked = '';
  for (let i = 0; i < 8 && !locked; i++) {
    await el('login').fill(srv.login);
    await el('password').fill(`guess-${i}`);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/inspector_login')), el('sign-in').click()]);
    await el('error').waitFor();
    const t = await text('error');
    if (t.includes('тым көп')) locked = t;
  }
  check('repeated wrong passwords lock the login, said in Kazakh', locked !== '' && !/[a-z]{3}/i.test(locked), locked);
  check('no errors in the page', pageErrors.length === 0, pageErrors.join('; '));
} catch (e) {
  failures.push(String(e));
  console.error(e);
} finally {
  await browser?.close();
  demo.stop();
}
finish();
