import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from './app.js';

/** Keys (with `/` separators) of the objects the test app's local store holds under a prefix. */
export function storedObjects(t: TestApp, prefix = ''): string[] {
  const root = path.join(t.dataDir, 'blobs', 'objects');
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.filter((k) => k.startsWith(prefix));
}
