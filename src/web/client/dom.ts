/** Looks up an element the server rendered; a missing one is a page bug, so fail loudly. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

/** Reads the JSON the server embedded in `<script type="application/json" id=…>`. */
export function readJsonData<T>(id: string): T {
  return JSON.parse(byId(id).textContent ?? 'null') as T;
}

export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
