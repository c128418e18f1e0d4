// The help texts of `multistage` and of each command. The top-level help repeats every command's
// options, so one `multistage --help` answers what a flag is called without a second call.

export interface CommandHelp {
  usage: string;
  summary: string;
  /** [flag, description] rows. */
  options: [string, string][];
}

export const COMMAND_HELP: Record<'lint' | 'fix' | 'compare' | 'images' | 'xray', CommandHelp> = {
  lint: {
    usage: 'multistage lint [paths…] [options]',
    summary: 'Lints Dockerfiles (folders are searched for Dockerfile, *.Dockerfile, Containerfile…; default: .).',
    options: [
      ['--format text|json|sarif', 'output format (default text; coloured and grouped by file on a terminal)'],
      ['--fail-on error|warning|info|hint|none', 'lowest severity that makes the exit code 1 (default error)'],
      ['--target STAGE', 'the stage you build with --target; size rules look at the stages reaching it'],
      ['--context DIR', 'build context folder (default: each Dockerfile\'s folder)'],
      ['--no-syntax', 'do not report builder syntax errors (syntax-error)'],
      ['--online', 'ask the registries for image sizes and digests (default: the bundled snapshot only)'],
      ['--platform OS/ARCH', 'platform of the image sizes (default: each FROM\'s --platform, else this machine\'s)'],
    ],
  },
  fix: {
    usage: 'multistage fix FILE [options]',
    summary: 'Applies every safe fix, and the rewrites asked for; prints a unified diff unless --write.',
    options: [
      ['--split', 'split into builder and runtime stages first'],
      ['--reorder', 'reorder for the layer cache first'],
      ['--runtime-flavor auto|distroless|slim|alpine', 'runtime image family for --split (default auto)'],
      ['--write', 'write the file instead of printing the diff'],
      ['--target STAGE', 'the stage you build with --target'],
      ['--context DIR', 'build context folder (default: the Dockerfile\'s folder)'],
    ],
  },
  compare: {
    usage: 'multistage compare BEFORE AFTER [options]',
    summary: 'Builds both Dockerfiles with the Docker CLI, compares image size, layers and build time, then runs both images and compares their answers.',
    options: [
      ['--context DIR', 'build context for both (default: each Dockerfile\'s folder)'],
      ['--target STAGE', 'build this stage of both'],
      ['--build-arg NAME[=VALUE]', 'a build argument (repeatable; NAME alone takes it from the environment)'],
      ['--platform OS/ARCH', 'platform to build for'],
      ['--probe "METHOD PATH [BODY]"', 'a request sent to both images (repeatable; PATH may be :PORT/path)'],
      ['--no-behaviour', 'skip the behaviour check (running and probing both images)'],
      ['--ready-timeout SECONDS', 'how long each image may take to answer HTTP (default 30)'],
      ['--smoke SECONDS', 'also run each image this long and report how it ended'],
      ['--xray', 'also x-ray both images: wasted bytes and efficiency of each and the difference (reads every byte of both; a failed x-ray is reported, the comparison stands)'],
      ['--keep-images', 'keep the multistage-compare/… images'],
      ['--no-cache', 'build without the layer cache'],
      ['--legacy-builder', 'build with the legacy builder instead of BuildKit'],
      ['--sequential', 'build one image after the other'],
      ['--docker PATH', 'the Docker CLI (default: docker, or $MULTISTAGE_DOCKER)'],
      ['--json', 'print the result as JSON'],
      ['--verbose', 'print the build output'],
    ],
  },
  images: {
    usage: 'multistage images FILE… [options]',
    summary: 'Prints each FROM image\'s compressed size, layers and age, and its smaller variants with the saving.',
    options: [
      ['--format text|json', 'output format (default text)'],
      ['--online', 'ask the registries (default: the bundled snapshot only, no network)'],
      ['--platform OS/ARCH', 'platform of the sizes (default: each FROM\'s --platform, else this machine\'s)'],
    ],
  },
  xray: {
    usage: 'multistage xray IMAGE | --build FILE [options]',
    summary: 'Reads a built image from the engine\'s export: what each Dockerfile line added and wasted, dive\'s efficiency, known waste; fails over budget.',
    options: [
      ['--build FILE', 'build this Dockerfile under a temporary tag (removed afterwards) and x-ray it'],
      ['--context DIR', 'build context for --build (default: the Dockerfile\'s folder)'],
      ['--target STAGE', 'the stage to build, or the stage IMAGE was built from'],
      ['--build-arg NAME[=VALUE]', 'a build argument for --build (repeatable; NAME alone takes it from the environment)'],
      ['--dockerfile FILE', 'the Dockerfile IMAGE was built from, to map its layers to lines'],
      ['--engine docker|podman', 'the engine CLI (default docker, or $MULTISTAGE_DOCKER as its path)'],
      ['--format text|json|sarif|markdown', 'output format (default text; markdown for a pull-request comment)'],
      ['--max-size SIZE', 'fail (exit 1) when the image is larger, e.g. 200MB, 1.5GiB'],
      ['--max-wasted SIZE', 'fail when more bytes are wasted (in layers but not in the final filesystem)'],
      ['--min-efficiency RATIO', 'fail when dive\'s efficiency is lower, e.g. 0.95 or 95%'],
      ['--config FILE', 'budgets from this file (default: the nearest .multistage.json up to the git root)'],
      ['--no-config', 'ignore .multistage.json'],
    ],
  },
};

export type CommandName = keyof typeof COMMAND_HELP;

function optionRows(help: CommandHelp, indent: string): string {
  const width = Math.max(...help.options.map(([flag]) => flag.length));
  return help.options.map(([flag, text]) => `${indent}${flag.padEnd(width)}  ${text}`).join('\n');
}

export function commandHelp(name: CommandName): string {
  const help = COMMAND_HELP[name];
  const withHelp = { ...help, options: [...help.options, ['-h, --help', 'this help'] as [string, string]] };
  return `Usage: ${help.usage}\n\n${help.summary}\n\nOptions:\n${optionRows(withHelp, '  ')}\n`;
}

export function topLevelHelp(version: string): string {
  const commands = (Object.keys(COMMAND_HELP) as CommandName[])
    .map((name) => `  ${COMMAND_HELP[name].usage}\n    ${COMMAND_HELP[name].summary}\n${optionRows(COMMAND_HELP[name], '      ')}`)
    .join('\n\n');
  return `multistage ${version} — small, fast-to-rebuild container images

Usage:
${commands}

  multistage --version | --help
  multistage COMMAND --help      help for one command

Colour: on when the output is a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on.

Exit codes:
  0  no problem at or above --fail-on (default: error); fix/compare/images succeeded; xray within budget
  1  problems at or above --fail-on were found; compare failed to build; fix --write could not
     write the file, or it changed while fix ran (the file is left as it was); xray: a budget
     was exceeded, or the image could not be built, found or read
  2  usage error, or a file could not be read (missing, not a regular file, or too large),
     or .multistage.json is not valid
  3  compare/xray: the Docker (or Podman) CLI is missing or the daemon is not reachable
  130 compare/xray was interrupted (builds stopped, temporary images and containers removed)
  143 compare/xray was stopped by SIGTERM (the same cleanup)
`;
}

/** Whether argv (a command's arguments) asks for help: -h or --help before a `--`. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}
