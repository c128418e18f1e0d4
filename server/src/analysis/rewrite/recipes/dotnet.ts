// .NET → `dotnet publish` with the SDK image, the published folder on aspnet (web projects) or runtime
// of the same .NET version, as the images' built-in `app` user (.NET 8 and later).
import { execFormOf, resolvePath } from '../stageParts';
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
    return {
      ecosystem: 'dotnet',
      runtime,
      builderAppend,
      artifacts: [copyFromBuilder(input, output, output)],
      needsWorkdir: true,
      notes: runtime.note ? [runtime.note] : [],
      rewriteCommand: (segment) => {
        const text = (execFormOf(segment.instruction) ?? [segment.body]).join(' ');
        if (segment === command && DOTNET_RUN.test(text) && assembly) return `${segment.keyword} ["dotnet", "${output}/${assembly}.dll"]`;
        return undefined;
      },
    };
  },
};
