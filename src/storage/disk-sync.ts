import { open, type FileHandle } from 'node:fs/promises';

/**
 * Flushes a file being written to disk in the background every `every` bytes, so the final
 * fsync before publishing it only has the tail left to write. Without this the kernel keeps
 * the whole upload dirty in the page cache and the closing fsync writes all of it while the
 * client waits; with it, disk writes overlap the network transfer. Errors are ignored here:
 * the closing fsync reports any that matter.
 */
export class EarlyFlush {
  private handle?: FileHandle;
  private pending?: Promise<void>;
  private unflushed = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly every = 16 * 1024 * 1024,
  ) {}

  wrote(bytes: number): void {
    this.unflushed += bytes;
    if (this.unflushed < this.every || this.pending || this.closed) return;
    this.unflushed = 0;
    this.pending = this.flush().finally(() => {
      this.pending = undefined;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  private async flush(): Promise<void> {
    try {
      this.handle ??= await open(this.path, 'r');
      if (!this.closed) await this.handle.datasync();
    } catch {
      // see class comment
    }
  }
}

/** A rename is only durable once the folder holding the new entry is flushed too. */
export async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
