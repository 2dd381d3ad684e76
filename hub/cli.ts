/**
 * `npm run hub -- <command>` — the hub's command line. `npm start` runs `start`.
 * Each command has --help. Output meant for scripts (a token, an id) is the last line printed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commands } from './cli/commands.ts';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `Usage: npm run hub -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun a command with --help for its options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const options = { ...command.options, help: { type: 'boolean', short: 'h' } } as ParseArgsConfig['options'];
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: command.positionals === true });
    values = command.positionals ? { ...parsed.values, _: parsed.positionals } : parsed.values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${command.help}`);
    return 2;
  }
  if (values.help) {
    console.log(command.help);
    return 0;
  }
  return command.run(values);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined && code !== -1) process.exitCode = code;
  },
  (err: Error) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  },
);
