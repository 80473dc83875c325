import type { FastifyRequest } from 'fastify';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import { badRequest } from '../../errors.js';

const INDEXED = /^([A-Za-z_][A-Za-z0-9_]*)\[(\d{0,4})\]$/;

/**
 * Folds form fields into one object the way clients write them: `producer[0]`, `producer[1]`
 * (or repeated `producer[]`, or a repeated plain name) become the list `producer`.
 */
export class FormFields {
  private readonly plain: Record<string, unknown> = Object.create(null);
  private readonly indexed = new Map<string, Array<[number, string]>>();

  add(name: string, value: string): void {
    const m = INDEXED.exec(name);
    if (m) {
      const list = this.indexed.get(m[1]) ?? [];
      list.push([m[2] === '' ? Number.MAX_SAFE_INTEGER - 1000 + list.length : Number(m[2]), value]);
      this.indexed.set(m[1], list);
      return;
    }
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') return;
    const prev = this.plain[name];
    this.plain[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }

  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = { ...this.plain };
    for (const [name, items] of this.indexed) out[name] = items.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    return out;
  }
}

/**
 * Reads a multipart body: fields are collected, the one file part (`file`) is handed to
 * `onFile` while it streams. If reading fails after the file was taken, `onAbort` undoes it.
 */
export async function readForm<T>(
  request: FastifyRequest,
  onFile: (part: MultipartFile) => Promise<T>,
  onAbort: (taken: T) => Promise<void>,
): Promise<{ fields: Record<string, unknown>; file: T | null }> {
  const fields = new FormFields();
  let file: T | null = null;
  try {
    for await (const part of request.parts() as AsyncIterableIterator<Multipart>) {
      if (part.type === 'file') {
        if (file !== null || (part.fieldname !== 'file' && part.fieldname !== 'media')) {
          part.file.resume();
          throw badRequest('unexpected_file', `Only one file, in the field "file", is accepted (got "${part.fieldname}")`);
        }
        file = await onFile(part);
      } else {
        fields.add(part.fieldname, typeof part.value === 'string' ? part.value : String(part.value));
      }
    }
  } catch (err) {
    if (file !== null) await onAbort(file);
    throw err;
  }
  return { fields: fields.toObject(), file };
}
