/** Timing and formatting shared by the benchmarks. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall-clock seconds of one call. */
export async function timeSeconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function seconds(value: number): string {
  return `${value.toFixed(value < 1 ? 3 : 2)}s`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}
