import { afterAll, beforeAll, expect, it } from 'vitest';
import { audioState, canvasInk, clickWaveform, describeBrowser, openPage, screenshotBothSizes, toRgb, waitForPlayback } from './browser.js';
import { startWebHarness, type WebHarness } from './fixtures/harness.js';
import { ACCESS_CODE } from './fixtures/scenario.js';

describeBrowser('track share page in Chromium', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('renders artwork, details and a drawn waveform without CSP violations', async () => {
    const { page, problems, close } = await openPage(h.browser);
    await page.goto(`${h.server.baseUrl}/s/open`);
    await expect(page.locator('h1#title').textContent()).resolves.toBe('Low Tide');
    await expect(page.locator('#artist').textContent()).resolves.toBe('The Fixtures');
    await page.waitForFunction(() => (document.getElementById('artwork') as HTMLImageElement).naturalWidth > 0);
    const ink = await canvasInk(page, '#wave');
    expect(ink.width).toBeGreaterThan(100);
    // Bars cover a good share of the canvas; a flat line or blank canvas would not.
    expect(ink.inked / (ink.width * ink.height)).toBeGreaterThan(0.15);
    await expect(page.locator('#total').textContent()).resolves.toBe('0:12');
    await expect(page.locator('#download').isVisible()).resolves.toBe(true);
    await screenshotBothSizes(page, 'share-page');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotBothSizes(page, 'share-page-dark');
    expect(problems.errors).toEqual([]);
    await close();
  });

  it('plays, counts the first play once, seeks on click and colours the played part', async () => {
    const { page, problems, close } = await openPage(h.browser);
    const eventsBefore = h.server.events.length;
    await page.goto(`${h.server.baseUrl}/s/open`);
    await page.click('#play');
    await waitForPlayback(page, 0.5);
    await expect(page.getAttribute('#play', 'aria-label')).resolves.toBe('Pause');
    expect((await audioState(page)).src).toBe(`${h.server.mediaOrigin}/media/low-tide.wav`);

    await clickWaveform(page, 0.75);
    await page.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement).currentTime > 8.5);
    const { currentTime } = await audioState(page);
    expect(currentTime).toBeGreaterThan(8.5);
    expect(currentTime).toBeLessThan(10.5);
    expect(Number(await page.getAttribute('#wave', 'aria-valuenow'))).toBeGreaterThanOrEqual(9);
    await expect(page.locator('#elapsed').textContent()).resolves.toMatch(/^0:(09|10)$/);

    const played = toRgb(await page.$eval('#wave', (el) => getComputedStyle(el).getPropertyValue('--wave-played')));
    const ink = await canvasInk(page, '#wave', played);
    expect(ink.matching.left).toBeGreaterThan(100);
    await page.click('#play');
    await page.locator('#wave').focus();
    await screenshotBothSizes(page, 'share-page-seeked');

    // Resuming after a pause must not count another play.
    await page.click('#play');
    await waitForPlayback(page, currentTime);
    await page.waitForTimeout(200);
    const plays = h.server.events.slice(eventsBefore).filter((e) => e.token === 'open');
    expect(plays.map((e) => e.body)).toEqual([{ type: 'play' }]);
    expect(problems.errors).toEqual([]);
    await close();
  });

  it('supports space to play/pause and arrow keys to skip 5 seconds', async () => {
    const { page, close } = await openPage(h.browser);
    await page.goto(`${h.server.baseUrl}/s/open`);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Space');
    await waitForPlayback(page, 0.2);
    const before = (await audioState(page)).currentTime;
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((t) => (document.getElementById('audio') as HTMLAudioElement).currentTime >= t + 4.5, before);
    const after = (await audioState(page)).currentTime;
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((t) => (document.getElementById('audio') as HTMLAudioElement).currentTime <= t - 3.5, after);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement).paused);
    // `paused` flips before the pause event that relabels the button is dispatched.
    await page.waitForFunction(() => document.getElementById('play')?.getAttribute('aria-label') === 'Play', undefined, { timeout: 2000 });

    // Tab reaches the waveform slider, which shows a focus ring and steps once per key.
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'wave'; i++) {
      await page.keyboard.press('Tab');
    }
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('wave');
    await expect(page.$eval('#wave', (el) => getComputedStyle(el).outlineStyle)).resolves.toBe('solid');
    const paused = (await audioState(page)).currentTime;
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(200);
    expect((await audioState(page)).currentTime).toBeCloseTo(Math.min(paused + 5, 12), 0);
    const valueNow = Number(await page.getAttribute('#wave', 'aria-valuenow'));
    expect(Math.abs(valueNow - Math.min(paused + 5, 12))).toBeLessThanOrEqual(1);
    await close();
  });

  it('downloads through the download URL only when downloads are allowed', async () => {
    const { page, close } = await openPage(h.browser);
    await page.goto(`${h.server.baseUrl}/s/open`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.url()).toBe(`${h.server.mediaOrigin}/media/low-tide.wav?download=1`);
    expect(download.suggestedFilename()).toBe('low-tide.wav');

    await page.goto(`${h.server.baseUrl}/s/no-download`);
    await expect(page.locator('h1#title').textContent()).resolves.toBe('Low Tide');
    await expect(page.locator('#download').count()).resolves.toBe(0);
    await close();
  });

  it('gates the player behind the access code and remembers it for the tab', async () => {
    const { page, problems, close } = await openPage(h.browser);
    await page.goto(`${h.server.baseUrl}/s/locked`);
    await expect(page.locator('#player').isVisible()).resolves.toBe(false);
    await expect(page.locator('body').textContent()).resolves.not.toContain('Harbour Lights');
    await screenshotBothSizes(page, 'share-page-locked');

    await page.fill('#access-code', 'wrong-code');
    await page.click('#gate button[type=submit]');
    await page.waitForSelector('#gate-error:not([hidden])');
    await expect(page.locator('#gate-error').textContent()).resolves.toContain('not right');
    await expect(page.getAttribute('#access-code', 'aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#player').isVisible()).resolves.toBe(false);
    await screenshotBothSizes(page, 'share-page-wrong-code');

    await page.fill('#access-code', ACCESS_CODE);
    await page.press('#access-code', 'Enter');
    await page.waitForSelector('#player:not([hidden])');
    await expect(page.locator('h1#title').textContent()).resolves.toBe('Harbour Lights');
    await expect(page.locator('#gate').isVisible()).resolves.toBe(false);
    await expect(page.locator('#download').isVisible()).resolves.toBe(true);
    // Artwork arrives with the card from the media origin; the CSP must let it load.
    await page.waitForFunction(() => ((document.getElementById('artwork') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    expect((await canvasInk(page, '#wave')).inked).toBeGreaterThan(1000);
    await expect(page.evaluate(() => sessionStorage.getItem('ledgerline:access-code:locked'))).resolves.toBe(ACCESS_CODE);

    await page.click('#play');
    await waitForPlayback(page, 0.3);
    const calls = h.server.apiCalls.filter((c) => c.path.startsWith('/api/share/locked/playback'));
    expect(calls.at(-1)?.accessCode).toBe(ACCESS_CODE);
    await expect.poll(() => h.server.events.filter((e) => e.token === 'locked').map((e) => e.accessCode)).toEqual([ACCESS_CODE]);

    // A reload in the same tab unlocks without asking again.
    await page.reload();
    await page.waitForSelector('#player:not([hidden])');
    await expect(page.locator('h1#title').textContent()).resolves.toBe('Harbour Lights');
    await screenshotBothSizes(page, 'share-page-unlocked');
    expect(problems.errors.filter((e) => !e.includes('403'))).toEqual([]);
    await close();
  });

  it('shows the unavailable page with status 404 for unknown links', async () => {
    const { page, problems, close } = await openPage(h.browser);
    const response = await page.goto(`${h.server.baseUrl}/s/expired-token`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('This link is no longer available');
    await screenshotBothSizes(page, 'link-unavailable');
    expect(problems.errors.filter((e) => !e.includes('404'))).toEqual([]);
    await close();
  });
});
