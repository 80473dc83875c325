export const nowIso = (): string => new Date().toISOString();
export const isoIn = (seconds: number, from = Date.now()): string => new Date(from + seconds * 1000).toISOString();
export const parseJson = <T>(s: string | null | undefined, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};
