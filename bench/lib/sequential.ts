export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(times: number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] };
}

/** Service time of `count` requests sent one after another (ms); each must answer 200. */
export async function sequential(count: number, send: (i: number) => Promise<Response>, check?: (body: string, i: number) => void): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const res = await send(i);
    const body = await res.text();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}: ${body.slice(0, 200)}`);
    check?.(body, i);
  }
  return percentiles(times);
}

/** Wall time of `count` calls of an in-process function (ms). */
export async function timed(count: number, run: (i: number) => unknown): Promise<Percentiles> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return percentiles(times);
}

export const ms = (p: Percentiles) => `${p.p50.toFixed(1)}/${p.p95.toFixed(1)}/${p.p99.toFixed(1)}`;
