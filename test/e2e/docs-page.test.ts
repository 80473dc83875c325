import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { describeBrowser, launchBrowser, openPage } from './browser.js';

describeBrowser('API reference page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is served with a strict policy, cannot be framed, and still renders the reference', async () => {
    const res = await t.app.inject('/docs/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const script = await t.app.inject('/docs/js/scalar.js');
    expect(script.headers['x-content-type-options']).toBe('nosniff');

    const { page, problems, close } = await openPage(browser);
    await page.goto(`${base}/docs/`);
    await page.getByText('Ledgerline', { exact: false }).first().waitFor({ timeout: 15_000 });
    expect(problems.errors.filter((e) => /Refused to|Content Security Policy/i.test(e))).toEqual([]);
    await close();
  });
});
