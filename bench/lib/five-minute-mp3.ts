import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A 320k stereo MP3 of a tone under pink noise (`seconds` long, five minutes by default): its path and bytes. */
export function fiveMinuteMp3(seconds = 300): { file: string; bytes: Buffer } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'll-bench-mp3-')), 'five-minutes.mp3');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`, '-f', 'lavfi', '-i', `anoisesrc=color=pink:amplitude=0.2:duration=${seconds}`, '-filter_complex', 'amix=inputs=2,aformat=channel_layouts=stereo', '-c:a', 'libmp3lame', '-b:a', '320k', file]);
  return { file, bytes: readFileSync(file) };
}
