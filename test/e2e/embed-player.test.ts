import { afterAll, beforeAll, expect, it } from 'vitest';
import { audioState, canvasInk, clickWaveform, describeBrowser, openPage, screenshotBothSizes, toRgb, waitForPlayback } from './browser.js';
import { startWebHarness, type WebHarness } from './fixtures/harness.js';
import { EMBED_THEME } from './fixtures/scenario.js';

describeBrowser('embeddable players in Chromium', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  // Embeds are screenshotted at iframe sizes: phone width and a typical article column.
  const TRACK_FRAMES = [{ width: 375, height: 152 }, { width: 640, height: 152 }];
  const COLLECTION_FRAMES = [{ width: 375, height: 400 }, { width: 640, height: 400 }];
  const bodyBackground = (page: import('playwright-core').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  it('shows the track with the configured colours in light and dark schemes', async () => {
    const { page, problems, close } = await openPage(h.browser, { viewport: { width: 600, height: 152 }, colorScheme: 'light' });
    const res = await page.goto(`${h.server.baseUrl}/embed/track/${h.tracks[0].id}`);
    expect(res?.headers()['content-security-policy']).toContain('frame-ancestors *');
    await expect(page.locator('#track-title').textContent()).resolves.toBe('Low Tide');
    await expect(page.locator('#track-subtitle').textContent()).resolves.toBe('The Fixtures');
    expect(toRgb(await page.$eval('#play', (el) => getComputedStyle(el).backgroundColor))).toEqual(toRgb(EMBED_THEME.color));
    expect(toRgb(await bodyBackground(page))).toEqual(toRgb(EMBED_THEME.colorLight));
    expect((await canvasInk(page, '#wave')).inked).toBeGreaterThan(1000);
    await screenshotBothSizes(page, 'embed-track-light', TRACK_FRAMES);

    await page.emulateMedia({ colorScheme: 'dark' });
    expect(toRgb(await bodyBackground(page))).toEqual(toRgb(EMBED_THEME.colorDark));
    await screenshotBothSizes(page, 'embed-track-dark', TRACK_FRAMES);
    expect(problems.errors).toEqual([]);
    await close();
  });

  it('plays and seeks the embedded track', async () => {
    const { page, close } = await openPage(h.browser, { viewport: { width: 600, height: 152 } });
    await page.goto(`${h.server.baseUrl}/embed/track/${h.tracks[0].id}`);
    await page.click('#play');
    await waitForPlayback(page, 0.3);
    await clickWaveform(page, 0.5);
    await page.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement).currentTime > 5.5);
    expect((await audioState(page)).currentTime).toBeLessThan(7.5);
    const played = toRgb(EMBED_THEME.color);
    expect((await canvasInk(page, '#wave', played)).matching.left).toBeGreaterThan(100);
    await close();
  });

  it('moves through a collection with next/previous and advances on its own', async () => {
    const { page, problems, close } = await openPage(h.browser, { viewport: { width: 640, height: 400 } });
    await page.goto(`${h.server.baseUrl}/embed/collection/demo`);
    await expect(page.locator('.context').textContent()).resolves.toBe('Tidal Sketches · The Fixtures');
    await expect(page.locator('#playlist li').count()).resolves.toBe(3);
    await expect(page.locator('#track-title').textContent()).resolves.toBe('Low Tide');
    await expect(page.locator('#prev').isDisabled()).resolves.toBe(true);
    await screenshotBothSizes(page, 'embed-collection', COLLECTION_FRAMES);

    await page.click('#next');
    await expect(page.locator('#track-title').textContent()).resolves.toBe('Harbour Lights');
    await expect(page.getAttribute('#playlist button[data-index="1"]', 'aria-current')).resolves.toBe('true');
    await expect(page.getAttribute('#playlist button[data-index="0"]', 'aria-current')).resolves.toBeNull();
    await page.click('#play');
    await waitForPlayback(page, 0.2);
    expect((await audioState(page)).src).toBe(`${h.server.mediaOrigin}/media/harbour.wav`);

    // Seek near the end; the next track must start by itself.
    await clickWaveform(page, 0.97);
    await page.waitForFunction(() => document.getElementById('track-title')?.textContent === 'Undertow', null, { timeout: 10_000 });
    await waitForPlayback(page, 0.2);
    expect((await audioState(page)).src).toBe(`${h.server.mediaOrigin}/media/undertow.wav`);
    await expect(page.locator('#next').isDisabled()).resolves.toBe(true);

    await page.click('#prev');
    await expect(page.locator('#track-title').textContent()).resolves.toBe('Harbour Lights');
    // Playing continues across manual track changes.
    await waitForPlayback(page, 0.2);
    expect(problems.errors).toEqual([]);
    await close();
  });

  it('turns <ledgerline-player> into a responsive iframe and ignores non-embed URLs', async () => {
    const { page, close } = await openPage(h.browser, { viewport: { width: 375, height: 812 } });
    await page.goto(`${h.server.baseUrl}/embed-host`);
    const frame = page.locator('ledgerline-player:not(#bad) iframe');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toBe(`${h.server.baseUrl}/embed/track/${h.tracks[0].id}`);
    expect(await frame.getAttribute('title')).toBe('Fixture player');
    const box = await frame.boundingBox();
    expect(box?.height).toBe(152);
    expect(box?.width).toBe(335); // 375 minus the host page's 2 x 20 px padding
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(async () => (await frame.boundingBox())?.width).toBe(640);
    await expect(page.locator('#bad iframe').count()).resolves.toBe(0);

    const inner = page.frameLocator('ledgerline-player:not(#bad) iframe');
    await expect(inner.locator('#track-title').textContent()).resolves.toBe('Low Tide');
    await page.waitForTimeout(300);
    await screenshotBothSizes(page, 'embed-web-component');
    await close();
  });
});
