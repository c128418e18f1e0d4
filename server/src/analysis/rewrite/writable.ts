// Where the application writes at run time, so that the split's non-root user can still write there.
// The single-stage original usually ran as root, where every path is writable; the runtime stage runs
// as a user who owns nothing. Two sources say where the app writes:
//  - build steps that create state: `mkdir`/`touch`, `flask init-db` (the instance folder),
//    `manage.py migrate` (Django's SQLite file), `rails db:*` (db/), `prisma migrate` (a SQLite file),
//    `sqlite3 FILE`;
//  - the sources: Flask's instance folder, upload/data/media folders named in Python, Go and Node code,
//    Rails' tmp/, log/ and storage/.
// Only these paths change owner (and the user gets a home folder, where tools such as gunicorn and pip keep state); the code and libraries stay root-owned and read-only for the app.
import type { ContextFiles } from '../types';
import { BUILD_COMMAND } from './buildDetection';
import { contextCopies, workdirBefore, type StageParts } from './stageParts';
import { resolvePath } from '../stageFacts';

export interface WritablePath {
  /** Absolute path in the builder (and the runtime). */
  path: string;
  /** A folder whose whole content the app writes, or a single file. */
  kind: 'dir' | 'file';
  /** Whether a build step creates it (else it is made empty in the builder). */
  created: boolean;
  /** What says the app writes there, for the comment in the output. */
  reason: string;
}

export interface WritableFindings {
  paths: WritablePath[];
  /** Folders whose own entry must be writable (a SQLite file directly inside creates its journal beside it). */
  selfDirs: string[];
  /** Doubts worth a comment in the output. */
  notes: string[];
}

interface RunLike {
  command: string;
  workdir: string;
  /** A start command (CMD/ENTRYPOINT): what it creates does not exist in the builder yet. */
  atRunTime?: boolean;
}

/** Paths no application state lives in: system folders, caches and build output. */
const NOT_STATE = /^\/(?:usr|etc|bin|sbin|lib|lib64|opt\/venv|root|tmp|proc|sys|dev|var\/(?:lib\/(?:apt|dpkg)|cache\/(?:apt|debconf|ldconfig)|log\/apt)|go|usr\/local\/(?:bin|lib|cargo))(?:\/|$)/;
/** Install prefixes and top-level folders: making one exist says nothing about the app writing there. */
const PREFIX = /^\/(?:opt|srv|var|var\/lib|var\/log|home|mnt|media|run|usr\/local|usr\/src|app|code|src)$/;
const BUILD_DIR_NAME = /(?:^|\/)(?:build|dist|out|target|bin|obj|node_modules|\.cache|\.git|src)$/;

/** Splits a shell command into simple commands (quotes are not special enough here to matter). */
function simpleCommands(command: string): string[] {
  return command.split(/\s*(?:&&|\|\||;|\|)\s*/).map((c) => c.trim()).filter(Boolean);
}

function words(command: string): string[] {
  return command.split(/\s+/).map((w) => w.replace(/^["']|["']$/g, '')).filter(Boolean);
}

const plainPath = (word: string) => /^[\w./@+-]+$/.test(word) && !word.includes('..');

export function findWritable(parts: StageParts, runs: readonly RunLike[], workdir: string, context: ContextFiles | undefined, env: ReadonlyMap<string, string>): WritableFindings {
  const found = new Map<string, WritablePath>();
  const selfDirs = new Set<string>();
  const notes: string[] = [];
  const add = (path: string, kind: WritablePath['kind'], created: boolean, reason: string) => {
    if (NOT_STATE.test(path) || PREFIX.test(path) || path === '/') return;
    // The working directory (or a folder holding it) is where the code lives: never handed over whole.
    if (workdir === path || workdir.startsWith(path + '/')) return;
    const known = found.get(path);
    if (known) {
      known.created ||= created;
      return;
    }
    found.set(path, { path, kind, created, reason });
  };
  const sqliteFile = (file: string, created: boolean, reason: string) => {
    const dir = file.slice(0, file.lastIndexOf('/')) || '/';
    // SQLite writes its journal beside the database: the folder must be writable too.
    if (dir === workdir) {
      add(file, 'file', created, reason);
      selfDirs.add(dir);
    } else add(dir, 'dir', created, reason);
  };

  for (const run of runs) {
    const isBuild = BUILD_COMMAND.test(run.command);
    const built = !run.atRunTime;
    let cwd = run.workdir;
    for (const simple of simpleCommands(run.command)) {
      const w = words(simple.replace(/^(?:\w+=\S*\s+)+/, ''));
      const [program, ...args] = w;
      if (program === 'cd' && args[0] && plainPath(args[0])) {
        cwd = resolvePath(cwd, args[0]);
        continue;
      }
      if ((program === 'mkdir' || program === 'touch') && !isBuild) {
        for (let i = 0; i < args.length; i++) {
          const arg = args[i];
          if (arg === '-m' || arg === '--mode') i++;
          if (arg.startsWith('-') || !plainPath(arg)) continue;
          const path = resolvePath(cwd, arg);
          if (program === 'mkdir' && BUILD_DIR_NAME.test(path)) continue;
          add(path, program === 'mkdir' ? 'dir' : 'file', built, `${program} ${arg}`);
        }
      }
      if (program === 'flask' && flaskSubcommand(args)) {
        add(resolvePath(cwd, 'instance'), 'dir', false, `flask ${flaskSubcommand(args)} writes to the instance folder`);
      }
      if (/^python[0-9.]*$/.test(program) && /manage\.py$/.test(args[0] ?? '') && /^(?:migrate|syncdb|loaddata|createsuperuser)$/.test(args[1] ?? '')
        || program === 'django-admin' && args[0] === 'migrate') {
        const db = djangoSqlite(context, parts);
        if (db) sqliteFile(resolvePath(cwd, db), built, `manage.py ${args[1] ?? 'migrate'} creates the SQLite database`);
        else if (db === undefined) notes.push(`# multistage: \`${simple}\` runs ${built ? 'at build time' : 'at start'}; the database it wrote is not known here. If it is a file, make it writable for the runtime user.`);
      }
      if (/^(?:rails|rake|bin\/rails|bin\/rake)$/.test(program) || program === 'bundle' && args[0] === 'exec' && /^(?:rails|rake)$/.test(args[1] ?? '')) {
        const task = args.find((a) => /^db:/.test(a));
        if (task) add(resolvePath(cwd, 'db'), 'dir', built, `rails ${task} writes the database under db/`);
      }
      if (/(?:^|\/)prisma$/.test(program) || program === 'npx' && args[0] === 'prisma') {
        const rest = program === 'npx' ? args.slice(1) : args;
        if (/^(?:migrate|db)$/.test(rest[0] ?? '')) {
          const file = prismaSqlite(context, env);
          if (file) sqliteFile(resolvePath(resolvePath(cwd, 'prisma'), file), built, `prisma ${rest.slice(0, 2).join(' ')} creates the SQLite database`);
        }
      }
      if (program === 'sqlite3' && args[0] && plainPath(args[0]) && !args[0].startsWith('-')) sqliteFile(resolvePath(cwd, args[0]), built, 'sqlite3 creates the database');
    }
  }
  // `ENV DATA_DIR=/var/lib/app` and the like name the folder the app keeps its state in.
  for (const [key, value] of env) {
    if (STATE_ENV.test(key) && plainPath(value) && !/\.\w{1,5}$/.test(value)) add(resolvePath(workdir, value), 'dir', false, `ENV ${key}`);
  }
  if (context) {
    for (const hit of sourceWrites(context, parts)) {
      if (!hit.file) add(hit.path, 'dir', false, hit.reason);
      else {
        const dir = hit.path.slice(0, hit.path.lastIndexOf('/')) || '/';
        if (dir === workdir) selfDirs.add(workdir);
        else add(dir, 'dir', false, hit.reason);
      }
    }
  }
  // A path inside another one is covered by it.
  const all = [...found.values()];
  const paths = all.filter((p) => !all.some((q) => q !== p && q.kind === 'dir' && p.path.startsWith(q.path + '/')));
  return { paths, selfDirs: [...selfDirs], notes };
}

/**
 * What the container runs when it starts, as commands to look at: `CMD python manage.py migrate && gunicorn …`
 * writes before it serves, and so does an entrypoint script copied from the context.
 */
export function startCommands(parts: StageParts, commands: readonly string[], workdir: string, context: ContextFiles | undefined): RunLike[] {
  const out: RunLike[] = [];
  const copies = copiedSources(parts);
  for (const raw of commands) {
    const command = raw.replace(/^(?:\/bin\/)?(?:ba)?sh -c /, '');
    out.push({ command, workdir, atRunTime: true });
    const script = /^(?:(?:\/bin\/)?(?:ba)?sh\s+)?(\S+\.sh)\b/.exec(command)?.[1];
    if (!script || !context) continue;
    // The script's path in the image, back to the context file it was copied from.
    const inImage = resolvePath(workdir, script);
    const source = copies.map((c) => (inImage === c.dest ? c.source : inImage.startsWith(c.dest + '/') ? `${c.source ? `${c.source}/` : ''}${inImage.slice(c.dest.length + 1)}` : undefined)).find((s) => s !== undefined && context.exists(s));
    const text = source !== undefined ? context.read(source) : undefined;
    for (const line of (text ?? '').split('\n')) if (line.trim() && !line.trim().startsWith('#')) out.push({ command: line.trim().replace(/^exec\s+/, ''), workdir, atRunTime: true });
  }
  return out;
}

function flaskSubcommand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--app' || args[i] === '-A' || args[i] === '--env-file' || args[i] === '-e') {
      i++;
      continue;
    }
    if (args[i].startsWith('-')) continue;
    return /^(?:run|routes|shell|--help)$/.test(args[i]) ? undefined : args[i];
  }
  return undefined;
}

/** The Django SQLite file relative to the project root; null when the project uses another database. */
function djangoSqlite(context: ContextFiles | undefined, parts: StageParts): string | null | undefined {
  if (!context) return undefined;
  const settings = sourceFiles(context, (f) => /(?:^|\/)settings(?:\/[\w]+)?\.py$|(?:^|\/)settings\.py$/.test(f)).map((f) => context.read(f) ?? '').join('\n');
  if (!settings) return undefined;
  if (!/django\.db\.backends\.sqlite3/.test(settings)) return /DATABASES\s*=/.test(settings) ? null : undefined;
  void parts;
  const name = /['"]NAME['"]\s*:\s*(?:BASE_DIR\s*\/\s*|os\.path\.join\(\s*BASE_DIR\s*,\s*)?((?:['"][\w.-]+['"]\s*[/,]\s*)*['"][\w.-]+['"])/.exec(settings)?.[1];
  if (!name) return undefined;
  return [...name.matchAll(/['"]([\w.-]+)['"]/g)].map((m) => m[1]).join('/');
}

/** `url = "file:./dev.db"` in prisma/schema.prisma (or through env("DATABASE_URL")), relative to prisma/. */
function prismaSqlite(context: ContextFiles | undefined, env: ReadonlyMap<string, string>): string | undefined {
  const schema = context?.read('prisma/schema.prisma') ?? '';
  if (!/provider\s*=\s*"sqlite"/.test(schema)) return undefined;
  const url = /url\s*=\s*"([^"]+)"/.exec(schema)?.[1] ?? env.get(/url\s*=\s*env\("(\w+)"\)/.exec(schema)?.[1] ?? '');
  const file = /^file:(.+)$/.exec(url ?? '')?.[1];
  return file && plainPath(file) ? file : undefined;
}

const SKIP_DIRS = /^(?:node_modules|\.git|venv|\.venv|vendor|dist|build|target|__pycache__|\.next|tests?)$/;
const MAX_FILES = 300;

function sourceFiles(context: ContextFiles, keep: (file: string) => boolean, dir = '', depth = 0, out: string[] = []): string[] {
  if (depth > 4 || out.length >= MAX_FILES) return out;
  for (const name of context.list(dir)) {
    const path = dir ? `${dir}/${name}` : name;
    if (context.isDirectory(path)) {
      if (!SKIP_DIRS.test(name) && !name.startsWith('.')) sourceFiles(context, keep, path, depth + 1, out);
    } else if (keep(path) && out.length < MAX_FILES) out.push(path);
  }
  return out;
}

/** Context files and folders the stage copies in, with where they land in the image. */
export function copiedSources(parts: StageParts): Array<{ source: string; dest: string; destIsDir: boolean }> {
  const out: Array<{ source: string; dest: string; destIsDir: boolean }> = [];
  for (const copy of contextCopies(parts)) {
    const dest = resolvePath(workdirBefore(parts, copy.segment.instruction), copy.dest);
    const destIsDir = /(?:^|\/)\.?\/?$/.test(copy.dest) || copy.sources.length > 1;
    for (const raw of copy.sources) {
      const source = raw.replace(/^\.\/?/, '').replace(/\/+$/, '');
      if (/[*?[]/.test(source)) continue;
      out.push({ source, dest, destIsDir });
    }
  }
  return out;
}

/** Where a context file lands in the image, or undefined when no COPY brings it. */
function imagePathOf(copies: ReturnType<typeof copiedSources>, file: string): string | undefined {
  for (const { source, dest, destIsDir } of [...copies].reverse()) {
    if (source === '') return resolvePath(dest, file);
    if (file === source) return destIsDir ? resolvePath(dest, file.split('/').pop()!) : dest;
    if (file.startsWith(source + '/')) return resolvePath(dest, file.slice(source.length + 1));
  }
  return undefined;
}

const STATE_ENV = /^(?:\w+_)?(?:DATA|UPLOADS?|MEDIA|STORAGE|STATE|FILES)_(?:DIR|PATH|FOLDER|ROOT)$/;
const STATE_NAME = /^(?:UPLOAD_FOLDER|UPLOAD_DIR|UPLOADS_DIR|UPLOAD_PATH|UPLOAD_ROOT|MEDIA_ROOT|DATA_DIR|DATA_PATH|STORAGE_DIR|STORAGE_PATH|FILES_DIR)$/;

/** Folders the sources create or write into, as absolute paths in the image. */
function sourceWrites(context: ContextFiles, parts: StageParts): Array<{ path: string; reason: string; file?: boolean }> {
  const copies = copiedSources(parts);
  const workdir = parts.finalWorkdir;
  const out: Array<{ path: string; reason: string; file?: boolean }> = [];
  const folder = (literal: string, base: string, file: string, reason: string, writesFile = false) => {
    const rel = literal.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!rel || rel.startsWith('/') || !plainPath(rel)) return;
    // A file name (`app.log`) says nothing about a folder; `uploads/photo.png` names uploads/.
    const first = rel.split('/')[0];
    const isFolder = rel.includes('/') || !/\.\w{1,5}$/.test(first);
    if (isFolder) out.push({ path: resolvePath(base, first), reason: `${file}: ${reason}` });
    // A file created directly in a folder needs the folder itself writable.
    else if (writesFile) out.push({ path: resolvePath(base, rel), reason: `${file}: ${reason}`, file: true });
  };
  /** The folder a copied file lands in. */
  const mapped = (file: string) => resolvePath(imagePathOf(copies, file)!, '..');
  const root = imagePathOf(copies, 'config/application.rb') && resolvePath(imagePathOf(copies, 'config/application.rb')!, '../..');
  if (root && context.exists('config/application.rb')) {
    for (const dir of ['tmp', 'log', 'storage']) out.push({ path: resolvePath(root, dir), reason: `Rails writes ${dir}/` });
    if (/adapter:\s*sqlite3/.test(context.read('config/database.yml') ?? '')) out.push({ path: resolvePath(root, 'db'), reason: 'Rails keeps its SQLite database under db/' });
  }
  for (const file of sourceFiles(context, (f) => /\.(?:py|go|js|mjs|cjs|ts|java|kt)$/.test(f) && !/\.(?:test|spec)\.|_test\.go$/.test(f))) {
    // Only files the image holds say anything about what it does.
    if (!imagePathOf(copies, file)) continue;
    const text = context.read(file);
    if (!text) continue;
    if (file.endsWith('.py')) {
      if (/instance_relative_config\s*=\s*True|\.instance_path\b/.test(text)) {
        const pkgParent = /(?:^|\/)__init__\.py$/.test(file) ? resolvePath(mapped(file), '..') : mapped(file);
        out.push({ path: resolvePath(pkgParent, 'instance'), reason: `${file}: Flask writes to its instance folder` });
      }
      const fileBased = (rhs: string) => /__file__|BASE_DIR|root_path|dirname/.test(rhs);
      for (const m of text.matchAll(/^[ \t]*(?:app\.config\[\s*['"](\w+)['"]\s*\]|([A-Z_]+))\s*=\s*(.+)$/gm)) {
        const name = m[1] ?? m[2];
        if (!STATE_NAME.test(name)) continue;
        const literal = [...m[3].matchAll(/['"]([^'"]+)['"]/g)].pop()?.[1];
        if (!literal || /environ|getenv/.test(m[3]) && !/,\s*['"]/.test(m[3])) continue;
        const base = /(?:^|\/)settings\.py$/.test(file) && /BASE_DIR/.test(m[3]) ? resolvePath(mapped(file), '..') : fileBased(m[3]) ? mapped(file) : workdir;
        folder(literal, base, file, `${name} is written at run time`);
      }
      // sqlite3.connect("app.db") / SQLAlchemy "sqlite:///data/app.db": the database and its folder.
      for (const m of text.matchAll(/\bsqlite3\.connect\(\s*['"]([^'":]+)['"]|['"]sqlite:\/\/\/([^'"/][^'"?]*)['"]/g)) {
        // Flask-SQLAlchemy 3 resolves a relative SQLite path against the instance folder.
        const base = m[2] && /flask_sqlalchemy/.test(text) ? resolvePath(workdir, 'instance') : workdir;
        folder(m[1] ?? m[2], base, file, 'the SQLite database is written here', true);
      }
      for (const m of text.matchAll(/\bos\.makedirs\(\s*['"]([^'"]+)['"]|\bos\.mkdir\(\s*['"]([^'"]+)['"]|\bPath\(\s*['"]([^'"]+)['"]\s*\)\.mkdir\(/g)) {
        folder(m[1] ?? m[2] ?? m[3], workdir, file, 'creates this folder');
      }
    } else if (file.endsWith('.go')) {
      for (const m of text.matchAll(/\bos\.(MkdirAll|Mkdir|Create|WriteFile|OpenFile)\(\s*"([^"]+)"/g)) {
        folder(m[2], workdir, file, `os.${m[1]} writes here`, m[1] !== 'MkdirAll' && m[1] !== 'Mkdir');
      }
      for (const m of text.matchAll(/\bsql\.Open\(\s*"sqlite3?"\s*,\s*"(?:file:)?([^"?:]+)/g)) folder(m[1], workdir, file, 'the SQLite database is written here', true);
    } else if (/\.(?:java|kt)$/.test(file)) {
      // A path literal counts only in a file that writes (Files.write…, createDirectories, FileWriter).
      if (!/\bFiles\.(?:write|writeString|createDirectories|createDirectory|newBufferedWriter|newOutputStream|createFile)\b|\bnew\s+(?:FileWriter|FileOutputStream|PrintWriter)\b|\.mkdirs?\(\)/.test(text)) continue;
      for (const m of text.matchAll(/\b(?:Path\.of|Paths\.get|new\s+File)\(\s*"([^"]+)"/g)) folder(m[1], workdir, file, 'written at run time');
    } else {
      for (const m of text.matchAll(/\bmkdirSync\(\s*['"]([^'"]+)['"]|\bdest\s*:\s*['"]([^'"]+)['"]|\bwriteFileSync\(\s*['"]([^'"]+)['"]/g)) {
        folder(m[1] ?? m[2] ?? m[3], workdir, file, 'writes here', m[3] !== undefined);
      }
      // `path.join(__dirname, '..', 'data')`: a state folder named relative to the source file.
      for (const m of text.matchAll(/\b(?:join|resolve)\(\s*__dirname\s*((?:,\s*['"][^'"]+['"]\s*)+)\)/g)) {
        const target = resolvePath(mapped(file), [...m[1].matchAll(/['"]([^'"]+)['"]/g)].map((x) => x[1]).join('/'));
        if (/\/(?:data|uploads?|storage|media|db|files)$/.test(target)) out.push({ path: target, reason: `${file}: the app keeps its data here` });
      }
    }
  }
  return out;
}
