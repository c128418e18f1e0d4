// Files a compiled program reads at run time by a path relative to its working directory: templates,
// static folders, data the start command names. The single-stage image had the whole source tree; the
// split's runtime has only the binary, so these are copied next to it. Found in the sources (Go, Rust)
// and in the start command's arguments; folders compiled into the binary (`//go:embed`,
// `include_str!`/`include_bytes!`, rust-embed) stay out.
import { execFormOf } from './stageParts';
import { resolvePath } from '../stageFacts';
import type { RecipeInput } from './recipes/recipe';

const READS: Record<'go' | 'rust', RegExp> = {
  go: /\b(?:template\.(?:ParseGlob|ParseFiles|Must\(template\.ParseGlob)|http\.Dir|os\.(?:ReadFile|Open|ReadDir)|ioutil\.ReadFile|http\.ServeFile\(\s*\w+\s*,\s*\w+\s*,|flag\.String\(\s*"[^"]*"\s*,)\(?\s*"([^"]+)"/g,
  rust: /\b(?:Tera::new|ServeDir::new|ServeFile::new|Files::new\(\s*"[^"]*"\s*,|fs::read_to_string|fs::read|File::open|read_dir|Handlebars::\w+\([^)]*?)\(?\s*"([^"]+)"/g,
};
const EMBEDS: Record<'go' | 'rust', RegExp> = {
  go: /^\/\/go:embed\s+(.+)$/gm,
  rust: /\binclude_(?:str|bytes)!\(\s*"([^"]+)"|#\[folder\s*=\s*"([^"]+)"\]/g,
};
const SOURCE_DIRS: Record<'go' | 'rust', string[]> = { go: ['', 'cmd', 'internal', 'pkg'], rust: ['src', 'src/bin', 'src/routes', 'src/handlers'] };

function sourceFiles(input: RecipeInput, language: 'go' | 'rust'): string[] {
  const context = input.context!;
  const ext = language === 'go' ? '.go' : '.rs';
  const out: string[] = [];
  const take = (dir: string, depth: number) => {
    for (const name of context.list(dir)) {
      const path = dir ? `${dir}/${name}` : name;
      if (name.endsWith(ext) && !name.endsWith('_test.go')) out.push(path);
      else if (depth > 0 && context.isDirectory(path) && !name.startsWith('.')) take(path, depth - 1);
    }
  };
  for (const dir of SOURCE_DIRS[language]) if (dir === '' || context.isDirectory(dir)) take(dir, dir === '' ? 0 : 1);
  return out.slice(0, 200);
}

export function filesReadAtRunTime(input: RecipeInput, language: 'go' | 'rust'): Array<{ name: string; from: string }> {
  const context = input.context;
  if (!context) return [];
  const embedded = new Set<string>();
  const read = new Set<string>();
  for (const file of sourceFiles(input, language)) {
    const text = context.read(file) ?? '';
    for (const m of text.matchAll(EMBEDS[language])) {
      const paths = language === 'go' ? m[1].split(/\s+/) : [m[1] ?? m[2]];
      // Rust's include paths are relative to the source file; their first folder still names what is compiled in.
      for (const p of paths) embedded.add(firstSegment(p.replace(/^(?:\.\.\/)+/, '')));
    }
    for (const m of text.matchAll(READS[language])) read.add(firstSegment(m[1]));
  }
  // Paths the start command passes (`CMD ["./tool", "corpus"]`, `-config app.yaml`).
  for (const segment of [input.entrypoint, input.cmd]) {
    const args = segment ? (execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').trim().split(/\s+/)).slice(segment === input.cmd && input.entrypoint ? 0 : 1) : [];
    for (const arg of args) {
      const path = arg.replace(/^--?[\w-]+=/, '');
      if (/^(?:\.\/)?[\w][\w.-]*(?:\/[\w.*-]+)*\/?$/.test(path) && !path.startsWith('-')) read.add(firstSegment(path));
    }
  }
  // Copied from where `COPY . <dest>` put the context in the builder.
  const root = builderContextRoot(input);
  if (!root) return [];
  const buildOnly = /^(?:src|target|vendor|cmd|internal|pkg|Cargo\.toml|Cargo\.lock|go\.mod|go\.sum|Dockerfile)$/;
  return [...read]
    .filter((name) => name && !embedded.has(name) && !buildOnly.test(name) && context.exists(name))
    .sort()
    .map((name) => ({ name, from: resolvePath(root, name) }));
}

function firstSegment(path: string): string {
  return path.replace(/^\.\//, '').split('/')[0].replace(/[*?[{].*$/, '');
}

/** The builder folder that `COPY . <dest>` filled. */
function builderContextRoot(input: RecipeInput): string | undefined {
  for (const segment of input.parts.segments) {
    if (segment.keyword !== 'COPY') continue;
    const args = segment.instruction.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith('--'));
    if (args.length === 2 && /^\.\/?$/.test(args[0])) return resolvePath(segment.workdir, args[1]);
  }
  return undefined;
}
