// End-to-end run of the cashier page against `sauda serve --demo` (real server, real
// register, the operator simulator, the virtual printer) in Debian's headless
// Chromium through playwright-core. Saves a screenshot of every screen in kk and ru
// to e2e/out/ and prints the scan→line latency figures.
//
// Usage: SAUDA_BIN=path/to/sauda node e2e/run.mjs
import net from 'node:net';
import path from 'node:path';
import { after, checks, launchChromium, out, startDemo } from './harness.mjs';

const demo = startDemo('e2e', ['--sim-control', '127.0.0.1:0'], (lines) => {
  const url = after(lines, 'Cashier page: ');
  const control = after(lines, 'Simulator control on ');
  return url && control ? { url, control } : null;
});
const { check, failures, finish } = checks('e2e');

function simControl(addr, command) {
  const [host, port] = addr.split(':');
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), host, () => s.write(`${command}\n`));
    s.on('data', (d) => { s.end(); resolve(d.toString().trim()); });
    s.on('error', reject);
  });
}

let browser;
try {
  const { url, control } = await demo.started;
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`) });
  const text = (id) => page.locator(`[data-testid="${id}"]`).innerText();
  const el = (id) => page.locator(`[data-testid="${id}"]`);
  // A scanner types a code in a few milliseconds. The burst is sent inside the page, as
  // the scanner's own keyboard would send it: driving it key by key from outside adds
  // the test machine's load between keys.
  const burst = async (code) => {
    await el('scan').focus();
    await page.evaluate((code) => {
      const input = document.querySelector('[data-testid="scan"]');
      for (const key of code) {
        input.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        input.value += key;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    }, code);
  };
  const lineCount = () => page.locator('[data-testid="lines"] tbody tr:not(:has(.empty))').count();

  await page.goto(url);
  // A demo register says so before anyone logs in (R-10), with the shop and its RNM.
  await el('demo-badge').waitFor();
  check('DEMO badge and the shop on the login page', (await text('shop')).includes('DEMO00000001'), await text('shop'));
  for (const lang of ['kk', 'ru']) {
    await el(`lang-${lang}`).click();
    await shot(`login-${lang}`);
  }
  await el('lang-kk').click();

  // A wrong PIN says so and lets the cashier try again.
  await el('pin').fill('0000');
  await el('login').click();
  await el('error').waitFor();
  check('wrong PIN is refused with a sentence', (await text('error')).includes('PIN-код қате'), await text('error'));
  await shot('login-wrong-pin-kk');

  await el('pin').fill('5678');
  await page.keyboard.press('Enter');
  await el('scan').waitFor();
  await el('link-state').waitFor();
  check('cashier logged in', (await text('user')).includes('Айгүл'));

  // Lines typed as a person types: "Нан 250", "3*120", a price alone.
  const latencies = [];
  for (const entry of ['Нан 250', 'Сүт 2,5% 3*480', '1250,50', 'Қант 0,5*900']) {
    await el('scan').fill(entry);
    const before = await page.locator('[data-testid="lines"] tbody tr').count();
    const t0 = Date.now();
    await el('scan').press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lines"] tbody tr').length > n || n === 1 && !document.querySelector('.empty'), before);
    latencies.push(Date.now() - t0);
  }
  check('four lines in the cart', (await page.locator('[data-testid="lines"] tbody tr').count()) === 4);
  check('running total', (await text('total')).startsWith('3\u00a0390,50'), await text('total'));
  // A scanner types a code in a few milliseconds: an unknown code is refused clearly.
  // The burst is sent inside the page, as the scanner's own keyboard would send it:
  // driving it key by key from outside adds the test machine's load between keys.
  await burst('4870001234566');
  await el('error').waitFor();
  // The core names the problem (R-75): the screen says which code and what to do.
  check('a code with a wrong check digit is refused, in Kazakh', (await text('error')).includes('4870001234566') && (await text('error')).includes('бақылау цифры'), await text('error'));
  await burst('4006381333931');
  await page.waitForFunction(() => document.querySelector('[data-testid="error"]')?.textContent?.includes('тауар жоқ'));
  check('an unknown scanned code is reported', (await text('error')).includes('тауар жоқ'), await text('error'));
  await shot('sale-kk');
  await el('lang-ru').click();
  await shot('sale-ru');
  await el('lang-kk').click();

  // Mixed payment: 1 000 ₸ by card, 5 000 ₸ cash tendered: change 2 609,50 ₸.
  await el('pay').click();
  await el('pay-card').fill('1000');
  await el('pay-cash').fill('5000');
  // The buyer asks for the IIN on the receipt and an e-receipt (R-7, R-8): a mistyped
  // IIN holds the payment back with a hint; a valid one goes through.
  await el('buyer-open').click();
  await el('buyer-iin').fill('870412300216');
  check('a wrong IIN holds the payment back', await el('confirm-pay').isDisabled(), 'confirm enabled');
  await el('buyer-iin').fill('870412300218');
  await el('buyer-contact').fill('buyer@example.kz');
  check('change shown before paying', (await text('change-preview')).startsWith('2\u00a0609,50'), await text('change-preview'));
  await shot('payment-kk');
  await el('lang-ru').click();
  await shot('payment-ru');
  await el('lang-kk').click();
  await el('confirm-pay').click();
  await el('receipt-done').waitFor();
  check('change after the sale', (await text('change')).startsWith('2\u00a0609,50'), await text('change'));
  check('fiscal sign from the operator', /Фискалдық белгі: \d+/.test(await text('sign')), await text('sign'));
  const firstReceipt = Number((await page.locator('[data-testid="receipt-done"] h2').innerText()).replace(/\D+/g, ''));
  await el('paper').waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="paper"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  await page.waitForFunction(() => document.querySelector('[data-testid="printer-state"]')?.textContent?.includes('дайын'));
  check('the status bar shows the printer ready after printing', true);
  await shot('receipt-kk');
  await el('lang-ru').click();
  await shot('receipt-ru');
  await el('lang-kk').click();
  // A reprint is a marked copy (item 84); the picture on screen becomes the copy.
  await el('reprint').click();
  await el('reprinted').waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="paper"]');
    return img && img.complete && img.naturalWidth > 0 && img.getAttribute('src')?.includes('?v=');
  });
  check('a reprint prints the marked copy', (await text('reprinted')).includes('Көшірмесі'), await text('reprinted'));
  await shot('receipt-copy-kk');
  // The electronic receipt on the screen (R-8): a QR of the check URL for the buyer's
  // phone, readable (the QR is checked against the URL in the core's tests).
  await el('e-receipt').click();
  await el('e-receipt-qr').waitFor();
  const qrText = await text('e-receipt-qr');
  check('the e-receipt shows its QR and check URL', (await page.locator('[data-testid="e-receipt-qr"] svg path').count()) === 1 && /https?:\/\//.test(qrText), qrText);
  check('the buyer\'s contact goes with the receipt to the operator', (await text('e-receipt-contact')).includes('@'), await text('e-receipt-contact'));
  await shot('receipt-electronic-kk');
  await el('lang-ru').click();
  await shot('receipt-electronic-ru');
  await el('lang-kk').click();
  await page.keyboard.press('Enter');
  await el('scan').waitFor();

  // The operator goes away: the next sale waits 5 s, then the till is autonomous.
  await simControl(control, 'down');
  await el('scan').fill('Су 300');
  await el('scan').press('Enter');
  await el('pay').click();
  await el('pay-cash').fill('300');
  await el('confirm-pay').click();
  await el('receipt-done').waitFor({ timeout: 20000 });
  check('autonomous sign while the operator is down', (await text('sign')).startsWith('Автономды белгі'), await text('sign'));
  // R-57, R-75: the notice under the receipt is worded in the screen's language.
  check('autonomous notice in Kazakh', (await text('notice-autonomous')).startsWith('Автономды режим: ОФД жауап бермейді'), await text('notice-autonomous'));
  await el('lang-ru').click();
  check('autonomous notice in Russian', (await text('notice-autonomous')).startsWith('Автономный режим: ОФД не отвечает'), await text('notice-autonomous'));
  await shot('receipt-autonomous-ru');
  await el('lang-kk').click();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="link-state"]')?.textContent?.includes('Автономды режим'), null, { timeout: 10000 });
  check('autonomous banner with the countdown', /Автономды режим: 7[01] сағ/.test(await text('link-state')), await text('link-state'));
  await shot('autonomous-kk');
  await el('lang-ru').click();
  await shot('autonomous-ru');
  await el('lang-kk').click();
  await simControl(control, 'up');
  await el('link-test').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="link-state"]')?.textContent?.includes('байланыс бар'), null, { timeout: 20000 });
  check('back online after the operator returns', true, await text('link-state'));

  // A buyer brings the bread of the first sale back: found by number, one line chosen.
  await el('nav-return').click();
  await el('return-find').fill('https://check.example?i=1&f=999999999999&s=1.00&t=20260101T000000');
  await el('return-find').press('Enter');
  await el('error').waitFor();
  check('a QR code of another register is refused with a reason', (await text('error')).includes('another register'), await text('error'));
  await el('return-find').fill(String(firstReceipt));
  await el('return-find').press('Enter');
  await el('return-original').waitFor();
  await el('return-qty-1').fill('5');
  check('returning more than was sold is stopped before sending', await el('return-invalid').isVisible());
  await el('return-all-1').click();
  await shot('return-kk');
  await el('lang-ru').click();
  await shot('return-ru');
  await el('lang-kk').click();
  await el('refund').click();
  await el('return-done').waitFor();
  check('the return refunds the bread', (await text('refund-total')).startsWith('250,00'), await text('refund-total'));
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="return-paper"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  await shot('return-done-kk');
  await el('return-again').click();
  await el('return-find').fill(String(firstReceipt));
  await el('return-find').press('Enter');
  await el('return-original').waitFor();
  check('what was returned is no longer returnable', (await el('return-qty-1').isDisabled()));
  await el('nav-sale').click();

  // The manager: cash in, cash out, X, reports by cashier and section, Z.
  await el('logout').click();
  await el('pin').fill('4321');
  await page.keyboard.press('Enter');
  await el('nav-shift').click();
  await el('cash-amount').fill('10000');
  await el('cash-in').click();
  await el('message').waitFor();
  await el('cash-amount').fill('2500');
  await el('cash-out').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="message"]')?.textContent?.includes('10'));
  await el('x-report').click();
  await el('report').waitFor();
  await shot('x-report-kk');
  await el('lang-ru').click();
  await shot('x-report-ru');
  await el('lang-kk').click();
  await el('by-cashier').click();
  await el('breakdown').waitFor();
  check('report by cashier names the cashier', (await text('paper-lines')).includes('Айгүл'), await text('paper-lines'));
  await shot('by-cashier-kk');
  await el('by-section').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="paper-lines"]')?.textContent?.includes('БӨЛІМДЕР'));
  await el('print-report').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="message"]')?.textContent?.includes('Басылды'));
  check('the section report prints', true);
  await el('lang-ru').click();
  await el('by-section').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="paper-lines"]')?.textContent?.includes('ОТЧЁТ ПО СЕКЦИЯМ'));
  await shot('by-section-ru');
  await el('lang-kk').click();
  // The journal: every document of the shift, found by number, reprinted as a copy.
  await el('journal-open').click();
  await el('journal-row').first().waitFor();
  const rows = await el('journal-row').count();
  check('the journal lists the shift\'s documents', rows >= 4, `${rows} rows`);
  await shot('journal-kk');
  await el('journal-search').fill(String(firstReceipt));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="journal-row"]').length === 1);
  check('the journal finds a receipt by its number', (await el('journal-row').innerText()).startsWith(String(firstReceipt)), await el('journal-row').innerText());
  await el('journal-reprint').click();
  await el('journal-printed').waitFor();
  check('a receipt is reprinted from the journal', (await text('journal-printed')).includes(String(firstReceipt)));
  await el('lang-ru').click();
  await el('journal-search').fill('');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="journal-row"]').length > 1);
  await shot('journal-ru');
  await el('lang-kk').click();
  await el('z-report').click();
  await el('z-confirm').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="report"] h2')?.textContent?.startsWith('Z-'));
  check('Z report closes the shift', (await page.locator('[data-testid="report"] h2').innerText()).startsWith('Z-0001'));
  await shot('z-report-kk');

  // The administrator adds a cashier and disables her; a disabled PIN no longer opens.
  await el('logout').click();
  await el('pin').fill('1234');
  await el('login').click();
  await el('nav-admin').click();
  await el('user-row').first().waitFor();
  await el('user-name').fill('Дәулет');
  await el('user-role').selectOption('cashier');
  await el('user-pin').fill('9876');
  await el('user-add').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="user-row"]')].some((r) => r.textContent?.includes('Дәулет')));
  check('the administrator adds a cashier', true);
  await shot('users-kk');
  await page.locator('[data-testid="user-row"]', { hasText: 'Дәулет' }).locator('[data-testid="user-disable"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="user-row"]')].some((r) => r.textContent?.includes('Дәулет') && r.textContent?.includes('өшірілген')));
  check('and disables her', true);
  await el('lang-ru').click();
  await shot('users-ru');
  await el('lang-kk').click();
  // Settings: with the shift closed (after the Z) the address changes and is journaled.
  await el('tab-settings').click();
  await el('set-address').fill('Астана қ., Жаңа к-сі, 2 / г. Астана, ул. Новая, 2');
  await el('settings-save').click();
  await el('settings-saved').waitFor();
  check('the administrator changes the address with the shift closed', (await text('settings-saved')).includes('Мекенжайы'), await text('settings-saved'));
  await shot('settings-kk');
  await el('lang-ru').click();
  await shot('settings-ru');
  await el('lang-kk').click();
  // The login screen's language (R-75) and a discount limit, with one save; the next
  // logout greets in Russian. Then back to Kazakh and 10 % for the rest of the run.
  const saveSettings = async (lang, limit, word) => {
    await el('set-default-lang').selectOption(lang);
    await el('set-limit-cashier').fill(limit);
    await el('settings-save').click();
    await page.waitForFunction((w) => document.querySelector('[data-testid="settings-saved"]')?.textContent?.includes(w), word);
  };
  await saveSettings('ru', '15', 'Кіру экранының тілі');
  const savedText = await text('settings-saved');
  check('the login language and the cashier limit change in one save, nothing else', savedText.includes('Кассир жеңілдігінің шегі') && !savedText.includes('Менеджер'), savedText);
  await el('logout').click();
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Введите PIN-код');
  check('after a logout the login screen speaks the till language', true);
  await shot('login-default-ru');
  await el('pin').fill('1234');
  await el('login').click();
  await el('nav-admin').click();
  await el('tab-settings').click();
  check('the settings show the limit saved', (await el('set-limit-cashier').inputValue()) === '15', await el('set-limit-cashier').inputValue());
  await saveSettings('kk', '10', 'Язык экрана входа');
  await el('logout').click();
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'PIN-кодты енгізіңіз');
  await el('pin').fill('9876');
  await el('login').click();
  await el('error').waitFor();
  check('a disabled user cannot log in', !(await el('user').isVisible()), await text('error'));

  // Benchmark, not a check: a 100-line receipt. Enter → line visible for every line,
  // and the page's main-thread tasks over 50 ms (the browser's long tasks) meanwhile.
  await el('pin').fill('5678');
  await el('login').click();
  await el('scan').waitFor();
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__long.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
  });
  const base = await page.locator('[data-testid="lines"] tbody tr:not(:has(.empty))').count();
  const lineTimes = [];
  for (let i = 1; i <= 100; i++) {
    await el('scan').fill(`Тауар ${100 + i}`);
    const t0 = Date.now();
    await el('scan').press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="lines"] tbody tr').length === n, base + i);
    lineTimes.push(Date.now() - t0);
  }
  const long = await page.evaluate(() => window.__long);
  lineTimes.sort((a, b) => a - b);
  const pick = (q) => lineTimes[Math.min(lineTimes.length - 1, Math.floor(q * lineTimes.length))];
  console.log(`100-line receipt: Enter → line visible p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms, max ${lineTimes.at(-1)} ms; main-thread tasks over 50 ms: ${long.length}${long.length ? ` (longest ${Math.max(...long)} ms)` : ''}`);
  check('a 100-line receipt holds all its lines', (await page.locator('[data-testid="lines"] tbody tr').count()) === base + 100);
  await shot('sale-100-lines-kk');

  // A discount on the selected line: over the cashier's limit it is refused at payment
  // with a sentence and the cart kept; within it the sale goes through.
  await el('scan').fill('-25%');
  await el('scan').press('Enter');
  check('a line discount shows on its line', (await el('line-discount').first().innerText()).includes('25'), await el('line-discount').first().innerText());
  await el('pay').click();
  await el('pay-card').fill('');
  await page.locator('[data-testid="card-rest"]').click();
  await el('confirm-pay').click();
  await el('error').waitFor();
  check('a discount over the cashier\'s limit is refused with a sentence', (await text('error')).includes('менеджер'), await text('error'));
  await shot('discount-refused-kk');
  await page.keyboard.press('Escape');
  check('the cart is kept after the refusal', (await page.locator('[data-testid="lines"] tbody tr').count()) === base + 100);
  await el('scan').fill('-10%');
  await el('scan').press('Enter');
  await el('pay').click();
  await page.locator('[data-testid="card-rest"]').click();
  await el('confirm-pay').click();
  await el('receipt-done').waitFor();
  check('a discount within the limit goes through', true);

  // 25 hours later the shift is over its 24 hours (R-15): the status bar says so, a
  // sale is refused with a sentence, and the manager's Z closes it.
  await page.keyboard.press('Enter');
  check('the demo clock moves forward', (await simControl(control, 'clock +25')) === 'ok');
  await page.waitForFunction(() => document.querySelector('[data-testid="shift-state"]')?.textContent?.includes('24'));
  await el('scan').fill('250');
  await el('scan').press('Enter');
  await el('pay').click();
  await page.locator('[data-testid="card-rest"]').click();
  await el('confirm-pay').click();
  await el('error').waitFor();
  check('a sale in an expired shift is refused with a sentence', (await text('error')).includes('Z-есеп'), await text('error'));
  await shot('shift-expired-kk');
  await page.keyboard.press('Escape');
  await el('logout').click();
  await el('pin').fill('4321');
  await el('login').click();
  await el('nav-shift').click();
  await el('z-report').click();
  await el('z-confirm').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="report"] h2')?.textContent?.startsWith('Z-'));
  check('the manager closes the expired shift with Z', (await page.locator('[data-testid="report"] h2').innerText()).startsWith('Z-0002'), await page.locator('[data-testid="report"] h2').innerText());

  // The catalogue at the till (issue 7): the cashier scans the demo shop's goods.
  await el('logout').click();
  await el('pin').fill('5678');
  await el('login').click();
  await el('scan').waitFor();
  // The line of the refused sale is still in the cart: the cashier voids it.
  while ((await lineCount()) > 0) await page.locator('[data-testid="lines"] tbody tr button.danger').first().click();
  await burst('4870001010010');
  await burst('4870001010010');
  // The two lookups answer one after the other: wait for the second to join the line.
  await page.waitForFunction(() => document.querySelector('[data-testid="lines"] tbody')?.textContent?.includes('2 дана'), null, { timeout: 5000 }).catch(() => {});
  check('a scanned EAN adds the catalogue item, twice on one line', (await lineCount()) === 1 && (await text('lines')).includes('2 дана'), await text('lines'));
  await burst('2100001012502');
  await page.waitForFunction(() => document.querySelector('[data-testid="lines"] tbody')?.textContent?.includes('Апорт'));
  check('a label-scale code adds 1.25 kg of apples', (await text('lines')).includes('1,25 кг'), await text('lines'));
  await el('quick-key').nth(5).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lines"] tbody')?.textContent?.includes('Tassay'));
  check('a quick key adds its item', true);
  await burst('4870020020014');
  await page.waitForFunction(() => document.querySelector('[data-testid="error"]')?.textContent?.includes('DataMatrix'));
  check('cigarettes scanned by their EAN ask for the DataMatrix (R-101)', true, await text('error'));
  await burst('04870020020014Ab3!x9QMDEwMjAy');
  await el('prompt').waitFor();
  check('age-restricted goods ask for the buyer\'s age', (await text('prompt')).includes('21'), await text('prompt'));
  // The IIN on the buyer's ID card shows the age: a 16-year-old is refused, an adult is not.
  await el('age-iin').fill('100315600012');
  check('an under-21 IIN refuses the sale', (await el('prompt-yes').isDisabled()) && (await text('age-result')).includes('21'), await text('age-result'));
  await shot('sale-age-refused-kk');
  await el('age-iin').fill('900315300010');
  check('an adult IIN allows it', !(await el('prompt-yes').isDisabled()), await text('age-result'));
  await shot('sale-age-check-kk');
  await el('prompt-yes').click();
  await el('line-marks').waitFor();
  check('the marked pack is added with its code', (await text('line-marks')).includes('DataMatrix × 1'), await text('line-marks'));
  await el('scan').fill('қазы');
  await el('scan').press('Enter');
  await el('found-item').first().waitFor();
  await el('found-item').first().click();
  await el('prompt-value').waitFor();
  await el('prompt-value').fill('0,35');
  await el('prompt-value').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="lines"] tbody')?.textContent?.includes('0,35 кг'));
  check('a weighed item found by name asks for its weight', true);
  await shot('sale-catalogue-kk');
  await el('lang-ru').click();
  await shot('sale-catalogue-ru');
  await el('lang-kk').click();
  await el('pay').click();
  await page.locator('[data-testid="card-rest"]').click();
  await el('confirm-pay').click();
  await el('receipt-done').waitFor();
  check('the sale with a marked pack goes through', true);
  await page.keyboard.press('Enter');

  // The manager's catalogue: find, change a price, import a file with bad rows.
  await el('logout').click();
  await el('pin').fill('4321');
  await el('login').click();
  await el('nav-goods').click();
  await el('goods-row').first().waitFor();
  check('the catalogue lists the demo goods', (await text('goods-count')).includes('26'), await text('goods-count'));
  await el('goods-search').fill('Tassay');
  await el('goods-find').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="goods-row"]').length === 1);
  await el('goods-row').first().click();
  await el('goods-price').fill('280');
  await shot('catalogue-edit-kk');
  await el('goods-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="goods"]')?.textContent?.includes('280,00'));
  check('a manager changes a price', true);
  await shot('catalogue-kk');
  await el('goods-import').click();
  await el('import-file').setInputFiles({
    name: 'prices.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('code;name_ru;price;barcodes\n1001;Хлеб;190;\n1002;Баурсак;abc;\n1003;Молоко;540;4870001010011\n'),
  });
  await el('import-errors').waitFor();
  check('an import lists its bad rows by line', (await text('import-errors')).includes('3') && (await text('import-errors')).includes('4'), await text('import-errors'));
  // R-75: the core names each problem by key; the screen words it, never in English.
  const rowsKk = await text('import-errors');
  check('bad rows are worded in Kazakh', rowsKk.includes('бағасы оқылмады') && rowsKk.includes('бақылау цифры') && !/price:|check digit/.test(rowsKk), rowsKk);
  await shot('catalogue-import-kk');
  await el('lang-ru').click();
  await shot('catalogue-import-ru');
  const rowsRu = await text('import-errors');
  check('bad rows are worded in Russian', rowsRu.includes('не читается') && rowsRu.includes('контрольная цифра') && !/price:|check digit/.test(rowsRu), rowsRu);
  await el('lang-kk').click();
  await el('import-valid').click();
  await el('import-done').waitFor();
  check('the valid rows import on request', (await text('import-done')).includes('1'), await text('import-done'));

  // A barcode the shop lacks (issue 7): the manager adds it from the sale screen; the
  // operator's national catalogue fills the names and НТИН (COMMAND_NOMENCLATURE).
  await el('nav-sale').click();
  await burst('4870301000018');
  await el('add-unknown').waitFor();
  check('an unknown barcode offers the manager to add it', true, await text('error'));
  await el('add-unknown').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="new-goods-operator"]')?.getAttribute('data-state') !== 'asking', null, { timeout: 10000 });
  const operatorState = await el('new-goods-operator').getAttribute('data-state');
  check('the operator\'s national catalogue fills the form', operatorState === 'found' && (await el('new-goods-name-kk').inputValue()).includes('Қымыз') && (await el('new-goods-ntin').inputValue()) !== '', `${operatorState} ${await el('new-goods-name-kk').inputValue()}`);
  await shot('sale-new-goods-kk');
  await el('lang-ru').click();
  await shot('sale-new-goods-ru');
  await el('lang-kk').click();
  await el('new-goods-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lines"] tbody')?.textContent?.includes('Қымыз'), null, { timeout: 5000 }).catch(() => {});
  check('the new item is saved and lands on the receipt', (await text('lines')).includes('Қымыз'), await text('lines'));
  await burst('4870301000018');
  await page.waitForFunction(() => document.querySelector('[data-testid="lines"] tbody')?.textContent?.includes('2 дана'), null, { timeout: 5000 }).catch(() => {});
  check('the next scan finds it in the catalogue', (await text('lines')).includes('2 дана'), await text('lines'));

  // A discount on the whole receipt (F9): the total shows it, the core spreads it over
  // the lines, and the receipt is paid at the lower total.
  await page.keyboard.press('F9');
  await el('receipt-discount-value').fill('10%');
  await el('receipt-discount-value').press('Enter');
  check('a receipt discount lowers the total', (await text('total')).startsWith('1\u00a0422,00') && (await text('receipt-discount')).includes('158,00'), `${await text('total')} ${await text('receipt-discount')}`);
  await shot('sale-receipt-discount-kk');
  await el('pay').click();
  check('payment asks for the discounted total', (await text('due')).startsWith('1\u00a0422,00'), await text('due'));
  await page.locator('[data-testid="card-rest"]').click();
  await el('confirm-pay').click();
  await el('receipt-done').waitFor();
  check('the receipt is paid with its discount', (await text('receipt-done')).includes('1\u00a0422,00'), await text('receipt-done'));
  await page.keyboard.press('Enter');

  latencies.sort((a, b) => a - b);
  console.log(`typed entry → line through the browser transport (ms): ${latencies.join(', ')}`);

  // Benchmark, not a check (issue 6: scan → line p95 under 50 ms): 40 scans of
  // catalogue EANs at scanner speed, from the first key to the line on the screen
  // (a new line, or the quantity of the same item going up). Bread and milk are left
  // out: the price list imported above took their barcodes away.
  const eans = ['4870002010026', '4870004010048', '4870005010054', '4870006010060', '4870008010082',
    '4870009010098', '4870010010100', '4870011010116', '4870301000018'];
  await el('scan').waitFor();
  const scans = [];
  for (let i = 0; i < 40; i++) {
    const before = await text('lines');
    const t0 = Date.now();
    await burst(eans[i % eans.length]);
    await page.waitForFunction((b) => document.querySelector('[data-testid="lines"]')?.innerText !== b, before);
    scans.push(Date.now() - t0);
  }
  scans.sort((a, b) => a - b);
  const at = (q) => scans[Math.min(scans.length - 1, Math.floor(q * scans.length))];
  console.log(`scan → line through the browser transport, ${scans.length} scans: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${scans.at(-1)} ms`);
  check('40 scans put the 9 items on the receipt', (await page.locator('[data-testid="lines"] tbody tr').count()) === eans.length);
} catch (e) {
  failures.push(String(e));
  console.error(e);
} finally {
  await browser?.close();
  demo.stop();
}
finish();
