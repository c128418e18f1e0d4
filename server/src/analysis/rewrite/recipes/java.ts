// Java (Maven or Gradle) → build the jar with the JDK image, run it on the JRE of the same Java version.
import { distroless, isAlpineTag, type RuntimeImage } from '../runtimeImages';
import { execFormOf, type Segment } from '../stageParts';
import { resolvePath } from '../../stageFacts';
import { copyFromBuilder, findRun, optionValue, type Recipe, type RecipeInput, type SplitPlan } from './recipe';

const MAVEN = /(?:^|[\s/;&])(?:mvn|mvnw)\s[^&;]*\b(?:package|install|verify)\b/;
const GRADLE = /(?:^|[\s/;&])(?:gradle|gradlew)\s[^&;]*\b(?:build|assemble|jar|bootJar|shadowJar|installDist)\b/;
const TOOL_IN_COMMAND = /\b(?:mvn|mvnw|gradle|gradlew)\b/;

/** Java version from the builder image tag (maven:3.9-eclipse-temurin-17, gradle:8-jdk21, openjdk:17). */
function versionFromImage(name: string, tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  if (name === 'maven' || name === 'gradle') return /(?:jdk|temurin|openjdk|corretto|jre|sapmachine)-?(\d+)/.exec(tag)?.[1];
  if (['openjdk', 'eclipse-temurin', 'amazoncorretto', 'sapmachine', 'ibm-semeru-runtimes'].includes(name)) return /^(\d+)/.exec(tag)?.[1];
  return undefined;
}

function versionFromBuildFiles(input: RecipeInput): string | undefined {
  const pom = input.context?.read('pom.xml') ?? '';
  const fromPom = /<(?:maven\.compiler\.release|maven\.compiler\.source|java\.version|release)>\s*(?:1\.)?(\d+)/.exec(pom)?.[1];
  if (fromPom) return fromPom;
  const gradle = (input.context?.read('build.gradle') ?? '') + (input.context?.read('build.gradle.kts') ?? '');
  return /JavaLanguageVersion\.of\((\d+)\)|VERSION_(?:1_)?(\d+)|sourceCompatibility\s*=\s*['"]?(?:1\.)?(\d+)/.exec(gradle)?.slice(1).find(Boolean);
}

/** Project coordinates from pom.xml, ignoring the parent's and the dependencies'. */
function mavenJarName(input: RecipeInput): string | undefined {
  const pom = input.context?.read('pom.xml');
  if (!pom) return undefined;
  const own = pom.replace(/<parent>[\s\S]*?<\/parent>|<dependencies>[\s\S]*?<\/dependencies>|<dependencyManagement>[\s\S]*?<\/dependencyManagement>|<build>[\s\S]*?<\/build>|<profiles>[\s\S]*?<\/profiles>|<!--[\s\S]*?-->/g, '');
  const finalName = /<finalName>([^<$]+)<\/finalName>/.exec(pom)?.[1]?.trim();
  if (/<packaging>\s*(?:war|pom|ear)\s*<\/packaging>/.test(own)) return undefined;
  if (finalName) return `${finalName}.jar`;
  const artifactId = /<artifactId>([^<$]+)<\/artifactId>/.exec(own)?.[1]?.trim();
  const version = /<version>([^<$]+)<\/version>/.exec(own)?.[1]?.trim();
  return artifactId && version ? `${artifactId}-${version}.jar` : undefined;
}

function gradleJarName(input: RecipeInput): string | undefined {
  const settings = (input.context?.read('settings.gradle') ?? '') + (input.context?.read('settings.gradle.kts') ?? '');
  const gradle = (input.context?.read('build.gradle') ?? '') + (input.context?.read('build.gradle.kts') ?? '');
  const name = /rootProject\.name\s*=\s*['"]([^'"$]+)['"]/.exec(settings)?.[1];
  const version = /^\s*version\s*=\s*['"]([^'"$]+)['"]/m.exec(gradle)?.[1];
  return name && version ? `${name}-${version}.jar` : undefined;
}

function javaRuntime(input: RecipeInput, version: string): RuntimeImage {
  if (input.flavor === 'distroless' && (version === '17' || version === '21')) {
    return { image: distroless(`java${version}`), family: 'distroless', os: 'none' };
  }
  if (input.flavor === 'alpine' || isAlpineTag(input.base.tag)) return { image: `eclipse-temurin:${version}-jre-alpine`, family: 'alpine', os: 'alpine' };
  const note = input.flavor === 'distroless' ? `# multistage: no distroless image for Java ${version}; using the JRE image.` : undefined;
  return { image: `eclipse-temurin:${version}-jre`, family: 'debian', os: 'debian', note };
}

/** The jar a `java -jar X` command expects. */
function jarInCommand(segment: Segment | undefined): string | undefined {
  if (!segment) return undefined;
  const words = execFormOf(segment.instruction) ?? (segment.instruction.getRawArgumentsContent() ?? '').split(/\s+/);
  const at = words.indexOf('-jar');
  return at >= 0 ? words[at + 1] : undefined;
}

export const javaRecipe: Recipe = {
  id: 'java',
  matches: (input) => ['maven', 'gradle'].includes(input.base.name) || !!findRun(input, MAVEN) || !!findRun(input, GRADLE),
  plan(input): SplitPlan | undefined {
    const maven = findRun(input, MAVEN);
    const gradle = findRun(input, GRADLE);
    const build = maven ?? gradle;
    const builderAppend: string[] = [];
    const workdir = build?.segment.workdir ?? input.workdir;
    const startCommand = input.entrypoint ?? input.cmd;
    if (!build && !(startCommand && TOOL_IN_COMMAND.test((execFormOf(startCommand.instruction) ?? [startCommand.body]).join(' ')))) return undefined;
    if (!build) builderAppend.push(input.base.name === 'gradle' ? 'RUN gradle build --no-daemon -x test' : 'RUN mvn -B package -DskipTests');
    const isGradle = gradle !== undefined || (!maven && input.base.name === 'gradle');
    const jarName = isGradle ? gradleJarName(input) : mavenJarName(input);
    // `mvn -pl web` builds the jar of that module; `gradle :web:bootJar` likewise.
    const module = maven ? optionValue(maven.command, ['-pl', '--projects'])?.split(',')[0] : /\s:([\w-]+):\w+/.exec(gradle?.command ?? '')?.[1];
    const moduleDir = module ? `${module.replace(/^:/, '')}/` : '';
    const builtJar = resolvePath(workdir, `${moduleDir}${isGradle ? 'build/libs' : 'target'}/${module ? '*.jar' : jarName ?? '*.jar'}`);

    const version = versionFromImage(input.base.name, input.base.tag) ?? versionFromBuildFiles(input);
    const notes: string[] = [];
    if (!version) notes.push('# multistage: no Java version found in the base image or the build files; 17 assumed.');
    const runtime = javaRuntime(input, version ?? '17');
    if (runtime.note) notes.push(runtime.note);

    const command = input.entrypoint ?? input.cmd;
    const commandJar = jarInCommand(command);
    const runsToolchain = command ? TOOL_IN_COMMAND.test((execFormOf(command.instruction) ?? [command.body]).join(' ')) : false;
    let dest: string;
    let rewriteCommand: SplitPlan['rewriteCommand'];
    if (commandJar && !commandJar.includes('*') && !runsToolchain && runtime.family !== 'distroless') {
      dest = resolvePath(input.workdir, commandJar);
    } else {
      dest = resolvePath(input.workdir, 'app.jar');
      const start = runtime.family === 'distroless' ? `["${dest}"]` : `["java", "-jar", "${dest}"]`;
      rewriteCommand = (segment) => (segment === command ? `${segment.keyword} ${start}` : undefined);
    }
    return {
      ecosystem: 'java',
      runtime,
      builderAppend,
      artifacts: [copyFromBuilder(input, builtJar, dest)],
      rewriteCommand,
      needsWorkdir: true,
      notes,
    };
  },
};
