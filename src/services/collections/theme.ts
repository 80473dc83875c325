/** One level of the organization -> collection -> track chain. */
export interface ThemeLevel<T> {
  value: T | null;
  /** Whether levels below may replace this level's value. */
  overridable: boolean;
}

/**
 * Resolves a themed value (player colour, cover) down the organization -> collection -> track
 * chain: a lower level's value replaces the one above unless a level that set a value forbade
 * overriding it. `overridable` tells whether the result itself may still be replaced (by a
 * player's own settings).
 */
export function resolveTheme<T>(levels: Array<ThemeLevel<T> | null>): { value: T | null; overridable: boolean } {
  let value: T | null = null;
  let locked = false;
  for (const level of levels) {
    if (!level) continue;
    if (!locked && level.value !== null) value = level.value;
    if (value !== null && !level.overridable) locked = true;
  }
  return { value, overridable: !locked };
}
