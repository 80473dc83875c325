import { contrastRatio as hexContrast } from '../../domain/colors.js';

/**
 * Embed colours come from catalog settings, so they are parsed and re-serialised as hex
 * before reaching CSS (nothing else can be injected into the stylesheet), and text/icon
 * colours are picked per background for readable contrast.
 */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export function parseColor(value: string | null | undefined): Rgb | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(v);
  if (m) {
    const [r, g, b] = m[1].split('').map((c) => parseInt(c + c, 16));
    return { r, g, b };
  }
  m = /^#([0-9a-f]{6})$/.exec(v);
  if (m) {
    const n = parseInt(m[1], 16);
    return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
  }
  m = /^rgb\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})\s*\)$/.exec(v);
  if (m) {
    const [r, g, b] = [m[1], m[2], m[3]].map(Number);
    if (r <= 255 && g <= 255 && b <= 255) return { r, g, b };
  }
  return null;
}

export function toHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 contrast ratio, through the one luminance formula in domain/colors. */
export const contrastRatio = (a: Rgb, b: Rgb): number => hexContrast(toHex(a), toHex(b));

const INK: Rgb = { r: 17, g: 16, b: 20 };
const PAPER: Rgb = { r: 255, g: 255, b: 255 };

/** Near-black or white, whichever reads better on `bg`. */
export function readableOn(bg: Rgb): Rgb {
  return contrastRatio(bg, INK) >= contrastRatio(bg, PAPER) ? INK : PAPER;
}

const rgba = ({ r, g, b }: Rgb, alpha: number) => `rgba(${r},${g},${b},${alpha})`;

export const DEFAULT_ACCENT = '#5a3ff0';
export const DEFAULT_LIGHT = '#ffffff';
export const DEFAULT_DARK = '#17161c';

export interface EmbedColors {
  color: string;
  colorLight: string;
  colorDark: string;
}

function schemeVars(bg: Rgb, accent: Rgb): string {
  const fg = readableOn(bg);
  return [
    `--bg:${toHex(bg)}`,
    `--text:${toHex(fg)}`,
    `--muted:${rgba(fg, 0.72)}`,
    `--border:${rgba(fg, 0.14)}`,
    `--hover:${rgba(fg, 0.06)}`,
    `--wave-color:${rgba(fg, 0.38)}`,
    `--wave-hover:${rgba(accent, 0.55)}`,
    // Focus rings must show on the background whatever the accent is.
    `--focus:${contrastRatio(accent, bg) >= 3 ? toHex(accent) : toHex(fg)}`,
  ].join(';');
}

/** CSS custom properties for the embed, switching background with the system scheme. */
export function embedThemeCss(colors: EmbedColors): string {
  const accent = parseColor(colors.color) ?? parseColor(DEFAULT_ACCENT)!;
  const light = parseColor(colors.colorLight) ?? parseColor(DEFAULT_LIGHT)!;
  const dark = parseColor(colors.colorDark) ?? parseColor(DEFAULT_DARK)!;
  const accentVars = `--accent:${toHex(accent)};--on-accent:${toHex(readableOn(accent))};--wave-played:${toHex(accent)}`;
  return `:root{${accentVars};${schemeVars(light, accent)};color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{${schemeVars(dark, accent)}}}
`;
}
