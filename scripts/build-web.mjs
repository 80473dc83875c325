#!/usr/bin/env node
// Bundles the browser code in src/web/client/ into content-hashed files and writes the
// manifest the server reads to link and serve them.
//
//   node scripts/build-web.mjs [--out-dir DIR] [--quiet] [--if-available]
//
// --if-available: when esbuild is not installed (a production install without dev
// dependencies), warn and exit 0 instead of failing, so an install step can call it.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT = join(ROOT, 'src/web/client');

/** Page entries; each page loads exactly one of these. */
const ENTRIES = {
  share: join(CLIENT, 'share.ts'),
  'embed-player': join(CLIENT, 'embed-player.ts'),
  embed: join(CLIENT, 'embed.ts'),
};

/** Unhashed names that other sites link directly, so they must not change per build. */
const ALIASES = { 'embed.js': 'embed' };

/** Budget per page; the build fails rather than ship a heavier page. */
const GZIP_BUDGET_BYTES = 60 * 1024;

function parseArgs(argv) {
  const args = { outDir: join(ROOT, 'src/web/dist'), quiet: false, ifAvailable: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir') args.outDir = resolve(argv[++i]);
    else if (argv[i] === '--quiet') args.quiet = true;
    else if (argv[i] === '--if-available') args.ifAvailable = true;
    else throw new Error(`unknown argument: ${argv[i]}`);
  }
  return args;
}

async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return null;
  }
}

export async function buildWeb({ outDir, quiet = false }) {
  const esbuild = await loadEsbuild();
  if (!esbuild) throw new Error('esbuild is not installed; install dev dependencies to build the web assets');
  // Old hashed files would otherwise pile up; only this build's outputs stay.
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.js') || name === 'manifest.json') await rm(join(outDir, name));
  }

  const result = await esbuild.build({
    entryPoints: ENTRIES,
    outdir: outDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });

  const entries = {};
  for (const [outPath, meta] of Object.entries(result.metafile.outputs)) {
    const name = Object.keys(ENTRIES).find((key) => resolve(ROOT, meta.entryPoint ?? '') === ENTRIES[key]);
    if (!name) continue;
    const body = await readFile(resolve(ROOT, outPath));
    entries[name] = {
      file: basename(outPath),
      integrity: `sha384-${createHash('sha384').update(body).digest('base64')}`,
      bytes: body.length,
      gzipBytes: gzipSync(body, { level: 9 }).length,
    };
  }
  for (const name of Object.keys(ENTRIES)) {
    if (!entries[name]) throw new Error(`esbuild produced no output for entry "${name}"`);
  }

  const aliases = Object.fromEntries(Object.entries(ALIASES).map(([alias, entry]) => [alias, entries[entry].file]));
  const manifest = { version: 1, entries, aliases };
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  if (!quiet) {
    console.log(`web assets -> ${outDir}`);
    for (const [name, entry] of Object.entries(entries)) {
      const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
      console.log(`  ${name.padEnd(13)} ${entry.file.padEnd(28)} ${kb(entry.bytes)} ${kb(entry.gzipBytes)} gzip`);
    }
  }
  const over = Object.entries(entries).filter(([, e]) => e.gzipBytes > GZIP_BUDGET_BYTES);
  if (over.length > 0) {
    throw new Error(`over the ${GZIP_BUDGET_BYTES / 1024} KB gzip budget: ${over.map(([n]) => n).join(', ')}`);
  }
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  if (args.ifAvailable && !(await loadEsbuild())) {
    console.warn('web assets: esbuild not installed, skipping the browser bundle build');
    process.exit(0);
  }
  buildWeb(args).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
