import { z } from 'zod';
import { allowedContentTypes, type UploadKind } from '../../services/upload-rules.js';

export const id = z.string().min(1).max(100);
export const trackParams = z.object({ trackId: id });

const bareType = (ct: string) => ct.split(';')[0].trim().toLowerCase();

/** `{ fileName, contentType, byteSize }` with the content types a kind of upload accepts. */
export function uploadBody(kind: UploadKind, what: string) {
  const allowed = allowedContentTypes(kind);
  return z.object({
    fileName: z.string().trim().min(1).max(255),
    contentType: z
      .string()
      .min(1)
      .max(200)
      .refine((ct) => allowed.includes(bareType(ct)), { message: `${what} uploads accept ${allowed.join(', ')}` }),
    byteSize: z.number().int().positive(),
  });
}
