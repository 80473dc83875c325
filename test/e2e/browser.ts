import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe } from 'vitest';

/**
 * Shared browser plumbing for the end-to-end page tests. Uses the system Chromium (no
 * browser download). Without Chromium the suites are skipped on a developer machine but
 * fail in CI, where a missing browser means the pages went untested.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

export const VIEWPORTS = {
  phone: { width: 375, height: 812 },
  desktop: { width: 1280, height: 800 },
} as const;

export function describeBrowser(name: string, body: () => void): void {
  if (!chromiumAvailable && !process.env.CI) {
    console.warn(`[e2e] skipping "${name}": no Chromium at ${CHROMIUM_PATH} (install chromium or set CHROMIUM_PATH)`);
    describe.skip(`${name} (skipped: Chromium not found at ${CHROMIUM_PATH})`, body);
    return;
  }
  describe(name, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export interface PageProblems {
  /** Console errors and CSP violations ("Refused to …") seen since the page opened. */
  errors: string[];
}

/** Opens a page in a fresh context and records console errors and CSP refusals. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; problems: PageProblems; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Refused to|Content Security Policy/i.test(msg.text())) {
      problems.errors.push(`${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => problems.errors.push(String(err)));
  return { page, problems, close: () => context.close() };
}

/** Saves a screenshot as test-artifacts/NAME-WIDTHxHEIGHT.png for people to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const size = page.viewportSize();
  const path = join(ARTIFACTS_DIR, `${name}-${size?.width}x${size?.height}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Screenshots the page at the phone and desktop sizes (or the given sizes, e.g. an
 * embed's iframe), restoring the original size.
 */
export async function screenshotBothSizes(
  page: Page,
  name: string,
  sizes: readonly { width: number; height: number }[] = Object.values(VIEWPORTS),
): Promise<void> {
  const original = page.viewportSize();
  for (const viewport of sizes) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(150); // let ResizeObserver redraw the canvas
    await page.waitForFunction(() => Array.from(document.images).every((img) => img.hidden || img.complete));
    await saveScreenshot(page, name);
  }
  if (original) await page.setViewportSize(original);
}

export interface CanvasInk {
  width: number;
  height: number;
  /** Pixels with any opacity. */
  inked: number;
  /** Pixels within a small distance of `rgb`, split at the horizontal midpoint. */
  matching: { left: number; right: number };
}

/** Reads a canvas's pixels back: proves something was drawn and where a colour appears. */
export function canvasInk(page: Page, selector: string, rgb: [number, number, number] = [0, 0, 0]): Promise<CanvasInk> {
  return page.$eval(
    selector,
    (el, target) => {
      const canvas = el as HTMLCanvasElement;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      const matching = { left: 0, right: 0 };
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        inked++;
        const close = Math.abs(data[i] - target[0]) + Math.abs(data[i + 1] - target[1]) + Math.abs(data[i + 2] - target[2]) < 30;
        if (close) {
          const x = (i / 4) % canvas.width;
          if (x < canvas.width / 2) matching.left++;
          else matching.right++;
        }
      }
      return { width: canvas.width, height: canvas.height, inked, matching };
    },
    rgb,
  );
}

/** Parses `rgb(r, g, b)` / `#rrggbb` from computed styles or CSS variables. */
export function toRgb(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const n = parseInt(hex[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color);
  if (!m) throw new Error(`not a colour: ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Current state of the page's `<audio id="audio">`. */
export function audioState(page: Page): Promise<{ currentTime: number; duration: number; paused: boolean; src: string }> {
  return page.$eval('#audio', (el) => {
    const a = el as HTMLAudioElement;
    return { currentTime: a.currentTime, duration: a.duration, paused: a.paused, src: a.currentSrc };
  });
}

/** Waits until the audio element has played past `seconds`. */
export async function waitForPlayback(page: Page, seconds: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (s) => {
      const a = document.getElementById('audio') as HTMLAudioElement | null;
      return !!a && !a.paused && a.currentTime > s;
    },
    seconds,
    { timeout },
  );
}

/** Clicks the waveform at a fraction of its width. */
export async function clickWaveform(page: Page, fraction: number, selector = '#wave'): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
}
