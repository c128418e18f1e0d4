// The port the original image's server listens on, for recipes that replace the server (a Vite preview
// or `serve` becomes nginx): `docker run -p 3000:3000` and compose files keep working only if the new
// server listens where the old one did. Read from the start command's flags (after following `npm run`
// into package.json), the tool's config file, ENV PORT, EXPOSE and the tool's documented default, in
// that order: the flag is what the server does, EXPOSE only documents it.
import { execFormOf, type Segment } from './stageParts';
import { readJson, type RecipeInput } from './recipes/recipe';

export interface ListenPort {
  port: number;
  /** Where it came from, for the comment in the output ("`--port 4173`", "EXPOSE", "vite preview's default"). */
  source: string;
  /** False when only a default or EXPOSE says so: the output's comment then asks the user to check. */
  certain: boolean;
}

interface Tool {
  /** Matches the words from the tool's name on (`vite preview`, `serve -s dist`). */
  name: RegExp;
  flags: string[];
  defaultPort?: number;
  label: string;
  /** Reads a port from the tool's config file. */
  config?: (input: RecipeInput) => number | undefined;
  /** Whether the tool honours the PORT environment variable. */
  honoursPortEnv?: boolean;
}

const VITE_CONFIGS = ['vite.config.ts', 'vite.config.js', 'vite.config.mjs', 'vite.config.mts', 'vite.config.cjs'];

function viteConfigPort(input: RecipeInput, block: 'preview' | 'server'): number | undefined {
  for (const file of VITE_CONFIGS) {
    const text = input.context?.read(file);
    if (!text) continue;
    const at = text.search(new RegExp(`\\b${block}\\s*:\\s*\\{`));
    if (at < 0) continue;
    const port = /\bport\s*:\s*(\d{2,5})\b/.exec(text.slice(at, at + 400))?.[1];
    if (port) return Number(port);
  }
  return undefined;
}

const TOOLS: Tool[] = [
  { name: /^vite\s+preview\b/, flags: ['--port'], defaultPort: 4173, label: "vite preview's default", config: (i) => viteConfigPort(i, 'preview') },
  { name: /^vite(?:\s+(?:dev|serve)\b|\s*$|\s+-)/, flags: ['--port'], defaultPort: 5173, label: "the Vite dev server's default", config: (i) => viteConfigPort(i, 'server') },
  { name: /^serve\b/, flags: ['-l', '--listen', '-p', '--port'], defaultPort: 3000, label: "serve's default", honoursPortEnv: true },
  { name: /^http-server\b/, flags: ['-p', '--port'], defaultPort: 8080, label: "http-server's default", honoursPortEnv: true },
  { name: /^next\s+start\b/, flags: ['-p', '--port'], defaultPort: 3000, label: "next start's default", honoursPortEnv: true },
  { name: /^ng\s+serve\b/, flags: ['--port'], defaultPort: 4200, label: "ng serve's default" },
  { name: /^react-scripts\s+start\b/, flags: [], defaultPort: 3000, label: "react-scripts start's default", honoursPortEnv: true },
  { name: /^vue-cli-service\s+serve\b/, flags: ['--port'], defaultPort: 8080, label: "vue-cli-service serve's default", honoursPortEnv: true },
  { name: /^(?:astro\s+preview|astro\s+dev)\b/, flags: ['--port'], defaultPort: 4321, label: "astro's default" },
  { name: /^sirv\b/, flags: ['--port', '-p'], defaultPort: 8080, label: "sirv's default", honoursPortEnv: true },
];

/** The start command's words, with `npm run X` / `npm start` / `yarn X` / `pnpm X` replaced by the script. */
export function startCommand(input: RecipeInput): string {
  const segment: Segment | undefined = input.entrypoint ?? input.cmd;
  if (!segment) return '';
  const words = execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').trim().split(/\s+/);
  let text = words.join(' ');
  const scripts = readJson(input, 'package.json')?.scripts as Record<string, unknown> | undefined;
  // Two rounds cover `npm start` → `npm run serve` → `vite preview`.
  for (let round = 0; round < 2; round++) {
    const m = /\b(?:npm\s+(?:run(?:-script)?\s+(\S+)|(start))|yarn\s+(?:run\s+)?(\S+)|pnpm\s+(?:run\s+)?(\S+))(.*)$/.exec(text);
    if (!m) break;
    const name = m[1] ?? m[2] ?? m[3] ?? m[4];
    const script = scripts?.[name];
    if (typeof script !== 'string') break;
    // `npm run preview -- --port 5000` passes the words after `--` to the script.
    const extra = m[5].replace(/^\s*--(?=\s|$)/, '');
    text = `${script}${extra}`;
  }
  return text.replace(/\s+/g, ' ').trim();
}

function flagValue(words: string[], flags: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    for (const flag of flags) {
      if (words[i] === flag && words[i + 1]) return words[i + 1];
      if (words[i].startsWith(`${flag}=`)) return words[i].slice(flag.length + 1);
    }
  }
  return undefined;
}

/** `4173`, `tcp://0.0.0.0:4173`, `0.0.0.0:4173` → 4173. */
function portIn(value: string | undefined): number | undefined {
  const m = value ? /(?:^|:)(\d{2,5})["']?$/.exec(value.trim()) : undefined;
  const port = m ? Number(m[1]) : NaN;
  return port > 0 && port < 65536 ? port : undefined;
}

/** The tool the start command runs (npx / node_modules/.bin prefixes skipped), with its words. */
function toolOf(command: string): { tool: Tool; words: string[] } | undefined {
  // Each `&&`-separated part: the server is usually the last one.
  const parts = command.split(/\s*(?:&&|;)\s*/).reverse();
  for (const part of parts) {
    const words = part.split(' ');
    for (let i = 0; i < words.length; i++) {
      const rest = [words[i].replace(/^(?:\.\/)?node_modules\/\.bin\//, ''), ...words.slice(i + 1)].join(' ');
      const tool = TOOLS.find((t) => t.name.test(rest));
      if (tool) return { tool, words: words.slice(i + 1) };
    }
  }
  return undefined;
}

function envPort(input: RecipeInput): number | undefined {
  for (const segment of input.parts.segments) {
    if (segment.keyword !== 'ENV') continue;
    const m = /\bPORT(?:=|\s+)["']?(\d{2,5})\b/.exec(segment.body);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function exposedPort(input: RecipeInput): number | undefined {
  const expose = input.parts.segments.find((s) => s.keyword === 'EXPOSE');
  return portIn(expose?.instruction.getArgumentsContent()?.trim().split(/\s+/)[0]?.replace(/\/(?:tcp|udp)$/, ''));
}

export function listenPort(input: RecipeInput): ListenPort | undefined {
  const command = startCommand(input);
  const found = toolOf(command);
  if (found) {
    const flag = portIn(flagValue(found.words, found.tool.flags));
    if (flag) return { port: flag, source: `the start command's \`${command}\``, certain: true };
  }
  // A generic `--port N` on a command Multistage does not know.
  const generic = portIn(flagValue(command.split(' '), ['--port']));
  if (generic) return { port: generic, source: `the start command's \`${command}\``, certain: true };
  const config = found?.tool.config?.(input);
  if (config) return { port: config, source: 'the Vite config', certain: true };
  const env = envPort(input);
  if (env && (found?.tool.honoursPortEnv ?? true)) return { port: env, source: 'ENV PORT', certain: true };
  const exposed = exposedPort(input);
  if (exposed) return { port: exposed, source: 'EXPOSE', certain: !found?.tool.defaultPort || found.tool.defaultPort === exposed };
  if (found?.tool.defaultPort) return { port: found.tool.defaultPort, source: found.tool.label, certain: false };
  return undefined;
}
