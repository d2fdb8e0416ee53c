// End-to-end run of the back-office screens against `sauda serve --demo` in Debian's
// headless Chromium through playwright-core: the administrator's scanner setup (saved,
// kept over a reload, then checked with test scans typed at scanner speed) and the
// manager's quick-keys editor (assign, move, swap, clear, by touch and by keyboard),
// with the sale screen showing the result. Saves screenshots in kk and ru to e2e/out/.
//
// Usage: SAUDA_BIN=path/to/sauda node e2e/admin.mjs
import path from 'node:path';
import { after, checks, launchChromium, out, startDemo } from './harness.mjs';

const demo = startDemo('admin-e2e', [], (lines) => after(lines, 'Cashier page: '));
const { check, failures, finish } = checks('e2e admin');

let browser;
try {
  const url = await demo.started;
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  page.setDefaultTimeout(10000);
  const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`) });
  const el = (id) => page.locator(`[data-testid="${id}"]`);
  const text = (id) => el(id).innerText();
  const login = async (pin) => {
    await el('pin').fill(pin);
    await el('login').click();
    await el('user').waitFor();
  };
  // A scanner whose keys the browser cannot type (Cyrillic under a Russian layout): the
  // burst is sent inside the page, as the scanner's own keyboard would send it.
  const burst = async (id, code) => {
    await el(id).focus();
    await page.evaluate(({ id, code }) => {
      const input = document.querySelector(`[data-testid="${id}"]`);
      for (const key of code) {
        input.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        input.value += key;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    }, { id, code });
  };
  const resultHas = (words) =>
    page.waitForFunction((words) => {
      const box = document.querySelector('[data-testid="scan-test-result"]');
      return box && words.every((w) => box.textContent?.includes(w));
    }, words);

  await page.goto(url);
  await el('lang-kk').click();

  // The administrator's scanner setup: the demo starts with the defaults.
  await login('1234');
  await el('nav-admin').click();
  await el('tab-scanner').click();
  await el('scanner-settings').waitFor();
  check('the scanner tab shows the default scale layouts', (await el('scanner-layouts').inputValue()) === '20-22,24-29:A; 23:B', await el('scanner-layouts').inputValue());
  check('nothing to save before a change', (await el('scanner-save').count()) === 0);
  // A rule the core would refuse is pointed out while typing.
  await el('scanner-layouts').fill('21-29:A; 20:E');
  await el('scale-bad').waitFor();
  check('a wrong scale rule is pointed out while typing', (await text('scale-bad')).includes('20:E'), await text('scale-bad'));
  await el('scanner-layouts').fill('21-29:A; 20:5+5tiyn');
  check('the rules are read into a table', (await text('scale-rules')).includes('21–29') && (await text('scale-rules')).includes('тиын'), await text('scale-rules'));
  await el('scanner-suffix').fill('*');
  await el('scanner-gs').fill('~');
  await el('scanner-layout').selectOption('ru');
  await el('scanner-gap').fill('60');
  check('an unsaved change is said to not apply to the test yet', await el('scan-test-unsaved').isVisible());
  await shot('admin-scanner-unsaved-kk');
  await el('scanner-save').click();
  await el('scanner-saved').waitFor();
  check('the administrator saves the scanner setup', true);

  // Kept over a reload (a new session: the token lives in the page only).
  await page.reload();
  await login('1234');
  await el('nav-admin').click();
  await el('tab-scanner').click();
  await el('scanner-settings').waitFor();
  const kept = {
    suffix: await el('scanner-suffix').inputValue(),
    gs: await el('scanner-gs').inputValue(),
    layout: await el('scanner-layout').inputValue(),
    gap: await el('scanner-gap').inputValue(),
    layouts: await el('scanner-layouts').inputValue(),
  };
  check('the setup is kept after a reload', kept.suffix === '*' && kept.gs === '~' && kept.layout === 'ru' && kept.gap === '60' && kept.layouts === '21-29:A; 20:5+5tiyn', JSON.stringify(kept));

  // A test scan typed at scanner speed: the suffix is taken off and the bread is found.
  await el('scan-test-input').focus();
  await page.keyboard.type('4870001010010*', { delay: 0 });
  await page.keyboard.press('Enter');
  await el('scan-test-result').waitFor();
  check('a fast test scan is decoded without its suffix', (await text('scan-test-text')) === '4870001010010' && (await text('scan-test-kind')).includes('Тауар табылды'),
    `${await text('scan-test-kind')} / ${await text('scan-test-text')} / ${await text('scan-test-timing')}`);
  check('the test names the goods found', (await text('scan-test-goods')).includes('Нан'), await text('scan-test-goods'));
  check('the test shows the keys\' pace against the limit', /Пернелер: 14 · ең үлкен аралық \d+\u00a0мс \(шегі 60\u00a0мс\)/.test(await text('scan-test-timing')), await text('scan-test-timing'));
  // The same code with its AIM identifier typed under the Russian layout: `]E0` arrives as
  // `ъУ0`; the core repairs it and reports EAN-13.
  await burst('scan-test-input', 'ъУ04870001010010*');
  await resultHas(['ean13', 'ъУ0']);
  check('the layout is repaired and the AIM identifier read', (await text('scan-test-text')) === '4870001010010' && (await text('scan-test-symbology')) === 'ean13', await text('scan-test-result'));
  // A beer's marking code with `~` for GS: the separator is shown where it arrived.
  await el('scan-test-input').focus();
  await page.keyboard.type('0104870022020036215aB7cD~93Xy9Z*', { delay: 0 });
  await page.keyboard.press('Enter');
  await resultHas(['GS', 'Шымк']);
  check('a marking code shows its GS separator', (await text('scan-test-gs')).includes('GS бөлгіштері келді: 1') && (await text('scan-test-text')).includes('GS'), await text('scan-test-result'));
  // The scanner's own GS (Ctrl+]) counts too.
  await el('scan-test-input').focus();
  await page.keyboard.type('0104870022020036215aB7cE', { delay: 0 });
  await page.keyboard.press('Control+BracketRight');
  await page.keyboard.type('93Xy9Z*', { delay: 0 });
  await page.keyboard.press('Enter');
  await resultHas(['cE']);
  check('Ctrl+] from the scanner arrives as GS', (await text('scan-test-gs')).includes(': 1'), await text('scan-test-result'));
  // Typing by hand is told apart from a scan.
  await el('scan-test-input').focus();
  await page.keyboard.type('4870001010010', { delay: 120 });
  await page.keyboard.press('Enter');
  await resultHas(['Сканер емес']);
  check('slow typing is told apart from a scan', (await text('scan-test-kind')).includes('Сканер емес'), await text('scan-test-result'));
  // Text pasted from a log has no keys: it is read as a serial scanner's text.
  await el('scan-test-input').fill('04870001010010');
  await el('scan-test-input').press('Enter');
  await resultHas(['04870001010010']);
  check('pasted text is read as a scan', (await text('scan-test-kind')).includes('Тауар табылды') && (await el('scan-test-timing').count()) === 0, await text('scan-test-result'));
  // A misread: the core's sentence and its own message as the detail.
  await burst('scan-test-input', '4870001234566*');
  await el('scan-test-error').waitFor();
  const misread = await text('scan-test-error');
  const detail = await el('scan-test-error').locator('small').innerText();
  check('a wrong check digit is reported in Kazakh with the core\'s detail', /қате/.test(misread.replace(detail, '')) && !/check digit/.test(misread.replace(detail, '')) && detail.length > 0, misread);
  // The screenshots show a decoded marking code.
  await el('scan-test-input').focus();
  await page.keyboard.type('0104870022020036215aB7cD~93Xy9Z*', { delay: 0 });
  await page.keyboard.press('Enter');
  await el('scan-test-gs').waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await shot('admin-scanner-kk');
  // The scale rules and their explanation are further down the page.
  await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
  await shot('admin-scanner-scale-kk');
  await el('lang-ru').click();
  await shot('admin-scanner-scale-ru');
  await page.locator('main').evaluate((m) => m.scrollTo(0, 0));
  check('the scanner screen speaks Russian', (await text('scanner-settings')).includes('Проверка сканера') && (await text('scan-test-gs')).includes('Разделители GS пришли'), await text('scan-test-gs'));
  await shot('admin-scanner-ru');
  await el('lang-kk').click();

  // The manager's quick keys: the demo uses keys 1–11; key 12 is free.
  await el('logout').click();
  await login('4321');
  await el('nav-goods').click();
  await el('goods-row').first().waitFor();
  await shot('catalogue-with-quick-keys-kk');
  await el('goods-quick-keys').click();
  await el('quick-keys-editor').waitFor();
  const slot = (n) => page.locator(`[data-testid="qk-slot"][data-key="${n}"]`);
  const slotHas = (n, word) =>
    page.waitForFunction(({ n, word }) => document.querySelector(`[data-testid="qk-slot"][data-key="${n}"]`)?.textContent?.includes(word), { n, word });
  await slotHas(1, 'Нан');
  check('the editor shows the demo keys', (await slot(11).innerText()).includes('Картоп') && (await slot(12).innerText()).includes('бос'), await slot(11).innerText());
  await slot(12).click();
  await el('qk-search').fill('Шұбат');
  await el('qk-search').press('Enter');
  await el('qk-result').first().waitFor();
  await el('qk-result').first().click();
  await slotHas(12, 'Шұбат');
  check('a manager puts goods on a free key', (await text('qk-saved')).includes('12'), await text('qk-saved'));
  await el('qk-search').fill('сүт');
  await el('qk-search').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="qk-results"]')?.textContent?.includes('Фудмастер'));
  await shot('quick-keys-kk');
  await el('lang-ru').click();
  check('the editor speaks Russian', (await text('quick-keys-editor')).includes('Быстрые клавиши') && (await slot(13).innerText()).includes('свободна'));
  await shot('quick-keys-ru');
  await el('lang-kk').click();

  // Moved to a free key, then onto a taken one: the two swap places.
  await slot(12).click();
  await el('qk-move').click();
  await el('qk-moving').waitFor();
  await slot(20).click();
  await slotHas(20, 'Шұбат');
  check('goods move to another key', (await slot(12).innerText()).includes('бос'), await slot(12).innerText());
  await el('qk-move').click();
  await slot(2).click();
  await slotHas(2, 'Шұбат');
  await slotHas(20, 'Бауырсақ');
  check('goods moved onto a taken key swap places with its goods', true);
  await el('nav-sale').click();
  await el('quick-key').first().waitFor();
  check('the sale screen shows the new quick key in its place', (await el('quick-key').nth(1).innerText()).includes('Шұбат'), await el('quick-key').nth(1).innerText());

  // By keyboard: the arrows walk the keys, Enter picks; Бауырсақ goes back to key 2.
  await el('nav-goods').click();
  await el('goods-quick-keys').click();
  await slotHas(20, 'Бауырсақ');
  await slot(20).click();
  await el('qk-move').click();
  for (const k of ['ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowUp', 'ArrowLeft', 'ArrowLeft']) await page.keyboard.press(k);
  check('the arrows walk the grid', (await page.evaluate(() => document.activeElement?.getAttribute('data-key'))) === '2');
  await page.keyboard.press('Enter');
  await slotHas(2, 'Бауырсақ');
  await slotHas(20, 'Шұбат');
  check('a move by keyboard swaps the goods back', true);
  await slot(20).click();
  await el('qk-clear').click();
  await slotHas(20, 'бос');
  check('a manager clears a key', (await slot(20).innerText()).includes('бос'));
  await el('nav-sale').click();
  await el('quick-key').first().waitFor();
  const keys = await el('quick-keys').innerText();
  check('cleared goods leave the sale screen', !keys.includes('Шұбат') && (await el('quick-key').nth(1).innerText()).includes('Бауырсақ'), keys);

  // Assigned by keyboard only: key 12, Enter, search, arrow down, Enter.
  await el('nav-goods').click();
  await el('goods-quick-keys').click();
  await slotHas(1, 'Нан');
  await slot(1).focus();
  for (const k of ['ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(k);
  await page.keyboard.press('Enter');
  check('Enter on a key goes to the search', (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'qk-search');
  await page.keyboard.type('Шұбат');
  await page.keyboard.press('Enter');
  await el('qk-result').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await slotHas(12, 'Шұбат');
  check('goods are put on a key by keyboard alone', true);
  await el('quick-keys-close').click();
  await el('nav-sale').click();
  await el('quick-key').first().waitFor();
  check('the sale screen shows the new quick key', (await el('quick-key').last().innerText()).includes('Шұбат'), await el('quick-key').last().innerText());
} catch (e) {
  failures.push(String(e));
  console.error(e);
} finally {
  await browser?.close();
  demo.stop();
}
finish();
