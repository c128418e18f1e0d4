// Ruby → gems compiled in the builder (where build-base / build-essential are), then the gem home and
// the app on the same Ruby line without the compilers: ruby:<tag>-slim, or the same image when it is
// already slim or Alpine (so libc never changes).
import { isAlpineTag, variantTag, type RuntimeImage } from '../runtimeImages';
import { runtimeNeeds } from '../runtimeNeeds';
import { copyFromBuilder, findRun, sourceCopies, writesInside, type Recipe, type RecipeInput, type SplitPlan } from './recipe';

const GEM_INSTALL = /\b(?:bundle\s+install|gem\s+install)\b/;
/** Where the official ruby images install gems (GEM_HOME / BUNDLE_APP_CONFIG). */
const GEM_HOME = '/usr/local/bundle';

function rubyRuntime(input: RecipeInput): RuntimeImage {
  const { repository, tag } = input.base;
  if (isAlpineTag(tag)) return { image: `${repository}:${tag}`, family: 'alpine', os: 'alpine' };
  if (/slim/.test(tag ?? '')) return { image: `${repository}:${tag}`, family: 'debian', os: 'debian' };
  return { image: variantTag(repository, tag, 'slim', 'ruby'), family: 'debian', os: 'debian' };
}

export const rubyRecipe: Recipe = {
  id: 'ruby',
  matches: (input) => input.base.name === 'ruby',
  plan(input): SplitPlan | undefined {
    if (!findRun(input, GEM_INSTALL)) return undefined;
    const appCopies = input.parts.segments.filter((s) => (s.keyword === 'COPY' || s.keyword === 'ADD') && !/--from[= ]/.test(s.body));
    const lastCopy = appCopies[appCopies.length - 1];
    // `rails assets:precompile` and the like write into the app folder after the sources arrive.
    const generatesFiles = !!lastCopy && input.runs.some((r) => r.segment.instruction.getRange().start.line > lastCopy.instruction.getRange().start.line
      && !GEM_INSTALL.test(r.command) && !/\b(?:apt-get|apt|apk|useradd|adduser|groupadd|addgroup)\b/.test(r.command));
    const artifacts = [copyFromBuilder(input, GEM_HOME, GEM_HOME)];
    if ((generatesFiles || writesInside(input)) && input.workdir !== '/') artifacts.push(copyFromBuilder(input, input.workdir, input.workdir));
    else artifacts.push(...sourceCopies(input));
    const full = !/slim|alpine/.test(input.base.tag ?? '');
    return { ecosystem: 'ruby', runtime: rubyRuntime(input), artifacts, needsWorkdir: true, runtimeNeeds: full ? runtimeNeeds('ruby', input.context) : [] };
  },
};
