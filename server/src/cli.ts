// The `multistage` command line: lint, fix and compare on the same engine as the language server.
import { runLint, EXIT_USAGE, type CliIO } from './cli/lint';
import { runFix } from './cli/fix';
import { runCompare } from './cli/compare';
import { UsageError } from './cli/args';
import { version } from '../../package.json';

const USAGE = `multistage ${version} — small, fast-to-rebuild container images

Usage:
  multistage lint [paths…] [--format text|json|sarif] [--fail-on error|warning|info|hint|none]
                  [--target STAGE] [--context DIR] [--no-syntax]
  multistage fix FILE [--split] [--reorder] [--runtime-flavor auto|distroless|slim|alpine] [--write]
                 [--target STAGE] [--context DIR]
  multistage compare BEFORE AFTER [--context DIR] [--target T] [--json]
  multistage --version | --help

Exit codes:
  0  no problem at or above --fail-on (default: error); fix/compare succeeded
  1  problems at or above --fail-on were found; compare failed to build; fix --write could not
     write the file, or it changed while fix ran (the file is left as it was)
  2  usage error, or a file could not be read (missing, not a regular file, or too large)
  3  compare: the Docker CLI is missing or the daemon is not reachable
  130 compare was interrupted (both builds stopped, temporary images removed)
`;

async function main(argv: string[]): Promise<number> {
  const io: CliIO = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), version };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return runLint(rest, io);
      case 'fix':
        return runFix(rest, io);
      case 'compare':
        return runCompare(rest);
      case '--version':
      case '-v':
        io.stdout(`${version}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`multistage: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    io.stderr(`multistage: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
