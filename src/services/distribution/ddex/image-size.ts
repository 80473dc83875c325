/** Width, height and codec of a PNG, JPEG or GIF from its first bytes (no decoder needed). */
export function imageSize(b: Buffer): { codec: 'PNG' | 'JPEG' | 'GIF' | 'Unknown'; width: number | null; height: number | null } {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('ascii', 12, 16) === 'IHDR') {
    return { codec: 'PNG', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && b.toString('ascii', 0, 3) === 'GIF') return { codec: 'GIF', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return { codec: 'JPEG', width: null, height: null };
      const marker = b[i + 1];
      const length = b.readUInt16BE(i + 2);
      // Start-of-frame markers (baseline, progressive, ...) carry the dimensions; DHT, JPG and DAC do not.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { codec: 'JPEG', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + length;
    }
    return { codec: 'JPEG', width: null, height: null };
  }
  return { codec: 'Unknown', width: null, height: null };
}
