import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeliveryTransport } from './transport.js';

/** A local folder (or a mounted share): each file is written beside its name and renamed into place. */
export function folderTransport(config: { path: string }): DeliveryTransport {
  const root = path.resolve(config.path);
  const target = (rel: string) => {
    const full = path.resolve(root, rel);
    if (!full.startsWith(root + path.sep)) throw new Error(`path ${rel} leaves the delivery folder`);
    return full;
  };
  return {
    async put(rel, source, _size) {
      const full = target(rel);
      await mkdir(path.dirname(full), { recursive: true });
      const temp = `${full}.${randomUUID()}.part`;
      try {
        if (Buffer.isBuffer(source)) await writeFile(temp, source);
        else await copyFile(source.path, temp);
        await rename(temp, full);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async size(rel) {
      const s = await stat(target(rel)).catch(() => null);
      return s?.isFile() ? s.size : null;
    },
    async close() {},
  };
}
