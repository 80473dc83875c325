import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
    async put(rel, body, _size) {
      const full = target(rel);
      await mkdir(path.dirname(full), { recursive: true });
      const temp = `${full}.${randomUUID()}.part`;
      try {
        const b = await body();
        await pipeline(Buffer.isBuffer(b) ? Readable.from([b]) : b, createWriteStream(temp));
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
