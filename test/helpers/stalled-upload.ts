import { randomUUID } from 'node:crypto';

export interface StalledUpload {
  /** The response if the server answered, or the error fetch failed with (a killed server resets the connection). */
  outcome: Promise<Response | Error>;
  /** Bytes of the file handed to the connection so far. */
  sentBytes(): number;
}

const CHUNK = 64 * 1024;

/**
 * POSTs `bytes` as the multipart/form-data field `field`, but sends only the first `headBytes`
 * of the file and then stalls, never ending the body: a server killed meanwhile dies with the
 * request half-read, the way a client on a slow link leaves it.
 */
export function stalledMultipartUpload(
  url: string,
  headers: Record<string, string>,
  file: { field: string; fileName: string; contentType: string; bytes: Buffer; headBytes: number },
): StalledUpload {
  const boundary = `----ll-${randomUUID()}`;
  const preamble = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.fileName}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  let offset = 0;
  let stall: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(preamble));
    },
    pull(controller) {
      if (offset >= file.headBytes) return new Promise<void>((resolve) => (stall = resolve));
      const end = Math.min(offset + CHUNK, file.headBytes);
      controller.enqueue(new Uint8Array(file.bytes.subarray(offset, end)));
      offset = end;
    },
    cancel() {
      stall?.();
    },
  });
  const outcome = fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit).then(
    async (res) => {
      stall?.();
      await res.arrayBuffer().catch(() => undefined);
      return res;
    },
    (err: Error) => {
      stall?.();
      return err;
    },
  );
  return { outcome, sentBytes: () => offset };
}
