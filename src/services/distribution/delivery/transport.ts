/** Where a batch is written: a folder, an S3 prefix or an SFTP directory. Paths are relative, `/`-separated. */
/** What is written: bytes in memory (messages) or a local file (masters, artwork). */
export type DeliverySource = Buffer | { path: string };

export interface DeliveryTransport {
  /** Writes a whole file; a reader never sees part of one (temporary name, then rename, where the target has renames). */
  put(path: string, source: DeliverySource, size: number): Promise<void>;
  /** The size of the file at `path`, or null when there is none. */
  size(path: string): Promise<number | null>;
  close(): Promise<void>;
}

/** Joins a configured base with a relative path, never climbing out of the base. */
export function joinRemote(base: string, rel: string): string {
  const parts = rel.split('/').filter((p) => p && p !== '.' && p !== '..');
  return [base.replace(/\/+$/, ''), ...parts].filter(Boolean).join('/');
}
