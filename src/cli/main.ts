// `maskwright` CLI entry: the same jobs as the extension, headless. No vscode import.
import { parseArgs } from 'node:util';
import { UsageError, type CliIO } from './command';
import { commands } from './registry';

function usage(): string {
  const w = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'usage: maskwright <command> [options] [args]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    "Run 'maskwright <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(require('../../package.json').version);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`maskwright: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.help);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
    return await cmd.run(values, positionals, io);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`maskwright ${name}: ${err.message}\nRun 'maskwright ${name} --help' for usage.`);
      return 2;
    }
    io.err(`maskwright ${name}: ${err.message}`);
    return 1;
  }
}

if (require.main === module) {
  const ac = new AbortController();
  process.on('SIGINT', () => {
    if (ac.signal.aborted) process.exit(130);
    ac.abort();
  });
  const io: CliIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n'), signal: ac.signal };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}
