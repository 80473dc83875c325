import { deriveColorVariants, normalizeHex } from '../../../domain/colors.js';

export interface ColorTrio {
  player_color: string | null;
  player_color_light: string | null;
  player_color_dark: string | null;
}

// Few distinct colours exist in a catalog; deriving them is a loop of contrast checks worth keeping.
const cache = new Map<string, ColorTrio>();

/**
 * A player colour with its read-only companions (null when unset or not a colour). As the
 * AudioDN document defines them, `player_color_light` is the variant legible on a light
 * background (so the darker one) and `player_color_dark` the one legible on a dark background.
 */
export function colorTrio(hex: string | null | undefined): ColorTrio {
  if (!hex || !normalizeHex(hex)) return { player_color: hex ?? null, player_color_light: null, player_color_dark: null };
  let trio = cache.get(hex);
  if (!trio) {
    const { light, dark } = deriveColorVariants(hex);
    trio = { player_color: hex, player_color_light: dark, player_color_dark: light };
    if (cache.size > 5000) cache.clear();
    cache.set(hex, trio);
  }
  return trio;
}

export const bool = (v: number | null | undefined, fallback = true): boolean => (v === null || v === undefined ? fallback : v === 1);

export function jsonObject(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function jsonArray<T = unknown>(text: string | null | undefined): T[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}
