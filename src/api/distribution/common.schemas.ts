import { z } from 'zod';

const typeName = (input: unknown) => (input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input);

/** Strings whose failures read "title is required", "title must be at most 255 characters". */
export const str = () => z.string({ error: (i) => (i.input === undefined ? 'is required' : `must be a string, not ${typeName(i.input)}`) });
export const reqText = (max: number) => str().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const optText = (max: number) => str().max(max, `must be at most ${max} characters`).nullable().optional();
export const stringList = (max: number) =>
  z.union([str().max(max, `must be at most ${max} characters`).transform((s) => [s]), z.array(str().max(max, `must be at most ${max} characters`)).max(50)], {
    error: 'must be a string or a list of strings',
  });
export const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be an object' });

export const idParam = z.object({ id: z.string().min(1).max(100) });

export const order = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['asc', 'desc'], { error: 'must be asc or desc' }))
  .default('desc');
