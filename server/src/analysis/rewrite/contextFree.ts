// Installs that read nothing from the build context: system packages (apt, apk, dnf…), packages named on
// the command line (`pip install flask`, `npm install -g serve`, `gem install bundler`), tools fetched by
// version (`go install pkg@v1`, `cargo install ripgrep`). Placed after `COPY . .` they run again on every
// source change for nothing; they can move above the copy exactly as written.
// Anything that could name a context file keeps a command out: a path, a requirements or constraints
// file, a local wheel/.deb/.gem, a variable (its value is unknown here).

/** Options whose value is never a context file (an index URL, a version, a folder in the image). */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  pip: new Set(['-i', '--index-url', '--extra-index-url', '--trusted-host', '--prefix', '--target', '-t', '--root', '--platform', '--python-version', '--implementation', '--abi', '--only-binary', '--no-binary', '--progress-bar', '--timeout', '--retries', '--cache-dir', '--upgrade-strategy', '--src']),
  npm: new Set(['--registry', '--prefix', '--cache', '--loglevel', '--omit', '--include']),
  gem: new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '--platform']),
  go: new Set(['-ldflags', '-gcflags', '-tags', '-trimpath', '-mod', '-p']),
  cargo: new Set(['--version', '--vers', '--git', '--branch', '--tag', '--rev', '--root', '--features', '-F', '--target', '--profile', '--registry', '--index', '-j', '--jobs', '--bin', '--example']),
};
/** Options that read a context file or folder. */
const CONTEXT_OPTIONS = /^(?:-r|--requirement|-c|--constraint|-e|--editable|-f|--find-links|--no-index|--path|-g|--file|--local|--config|--manifest-path)(?:=|$)/;
const PACKAGE = {
  pip: /^[A-Za-z0-9][\w.-]*(?:\[[\w,.-]+\])?(?:(?:===?|~=|!=|<=?|>=?)[\w.*+!-]+(?:,(?:===?|~=|!=|<=?|>=?)[\w.*+!-]+)*)?$/,
  npm: /^(?:@[\w.-]+\/)?[a-z0-9][\w.-]*(?:@[\w.^~<>=*-]+)?$/,
  gem: /^[A-Za-z0-9][\w.-]*(?::[\w.<>=~ -]+)?$/,
  go: /^[a-z0-9][\w.-]*(?:\.[\w-]+)+(?:\/[\w.~-]+)*@[\w.+-]+$/,
  cargo: /^[A-Za-z0-9][\w-]*(?:@[\w.^~<>=*-]+)?$/,
};
/** System package managers: their arguments are package names, except local package files. */
const SYSTEM = /^(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)(?:\s|$)/;
/** Housekeeping that goes with them and reads no context file. */
const HOUSEKEEPING = /^(?:rm\s+-(?:rf|fr|r)\s+(?:\/var\/lib\/apt\/lists\/\*|\/var\/cache\/(?:apt|apk)\/?\*?|\/tmp\/\*|\/root\/\.cache(?:\/\w+)?)(?:\s+(?:\/var\/lib\/apt\/lists\/\*|\/var\/cache\/(?:apt|apk)\/?\*?|\/tmp\/\*|\/root\/\.cache(?:\/\w+)?))*|true|set\s+-[eux]+|(?:apt-get|apt)\s+clean|echo\s+[^$`<>|;&]*)$/;

function unquoted(word: string): string {
  return /^'[^']*'$|^"[^"$`\\]*"$/.test(word) ? word.slice(1, -1) : word;
}

/** Named packages of `tool` after the subcommand words, when none of the words reads the context. */
function namedOnly(tool: keyof typeof PACKAGE, words: string[]): boolean {
  let packages = 0;
  for (let i = 0; i < words.length; i++) {
    const word = unquoted(words[i]);
    if (/[$`\\'"\s]/.test(word)) return false;
    if (word.startsWith('-')) {
      if (CONTEXT_OPTIONS.test(word) && !(tool === 'npm' && /^(?:-g|--global)$/.test(word))) return false;
      if (VALUE_OPTIONS[tool]?.has(word)) i++;
      continue;
    }
    if (!PACKAGE[tool].test(word)) return false;
    packages++;
  }
  return packages > 0;
}

/** The install a `&&` part runs when it reads nothing from the context, described; undefined otherwise. */
export function contextFreeInstall(part: string): string | undefined {
  const command = part.replace(/^(?:[A-Za-z_]\w*=\S*\s+)+/, '').trim();
  // Shell syntax outside quotes (pipes, redirections, substitutions, variables) is more than an install.
  if (/[|;<>`$(){}\\]/.test(command.replace(/'[^']*'|"[^"$`\\]*"/g, 'Q'))) return undefined;
  const words = command.split(/\s+/);
  if (SYSTEM.test(command)) {
    // Local package files (./x.deb, /tmp/x.rpm copied from the context) are the exception.
    return words.slice(1).some((w) => /[/]|\.(?:deb|rpm|apk)$/.test(w) && !w.startsWith('-')) ? undefined : words.slice(0, 3).join(' ');
  }
  const pip = /^(?:pip3?|python3?(?:\.\d+)?\s+-m\s+pip)\s+install\s+(.*)$/.exec(command);
  if (pip) return namedOnly('pip', pip[1].split(/\s+/)) ? command : undefined;
  const npm = /^npm\s+(?:install|i|add)\s+(.*)$/.exec(command);
  if (npm) return /(?:^|\s)(?:-g|--global)(?:\s|$)/.test(npm[1]) && namedOnly('npm', npm[1].split(/\s+/)) ? command : undefined;
  const gem = /^gem\s+install\s+(.*)$/.exec(command);
  if (gem) return namedOnly('gem', gem[1].split(/\s+/)) ? command : undefined;
  const go = /^go\s+install\s+(.*)$/.exec(command);
  if (go) return namedOnly('go', go[1].split(/\s+/)) ? command : undefined;
  const cargo = /^cargo\s+install\s+(.*)$/.exec(command);
  if (cargo) return namedOnly('cargo', cargo[1].split(/\s+/)) ? command : undefined;
  return undefined;
}

/**
 * A RUN whose every `&&` part reads nothing from the context and at least one installs something: the
 * install it runs, described (for messages). Housekeeping parts (rm -rf /var/lib/apt/lists/*) may go along.
 */
export function contextFreeRun(parts: readonly string[]): string | undefined {
  let install: string | undefined;
  for (const part of parts) {
    const found = contextFreeInstall(part);
    if (found) install ??= found;
    else if (!HOUSEKEEPING.test(part.trim())) return undefined;
  }
  return install;
}

/**
 * Where the install writes, a copy of the sources must not land: moving the install above the copy would
 * change which of the two wins for a file both write.
 */
export function copyDestinationIsSafe(dest: string): boolean {
  const d = dest.replace(/\/+$/, '') || '/';
  if (d === '/') return false;
  const system = ['/usr', '/etc', '/var', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/opt/conda', '/root', '/go', '/usr/local', '/home'];
  if (/^\/usr\/src(?:\/|$)|^\/var\/www(?:\/|$)|^\/go\/src(?:\/|$)|^\/home\/[^/]+\/.+|^\/root\/(?!\.)[^/]+/.test(d)) return true;
  return !system.some((s) => d === s || d.startsWith(`${s}/`) || s.startsWith(`${d}/`));
}
