import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { helpText, parse, UsageError } from './args.js';
import { commands } from './commands.js';

function usage(): string {
  return [
    'Ledgerline command line',
    '',
    'Usage: ledgerline <command> [options]   (--help on any command)',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(60)} ${c.summary.split('.')[0]}`),
    '',
    'Reads the same configuration (environment variables) as the server.',
  ].join('\n');
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 1;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}\n`);
    return 1;
  }
  try {
    const { values, positionals } = parse(cmd, rest);
    if (values.help) {
      process.stdout.write(helpText(cmd));
      return 0;
    }
    return await cmd.run(values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${helpText(cmd)}`);
      return 1;
    }
    if (err instanceof ConfigError || err instanceof AppError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await run(process.argv.slice(2));
