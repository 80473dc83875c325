/**
 * Named points in write paths where the crash matrix (test/integration/crash) kills the process,
 * as `kill -9` would, to prove that every write survives a crash at its worst moment.
 * `LEDGERLINE_CRASH_AT=<name>` arms one point (`<name>#3`: at its third pass); unset, as in any
 * real deployment, a point costs one comparison.
 */
const armed = process.env.LEDGERLINE_CRASH_AT ?? '';
const [armedName, armedPass] = armed.split('#');
let passes = 0;

export function crashPoint(name: string): void {
  if (!armed || name !== armedName) return;
  passes++;
  if (passes >= Number(armedPass ?? 1)) process.kill(process.pid, 'SIGKILL');
}
