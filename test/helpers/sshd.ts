import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SSHD = '/usr/sbin/sshd';
export const hasSshd = () => existsSync(SSHD) && existsSync('/usr/bin/ssh-keygen');

export interface RunningSshd {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** Path of the client's private key file (for OpenSSH's own sftp). */
  keyFile: string;
  /** A directory the SFTP user may write to. */
  root: string;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

/** Debian's OpenSSH server on a loopback port, with a host key and a client key pair made for it. */
export async function startSshd(): Promise<RunningSshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-sshd-'));
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'pipe' });
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')));
  const root = path.join(dir, 'incoming');
  mkdirSync(root);
  // sshd insists on its privilege-separation directory.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
      'StrictModes no', 'PermitRootLogin prohibit-password', 'Subsystem sftp internal-sftp', 'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b) => (stderr += String(b)));
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.end();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || i > 100) throw new Error(`sshd did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1', port, username: os.userInfo().username, privateKey: readFileSync(path.join(dir, 'client_key'), 'utf8'), keyFile: path.join(dir, 'client_key'), root,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
