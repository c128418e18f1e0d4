// Python → install into a virtualenv in the builder (where the compilers are), copy the venv and the
// application to python:<same version>-slim.
import { isAlpineTag, LIBC_NOTE, variantTag, type RuntimeImage } from '../runtimeImages';
import { resolvePath } from '../../stageFacts';
import { runtimeNeeds } from '../runtimeNeeds';
import { copyFromBuilder, findRun, sourceCopies, writesInside, type Recipe, type RecipeInput, type SplitPlan } from './recipe';

const PY_INSTALL = /\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b|\bpoetry\s+install\b|\buv\s+(?:sync|pip\s+install)\b|\bpipenv\s+install\b/;
const VENV = /\bpython[0-9.]*\s+-m\s+(?:venv|virtualenv)\s+(\S+)|\bvirtualenv\s+(\S+)/;
const MANIFEST = /(?:^|\/)(?:requirements[^/]*\.txt|constraints[^/]*\.txt|pyproject\.toml|poetry\.lock|uv\.lock|Pipfile(?:\.lock)?|setup\.cfg)$/;

function pythonRuntime(input: RecipeInput): RuntimeImage {
  const { repository, tag } = input.base;
  const repo = repository;
  if (input.flavor === 'alpine') return { image: variantTag(repo, tag, 'alpine', 'python'), family: 'alpine', os: 'alpine' };
  if (isAlpineTag(tag)) return { image: `${repo}:${tag}`, family: 'alpine', os: 'alpine' };
  const note = input.flavor === 'distroless'
    ? '# multistage: distroless Python follows Debian\'s interpreter, not this image\'s; using -slim of the same version.'
    : undefined;
  return { image: variantTag(repo, tag, 'slim', 'python'), family: 'debian', os: 'debian', note };
}

export const pythonRecipe: Recipe = {
  id: 'python',
  matches: (input) => input.base.name === 'python' || !!findRun(input, PY_INSTALL),
  plan(input): SplitPlan | undefined {
    // The venv is made right after FROM with the image's own interpreter, and the runtime is the same
    // image line's -slim: both need an official-style python image. Other bases (CUDA, distro python)
    // install Python themselves, so nothing here knows what the runtime must contain.
    if (input.base.name !== 'python' || !findRun(input, PY_INSTALL)) return undefined;
    const runtime = pythonRuntime(input);
    const existingVenv = input.runs.map((r) => VENV.exec(r.command)).find(Boolean);
    const venv = existingVenv ? resolvePath(input.workdir, existingVenv[1] ?? existingVenv[2]) : '/opt/venv';
    const builderPrelude = existingVenv
      ? []
      : ['ENV VIRTUAL_ENV=/opt/venv', 'RUN python3 -m venv $VIRTUAL_ENV', 'ENV PATH="$VIRTUAL_ENV/bin:$PATH"'];
    if (!existingVenv && findRun(input, /\buv\s+sync\b/)) builderPrelude.push('ENV UV_PROJECT_ENVIRONMENT=$VIRTUAL_ENV');
    const replaceInBuilder = new Map<import('dockerfile-ast').Instruction, string>();
    for (const run of input.runs) {
      // A --user install lands outside the venv (and pip refuses it inside one).
      if (/\bpip3?\s+install\b[^&;]*\s--user\b/.test(run.command)) replaceInBuilder.set(run.segment.instruction, run.segment.body.replace(/\s--user\b/g, ''));
    }

    // Files generated after the sources arrived (collectstatic, compiled assets) live only in the builder.
    const contextCopySegments = input.parts.segments.filter((s) => (s.keyword === 'COPY' || s.keyword === 'ADD') && !/--from[= ]/.test(s.body));
    const appCopies = contextCopySegments.filter((s) => !s.instruction.getArguments().slice(0, -1).every((a) => MANIFEST.test(a.getValue())));
    const lastCopy = appCopies[appCopies.length - 1];
    const generatesFiles = !!lastCopy && input.runs.some((r) => r.segment.instruction.getRange().start.line > lastCopy.instruction.getRange().start.line && !PY_INSTALL.test(r.command) && !/\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper|useradd|adduser|groupadd|addgroup)\b/.test(r.command));
    const artifacts = [copyFromBuilder(input, venv, venv)];
    // Folders the app writes inside its own tree get their owner in the builder: the tree comes from there.
    if (generatesFiles || writesInside(input)) artifacts.push(copyFromBuilder(input, input.workdir, input.workdir));
    else artifacts.push(...sourceCopies(input, (s) => appCopies.includes(s)));

    const notes: string[] = [];
    if (runtime.os === 'alpine' && !isAlpineTag(input.base.tag)) notes.push(LIBC_NOTE('Alpine'));
    if (runtime.note) notes.push(runtime.note);
    return {
      ecosystem: 'python',
      runtime,
      builderPrelude,
      replaceInBuilder,
      runtimeEnv: existingVenv ? [`ENV PATH="${venv}/bin:$PATH"`] : [`ENV VIRTUAL_ENV=${venv}`, 'ENV PATH="$VIRTUAL_ENV/bin:$PATH"'],
      artifacts,
      needsWorkdir: true,
      runtimeNeeds: /slim|alpine/.test(input.base.tag ?? '') ? [] : runtimeNeeds('python', input.context),
      notes,
    };
  },
};
