import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The shared settings of deploy/cluster.env, as compose.yaml and the systemd units load them. */
export function clusterEnv(): Record<string, string> {
  const text = readFileSync(path.join(repoRoot, 'deploy', 'cluster.env'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

/** The container's entrypoint (Dockerfile CMD), run from the checkout. */
export const ENTRYPOINT = ['--import', 'tsx', 'src/main.ts'];

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  /** http://127.0.0.1:PORT for API processes. */
  base?: string;
  output(): string;
  signal(sig: NodeJS.Signals): void;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts one Ledgerline process with the entrypoint and environment a container gets and
 * resolves once it is serving: `/healthz` answers (API), or it has said it is running (worker).
 */
export async function startProcess(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ENTRYPOINT, { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = env.RUN_MODE === 'worker' ? undefined : `http://127.0.0.1:${env.PORT}`;
  const proc: ClusterProcess = {
    name,
    child,
    base,
    output: () => out,
    signal: (sig) => void child.kill(sig),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    exited,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited early (${child.exitCode}):\n${out}`);
    const up = base ? await fetch(`${base}/healthz`).then((r) => r.ok, () => false) : out.includes('Ledgerline is running (worker mode)');
    if (up) return proc;
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`${name} did not start within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the CLI (`ledgerline ...`) with the cluster's environment; resolves with its stdout. */
export function runCli(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ledgerline.js'), ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`ledgerline ${args.join(' ')} exited ${code}: ${err}`))));
  });
}
