import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, open, readFile, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, conflict } from '../errors.js';
import type {
  BlobStat,
  BlobStore,
  ByteRange,
  GetResult,
  MaterializedBlob,
  PutOptions,
  SignedGetOptions,
  SignedPut,
  SignedPutOptions,
} from './blob-store.js';
import { ByteCounter, effectiveLimit } from './byte-counter.js';
import { EarlyFlush, syncFolder } from './disk-sync.js';
import { sweepStaleTemps, tempName } from './temp-files.js';
import {
  assertValidContentType,
  assertValidKey,
  assertValidPrefix,
  blobNotFound,
  payloadTooLarge,
  rangeNotSatisfiable,
  sizeMismatch,
} from './key-rules.js';
import { UrlSigner } from './url-signer.js';

export interface LocalBlobStoreOptions {
  /** Folder holding everything: objects/, meta/ (content types) and tmp/ (in-flight writes). */
  root: string;
  /** Where the app is reachable; signed URLs point at its /storage/* routes. */
  publicUrl: string;
  secret: string;
  now?: () => number;
  /**
   * Default true: a write is on disk (file and folder entry) before put() resolves, so an
   * acknowledged upload survives a power cut. false skips the fsyncs, for scratch stores.
   */
  durable?: boolean;
}

interface Meta {
  contentType?: string;
}

const isCode = (err: unknown, ...codes: string[]) =>
  typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Objects are plain files under objects/<key>. Content types live in a parallel meta/ tree,
 * so listing or deleting objects never trips over sidecars and no key can collide with one.
 * Writes land in tmp/ (same filesystem) and are renamed into place only when complete.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly root: string;
  readonly signer: UrlSigner;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  readonly tmpDir: string;
  private readonly durable: boolean;

  constructor(opts: LocalBlobStoreOptions) {
    this.root = resolve(opts.root);
    this.durable = opts.durable ?? true;
    this.objectsDir = join(this.root, 'objects');
    this.metaDir = join(this.root, 'meta');
    this.tmpDir = join(this.root, 'tmp');
    this.signer = new UrlSigner({ publicUrl: opts.publicUrl, secret: opts.secret, now: opts.now });
    // Clear what a crashed process was writing; nothing waits for it and a failure changes nothing.
    void this.sweepStaleTemps().catch(() => undefined);
  }

  /** Removes temp files of writers that are gone; also runs at construction and in check(). */
  sweepStaleTemps(): Promise<number> {
    return sweepStaleTemps(this.tmpDir);
  }

  /** Absolute path of the file holding `key` (which need not exist). */
  pathOf(key: string): string {
    assertValidKey(key);
    const path = resolve(this.objectsDir, key);
    // Key validation already rules out escapes; this is the belt to its braces.
    if (!path.startsWith(this.objectsDir + sep)) throw new AppError(400, 'invalid_key', 'Object key escapes the store');
    return path;
  }

  private metaPathOf(key: string): string {
    return join(this.metaDir, `${key}.json`);
  }

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<BlobStat> {
    const target = this.pathOf(key);
    if (opts.contentType !== undefined) assertValidContentType(opts.contentType);
    const limit = effectiveLimit(opts);
    if (Buffer.isBuffer(body) && body.length > limit) throw payloadTooLarge(limit);

    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, tempName('part'));
    const early = this.durable ? new EarlyFlush(tmp) : undefined;
    const counter = new ByteCounter(limit, early && ((n) => early.wrote(n)));
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      // flush: the data reaches the disk before the rename publishes it.
      await pipeline(source, counter, createWriteStream(tmp, { flags: 'wx', flush: this.durable })).finally(() => early?.close());
      if (opts.expectedSize !== undefined && counter.bytes !== opts.expectedSize) {
        throw sizeMismatch(opts.expectedSize, counter.bytes);
      }
      // Surface a key/folder clash before the metadata is touched.
      await mkdir(dirname(target), { recursive: true });
      if ((await stat(target).catch(() => null))?.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
      await this.writeMeta(key, { contentType: opts.contentType });
      await this.publish(tmp, target);
      if (this.durable) await syncFolder(dirname(target));
    } catch (err) {
      await rm(tmp, { force: true });
      if (isCode(err, 'ENOTDIR', 'EISDIR', 'EEXIST')) {
        throw conflict('key_conflict', 'Object key clashes with an existing key used as a folder (or the reverse)', {
          details: { key },
        });
      }
      throw err;
    }
    const lastModified = await stat(target).then((st) => st.mtime, () => new Date());
    return { size: counter.bytes, contentType: opts.contentType, lastModified };
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    const path = this.pathOf(key);
    let fh;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR')) throw blobNotFound(key);
      throw err;
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw blobNotFound(key);
      const meta = await this.readMeta(key);
      const base = { size: st.size, contentType: meta.contentType, lastModified: st.mtime };
      if (!range) return { ...base, body: fh.createReadStream() };
      const start = range.start;
      const end = Math.min(range.end ?? st.size - 1, st.size - 1);
      if (!Number.isSafeInteger(start) || start < 0 || start >= st.size || end < start) throw rangeNotSatisfiable(st.size);
      return { ...base, range: { start, end }, body: fh.createReadStream({ start, end }) };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    const path = this.pathOf(key);
    try {
      const st = await stat(path);
      if (!st.isFile()) return null;
      const meta = await this.readMeta(key);
      return { size: st.size, contentType: meta.contentType, lastModified: st.mtime };
    } catch (err) {
      if (isCode(err, 'ENOENT', 'ENOTDIR')) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    for (const file of [path, this.metaPathOf(key)]) {
      try {
        await unlink(file);
      } catch (err) {
        // A folder at that path is not an object, so there is nothing to delete.
        if (!isCode(err, 'ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM')) throw err;
      }
    }
    await this.prune(dirname(path), this.objectsDir);
    await this.prune(dirname(this.metaPathOf(key)), this.metaDir);
  }

  /**
   * S3 semantics: every key starting with the prefix string, so "a/b" also removes "a/bc".
   * That is the entries of the prefix's folder whose names start with its last segment.
   */
  async deletePrefix(prefix: string): Promise<void> {
    assertValidPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const folder = slash >= 0 ? prefix.slice(0, slash) : '';
    const partial = prefix.slice(slash + 1);
    for (const base of [this.objectsDir, this.metaDir]) {
      const dir = folder ? join(base, folder) : base;
      let entries: string[];
      try {
        entries = await readdir(dir);
      } catch (err) {
        if (isCode(err, 'ENOENT', 'ENOTDIR')) continue;
        throw err;
      }
      await Promise.all(
        entries.filter((name) => name.startsWith(partial)).map((name) => rm(join(dir, name), { recursive: true, force: true })),
      );
      await this.prune(dir, base);
    }
  }

  async signedGetUrl(key: string, opts: SignedGetOptions): Promise<string> {
    return this.signer.signGet(key, opts);
  }

  async signedPutUrl(key: string, opts: SignedPutOptions): Promise<SignedPut> {
    const { url, expiresAt } = this.signer.signPut(key, opts);
    return {
      url,
      method: 'PUT',
      headers: opts.exactSize === false ? { 'Content-Type': opts.contentType } : { 'Content-Type': opts.contentType, 'Content-Length': String(opts.byteSize) },
      expiresAt,
    };
  }

  /** The object's own file: nothing is copied, so cleanup has nothing to remove. */
  async materialize(key: string): Promise<MaterializedBlob> {
    const path = this.pathOf(key);
    if (!(await this.stat(key))) throw blobNotFound(key);
    return { path, cleanup: async () => {} };
  }

  async check(): Promise<void> {
    try {
      await Promise.all([this.objectsDir, this.metaDir, this.tmpDir].map((d) => mkdir(d, { recursive: true })));
      await access(this.root, constants.R_OK | constants.W_OK);
      // A writable mode bit does not prove a write succeeds (read-only mount, full disk).
      const probe = join(this.tmpDir, tempName('probe'));
      await writeFile(probe, 'ok');
      await unlink(probe);
      await this.sweepStaleTemps();
    } catch (err) {
      throw new AppError(503, 'storage_unavailable', 'Local blob storage is not writable', { cause: err });
    }
  }

  private async publish(tmp: string, target: string): Promise<void> {
    // A concurrent delete may prune the freshly made folder before the rename; try again.
    for (let attempt = 0; ; attempt++) {
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(tmp, target);
        return;
      } catch (err) {
        if (!isCode(err, 'ENOENT') || attempt >= 3) throw err;
      }
    }
  }

  private async writeMeta(key: string, meta: Meta): Promise<void> {
    const path = this.metaPathOf(key);
    if (meta.contentType === undefined) {
      await rm(path, { force: true });
      return;
    }
    const tmp = join(this.tmpDir, tempName('meta'));
    try {
      await writeFile(tmp, JSON.stringify(meta), { flag: 'wx', flush: this.durable });
      await this.publish(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private async readMeta(key: string): Promise<Meta> {
    try {
      const parsed = JSON.parse(await readFile(this.metaPathOf(key), 'utf8')) as Meta;
      return typeof parsed?.contentType === 'string' ? { contentType: parsed.contentType } : {};
    } catch {
      // Missing or unreadable metadata only loses the content type, never the object.
      return {};
    }
  }

  /** Removes now-empty folders from `dir` up to (not including) `stopAt`. */
  private async prune(dir: string, stopAt: string): Promise<void> {
    let current = dir;
    while (current.startsWith(stopAt + sep)) {
      try {
        await rmdir(current);
      } catch (err) {
        if (!isCode(err, 'ENOENT')) return; // not empty: nothing above can be empty either
      }
      current = dirname(current);
    }
  }
}
