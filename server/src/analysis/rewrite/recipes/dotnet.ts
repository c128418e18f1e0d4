// .NET → `dotnet publish` with the SDK image, the published folder on aspnet (web projects) or runtime
// of the same .NET version, as the images' built-in `app` user (.NET 8 and later).
import { commandOf, execFormOf } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { isAlpineTag, type RuntimeImage } from '../runtimeImages';
import { copyFromBuilder, findRun, optionValue, type Recipe, type RecipeInput, type SplitPlan } from './recipe';

const PUBLISH = /\bdotnet\s+publish\b/;
const DOTNET_RUN = /\bdotnet\s+(?:run|watch)\b/;

function projectFile(input: RecipeInput): string | undefined {
  const files = input.context?.list('') ?? [];
  return files.find((f) => /\.(?:cs|fs|vb)proj$/.test(f));
}

function sdkVersion(tag: string | undefined): string {
  return /^(\d+\.\d+)/.exec(tag ?? '')?.[1] ?? '8.0';
}

function dotnetRuntime(input: RecipeInput, web: boolean): RuntimeImage {
  const version = sdkVersion(input.base.tag);
  const kind = web ? 'aspnet' : 'runtime';
  const major = Number(version.split('.')[0]);
  const family = major >= 8 ? 'dotnet' : 'debian';
  if (input.flavor === 'alpine' || isAlpineTag(input.base.tag)) return { image: `mcr.microsoft.com/dotnet/${kind}:${version}-alpine`, family, os: 'alpine' };
  if (input.flavor === 'distroless' && major >= 8) {
    return { image: `mcr.microsoft.com/dotnet/${kind}:${version}-jammy-chiseled`, family: 'dotnet', os: 'none', note: '# multistage: chiseled Ubuntu images are .NET\'s distroless family.' };
  }
  const suffix = /-(bookworm-slim|jammy|noble|bullseye-slim)/.exec(input.base.tag ?? '')?.[0] ?? '';
  return { image: `mcr.microsoft.com/dotnet/${kind}:${version}${suffix}`, family, os: 'debian' };
}

export const dotnetRecipe: Recipe = {
  id: 'dotnet',
  matches: (input) => /dotnet\/sdk$/.test(input.base.repository) || !!findRun(input, /\bdotnet\s+(?:publish|build|restore)\b/),
  plan(input): SplitPlan | undefined {
    const project = projectFile(input);
    const projectText = project ? input.context?.read(project) ?? '' : '';
    const web = !project || /Sdk="Microsoft\.NET\.Sdk\.Web"/.test(projectText);
    const assembly = /<AssemblyName>([^<]+)<\/AssemblyName>/.exec(projectText)?.[1] ?? project?.replace(/\.\w+proj$/, '');
    const publish = findRun(input, PUBLISH);
    const builderAppend: string[] = [];
    let output: string;
    if (publish) {
      const out = optionValue(publish.command, ['-o', '--output']);
      const tfm = /<TargetFramework>([^<]+)<\/TargetFramework>/.exec(projectText)?.[1] ?? `net${sdkVersion(input.base.tag)}`;
      const config = optionValue(publish.command, ['-c', '--configuration']) ?? 'Release';
      output = resolvePath(publish.segment.workdir, out ?? `bin/${config}/${tfm}/publish`);
    } else {
      // The SDK image used to run a tool, not to build the app: nothing to publish.
      const command = input.entrypoint ?? input.cmd;
      const runs = command && DOTNET_RUN.test((execFormOf(command.instruction) ?? [command.body]).join(' '));
      if (!runs && !findRun(input, /\bdotnet\s+build\b/)) return undefined;
      output = resolvePath(input.workdir, 'publish');
      builderAppend.push(`RUN dotnet publish -c Release -o ${output}`);
    }
    const runtime = dotnetRuntime(input, web);
    const command = input.entrypoint ?? input.cmd;
    const commandWords = command ? execFormOf(command.instruction) ?? commandOf(command.instruction).split(' ') : [];
    // `dotnet run` needs the SDK: the runtime starts the published assembly instead, which needs its name.
    if (DOTNET_RUN.test(commandWords.join(' ')) && !assembly) return undefined;
    const appArgs = argumentsAfterRun(commandWords);
    return {
      ecosystem: 'dotnet',
      runtime,
      builderAppend,
      artifacts: [copyFromBuilder(input, output, output)],
      needsWorkdir: true,
      notes: runtime.note ? [runtime.note] : [],
      rewriteCommand: (segment) => {
        const text = (execFormOf(segment.instruction) ?? [segment.body]).join(' ');
        if (segment === command && DOTNET_RUN.test(text) && assembly) return `${segment.keyword} ${JSON.stringify(['dotnet', `${output}/${assembly}.dll`, ...appArgs]).replace(/","/g, '", "')}`;
        return undefined;
      },
    };
  },
};

/** What `dotnet run [options] [--] args` passes to the app: the words that are not `dotnet run` options. */
function argumentsAfterRun(words: string[]): string[] {
  const at = words.findIndex((w, i) => w === 'run' && words[i - 1]?.endsWith('dotnet'));
  if (at < 0) return [];
  const rest = words.slice(at + 1);
  const dashDash = rest.indexOf('--');
  if (dashDash >= 0) return rest.slice(dashDash + 1);
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (/^--no-(?:restore|build|launch-profile)$/.test(rest[i])) continue;
    if (/^(?:-c|--configuration|-p|--project|-f|--framework|--launch-profile|-r|--runtime)$/.test(rest[i])) {
      i++;
      continue;
    }
    out.push(rest[i]);
  }
  return out;
}
