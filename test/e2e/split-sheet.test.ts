import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, openPage, saveScreenshot, screenshotBothSizes } from './browser.js';
import { startWebHarness, type WebHarness } from './fixtures/harness.js';

describeBrowser('split sheet page in Chromium', () => {
  let h: WebHarness;
  beforeAll(async () => {
    h = await startWebHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows the shares, totals and balance badge, runs no script and prints on one A4 page', async () => {
    const { page, problems, close } = await openPage(h.browser);
    const res = await page.goto(`${h.server.baseUrl}/s/split/demo`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'none'");
    await expect(page.locator('#balance').textContent()).resolves.toBe('Balanced');
    await expect(page.locator('tfoot td.num').allTextContents()).resolves.toEqual(['100%', '100%', '100%']);
    await expect(page.locator('text=Harbour Songs Europe GmbH').count()).resolves.toBe(1);
    await expect(page.evaluate(() => document.scripts.length)).resolves.toBe(0);
    await screenshotBothSizes(page, 'split-sheet');

    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await saveScreenshot(page, 'split-sheet-print');
    await expect(page.locator('.foot').isVisible()).resolves.toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
    expect(pages).toHaveLength(1);
    // A4 at 72 dpi is 595 x 842 points.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(Number(box?.[1])).toBeCloseTo(595, 0);
    expect(Number(box?.[2])).toBeCloseTo(842, 0);
    expect(problems.errors).toEqual([]);
    await close();
  });
});
