/**
 * Contributors as clients store them, in either shape Royalti accepts: a list of
 * `{ name, role, share? }` or a map `{ role: name | [names] }`. Returns `{ name, role }` pairs.
 */
export function contributorPairs(value: unknown): Array<{ name: string; role: string }> {
  const out: Array<{ name: string; role: string }> = [];
  const add = (name: unknown, role: unknown) => {
    if (typeof name === 'string' && name.trim() && typeof role === 'string' && role.trim()) out.push({ name: name.trim(), role: role.trim() });
  };
  if (Array.isArray(value)) {
    for (const item of value) if (item && typeof item === 'object') add((item as { name?: unknown }).name, (item as { role?: unknown }).role);
  } else if (value && typeof value === 'object') {
    const one = value as { name?: unknown; role?: unknown };
    if (typeof one.name === 'string' && typeof one.role === 'string') add(one.name, one.role);
    else for (const [role, names] of Object.entries(value)) for (const n of Array.isArray(names) ? names : [names]) add(n, role);
  }
  return out;
}

/** The first entry of a genre field stored as a list or a string. */
export function firstGenre(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string' && !!v.trim()) ?? null;
  return null;
}
