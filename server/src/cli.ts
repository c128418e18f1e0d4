// The `multistage` command line: lint, fix, compare, images and xray on the same engine as the language server.
import type { CliIO } from './cli/io';
import { runLint } from './cli/lint';
import { EXIT_OK, EXIT_USAGE } from './cli/exitCodes';
import { runFix } from './cli/fix';
import { runCompare } from './cli/compare';
import { runImages } from './cli/images';
import { runXray } from './cli/xray';
import { UsageError } from './cli/args';
import { commandHelp, topLevelHelp, wantsHelp, type CommandName } from './cli/help';
import { terminalStyle } from './cli/terminal';
import { version } from '../../package.json';

const COMMANDS: Record<CommandName, (argv: string[], io: CliIO) => number | Promise<number>> = {
  lint: runLint,
  fix: runFix,
  compare: (argv) => runCompare(argv),
  images: runImages,
  xray: runXray,
};

/** An error from node:fs (ENOENT, EACCES, EISDIR…) said the way a person reads it, not as a raw errno. */
function fileProblem(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!e || typeof e.code !== 'string' || typeof e.path !== 'string') return undefined;
  const what: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
  };
  return `${e.path}: ${what[e.code] ?? e.message}`;
}

async function main(argv: string[]): Promise<number> {
  const started = new Date().toISOString();
  const style = terminalStyle(process.env, Boolean(process.stdout.isTTY));
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    version,
    report: { ...style, cwd: process.cwd(), commandLine: ['multistage', ...argv].join(' '), startTimeUtc: started },
  };
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(COMMANDS, command)) {
      const name = command as CommandName;
      if (wantsHelp(rest)) {
        io.stdout(commandHelp(name));
        return EXIT_OK;
      }
      return await COMMANDS[name](rest, io);
    }
    switch (command) {
      case '--version':
      case '-v':
        io.stdout(`${version}\n`);
        return EXIT_OK;
      case undefined:
      case '--help':
      case '-h':
      case 'help': {
        const topic = rest[0];
        if (command === 'help' && topic !== undefined && Object.hasOwn(COMMANDS, topic)) io.stdout(commandHelp(topic as CommandName));
        else io.stdout(topLevelHelp(version));
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const name = command !== undefined && Object.hasOwn(COMMANDS, command) ? (command as CommandName) : undefined;
      io.stderr(`multistage: ${error.message}\n\n${name ? commandHelp(name) : topLevelHelp(version)}`);
      return EXIT_USAGE;
    }
    const problem = fileProblem(error);
    io.stderr(`multistage: ${problem ?? (error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
