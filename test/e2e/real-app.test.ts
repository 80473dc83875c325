import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { audioState, canvasInk, clickWaveform, describeBrowser, launchBrowser, openPage, screenshotBothSizes, waitForPlayback } from './browser.js';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { injectPath, makeTone } from '../helpers/audio.js';
import { freePort } from '../helpers/server-process.js';

/**
 * The share page and the embed served by the real application: a track uploaded through the
 * workspace API, processed by the real lanes, shared, played in Chromium, then revoked.
 */
describeBrowser('pages on the real application', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let token: string;
  let trackId: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { PUBLIC_URL: base } });
    await t.app.listen({ port, host: '127.0.0.1' });
    await t.container.startWorkers();
    token = await t.token({ role: 'owner', entitlements: ['tracks.share'] });
    const bytes = readFileSync(makeTone({ seconds: 6, format: 'mp3' }));
    const intent = await t.app.inject({ method: 'POST', url: '/api/swayzio/v1/uploads', headers: bearer(token), payload: { fileName: 'Harbour Lights.mp3', contentType: 'audio/mpeg', byteSize: bytes.length } });
    expect(intent.statusCode).toBe(201);
    const up = intent.json();
    trackId = up.trackId;
    const put = await t.app.inject({ method: 'PUT', url: injectPath(up.signedUrl), headers: up.requiredHeaders, payload: bytes });
    expect(put.statusCode).toBe(200);
    const fin = await t.app.inject({ method: 'POST', url: `/api/swayzio/v1/uploads/${up.uploadId}/finalize`, headers: bearer(token) });
    expect(fin.statusCode).toBeLessThan(300);
    await t.container.queue.onIdle({ timeoutMs: 90_000 });
    await t.app.inject({ method: 'PATCH', url: `/api/swayzio/v1/tracks/${trackId}/metadata`, headers: bearer(token), payload: { title: 'Harbour Lights', artist: 'The Testers' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const share = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/swayzio/v1/tracks/${trackId}/share-links`, headers: bearer(token), payload });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string; sharePath: string };
  };

  it('plays a shared track, seeks, offers download only when allowed, and 404s once revoked', async () => {
    const link = await share({ name: 'for the brief', allowDownload: true });
    const { page, problems, close } = await openPage(browser);
    const res = await page.goto(`${base}${link.sharePath}`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1#title').textContent()).resolves.toBe('Harbour Lights');
    const ink = await canvasInk(page, '#wave');
    expect(ink.inked).toBeGreaterThan(0);
    await expect(page.locator('#download').isVisible()).resolves.toBe(true);
    await page.click('#play');
    await waitForPlayback(page, 0.5);
    await clickWaveform(page, 0.5);
    await page.waitForFunction(() => (document.getElementById('audio') as HTMLAudioElement).currentTime > 2.5);
    expect((await audioState(page)).currentTime).toBeGreaterThan(2.5);
    await screenshotBothSizes(page, 'real-share-page');
    expect(problems.errors).toEqual([]);
    await close();

    const plays = await t.container.repos.processing.countEvents(trackId, 'track.played');
    expect(plays).toBeGreaterThanOrEqual(1);

    const noDownload = await share({ name: 'listen only' });
    const second = await openPage(browser);
    await second.page.goto(`${base}${noDownload.sharePath}`);
    await expect(second.page.locator('#download').count()).resolves.toBe(0);
    await second.close();

    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/swayzio/v1/tracks/${trackId}/share-links/${link.id}`, headers: bearer(token) });
    expect(revoke.statusCode).toBe(204);
    const gone = await openPage(browser);
    const after = await gone.page.goto(`${base}${link.sharePath}`);
    expect(after?.status()).toBe(404);
    await expect(gone.page.locator('body').textContent()).resolves.toMatch(/no longer available/i);
    await gone.close();
  });

  it('unlocks a gated link with its access code', async () => {
    const link = await share({ name: 'gated', accessCode: 'harbour42' });
    const { page, close } = await openPage(browser);
    await page.goto(`${base}${link.sharePath}`);
    await expect(page.locator('body').textContent()).resolves.not.toContain('Harbour Lights');
    const input = page.locator('input[type="password"], input[name="code"], input#code').first();
    await input.fill('wrong-code');
    await input.press('Enter');
    await page.waitForTimeout(300);
    await expect(page.locator('h1#title').isVisible().catch(() => false)).resolves.toBe(false);
    await input.fill('harbour42');
    await input.press('Enter');
    await page.waitForFunction(() => document.getElementById('title')?.textContent === 'Harbour Lights');
    await close();
  });
});
