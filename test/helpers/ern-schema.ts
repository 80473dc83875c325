import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ERN43_XSD = path.resolve(import.meta.dirname, '../../../shared/reference/ddex/ern43/release-notification.xsd');

/** Validates an XML document against the ERN 4.3 schema with libxml2's xmllint; returns its complaints. */
export function validateErn(xml: string): { valid: boolean; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-ern-'));
  const file = path.join(dir, 'message.xml');
  writeFileSync(file, xml);
  try {
    const output = execFileSync('xmllint', ['--noout', '--schema', ERN43_XSD, file], { stdio: 'pipe' }).toString() ;
    return { valid: true, output };
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer };
    return { valid: false, output: `${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
