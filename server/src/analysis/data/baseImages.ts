// What Multistage knows about base images (references are read by ../imageReference.ts): which are build toolchains,
// which have a smaller variant of the same version line, which already run as a non-root user, and which
// OS family an image belongs to (to pick the right add-user command). One place for all of it, so the
// rules stay small and the tables can be reviewed in one read.

import { imageName, parseImageRef, type ImageRef } from '../imageReference';

/**
 * Images that exist to build software and have no runtime variant of their own: using one as the final
 * image ships the whole compiler. Values say what the image carries, for messages.
 */
export const BUILD_ONLY_IMAGES: ReadonlyMap<string, string> = new Map([
  ['golang', 'the Go toolchain'],
  ['rust', 'the Rust toolchain'],
  ['gcc', 'the GCC toolchain'],
  ['maven', 'Maven and a JDK'],
  ['gradle', 'Gradle and a JDK'],
  ['buildpack-deps', 'compilers and -dev headers'],
  ['haskell', 'GHC and Cabal/Stack'],
  ['clojure', 'Leiningen/tools.deps and a JDK'],
  ['sbt', 'sbt and a JDK'],
  ['swift', 'the Swift toolchain'],
  ['mcr.microsoft.com/dotnet/sdk', 'the .NET SDK'],
  ['mcr.microsoft.com/dotnet/core/sdk', 'the .NET SDK'],
]);

/** What a build-only image carries ("the Go toolchain"), or undefined when the image is not one. */
export function buildOnlyDescription(ref: ImageRef): string | undefined {
  const name = imageName(ref);
  // buildpack-deps:<release>-curl and -scm are the compiler-free layers the SDK images start from.
  if (name === 'buildpack-deps' && /(^|-)(curl|scm)$/.test(ref.tag ?? '')) return undefined;
  return BUILD_ONLY_IMAGES.get(name);
}

/**
 * Images that are SDKs but also commonly used to run things (full `node`/`python`, JDK images, the .NET
 * SDK): they count as a toolchain only when the stage also builds; otherwise `larger-base-than-needed`
 * proposes their runtime variant.
 */
export function sdkDescription(ref: ImageRef): string | undefined {
  const name = imageName(ref);
  const tag = ref.tag ?? 'latest';
  const buildOnly = buildOnlyDescription(ref);
  if (buildOnly) return buildOnly;
  if (isJdkImage(ref)) return 'a full JDK';
  if ((name === 'node' || name === 'python' || name === 'ruby') && !/slim|alpine/.test(tag)) return `the full ${name} image (compilers and -dev headers)`;
  return undefined;
}

export function isJdkImage(ref: ImageRef): boolean {
  const name = imageName(ref);
  const tag = ref.tag ?? 'latest';
  if (/\bjre\b/.test(tag)) return false;
  if (name === 'eclipse-temurin' || name === 'openjdk' || name === 'amazoncorretto' || name === 'ibm-semeru-runtimes' || name === 'sapmachine') {
    return name === 'ibm-semeru-runtimes' ? /jdk/.test(tag) : true;
  }
  return false;
}

/** A smaller image of the same version line that runs the same things. */
export interface ImageVariant {
  ref: string;
  /** What changes, for the title/message: "-slim (Debian without compilers)". */
  what: string;
}

/** Debian release codenames that official images put in their tags (`20-bookworm`, `3.12-slim-bookworm`). */
export const DEBIAN_CODENAMES: readonly string[] = ['trixie', 'bookworm', 'bullseye', 'buster', 'stretch'];

/**
 * The `-slim` tag of the same version line, in the family's style: Node and Debian put `-slim` after the
 * Debian codename (`20-bookworm-slim`); Python, Ruby, Perl and Rust before it (`3.12-slim-bookworm`).
 * Undefined when the tag already is slim or alpine, or is a Windows or onbuild tag.
 */
export function slimVariantTag(name: string, tag: string): string | undefined {
  const style = name === 'node' || name === 'debian' ? 'suffix' : 'before-codename';
  if (/slim|alpine|windowsservercore|nanoserver|onbuild/.test(tag)) return undefined;
  // Debian has no plain `slim` tag: its `latest` is the stable release, whose slim tag is `stable-slim`.
  if (tag === 'latest') return name === 'debian' ? 'stable-slim' : 'slim';
  const codename = DEBIAN_CODENAMES.find((c) => tag === c || tag.endsWith(`-${c}`));
  if (!codename) return `${tag}-slim`;
  if (tag === codename) return `${codename}-slim`;
  const version = tag.slice(0, -(codename.length + 1));
  return style === 'suffix' ? `${version}-${codename}-slim` : `${version}-slim-${codename}`;
}

/**
 * Smaller variants of the same version line only: never another major version, never another libc
 * (alpine is not offered for a Debian-based image, because native modules and DNS behave differently).
 * What `larger-base-than-needed` offers; the hover's list (images/variants.ts) starts with these.
 */
export function sameLibcVariants(image: string): ImageVariant[] {
  const ref = parseImageRef(image);
  if (ref.digest) return [];
  const name = imageName(ref);
  const tag = ref.tag ?? 'latest';
  const withTag = (repo: string, t: string) => `${repo}:${t}`;
  // Keep the author's spelling of the repository (registry, `library/`), change only the tag.
  const repoAsWritten = ref.tag ? image.slice(0, image.lastIndexOf(':')) : image;
  switch (name) {
    case 'node': {
      const t = slimVariantTag(name, tag);
      return t ? [{ ref: withTag(repoAsWritten, t), what: 'the same Node.js on the same Debian release, without compilers and -dev headers' }] : [];
    }
    case 'debian': {
      const t = slimVariantTag(name, tag);
      return t ? [{ ref: withTag(repoAsWritten, t), what: 'the same Debian release without man pages, docs and extra locales' }] : [];
    }
    case 'python':
    case 'ruby':
    case 'perl': {
      const t = slimVariantTag(name, tag);
      return t ? [{ ref: withTag(repoAsWritten, t), what: `the same ${name} on the same Debian release, without compilers and -dev headers` }] : [];
    }
    case 'eclipse-temurin': {
      // `21`, `21-jdk`, `21-jdk-alpine`, `21.0.2_13-jdk-jammy` → the same with `jre`.
      if (/\bjre\b/.test(tag) || tag === 'latest') return [];
      const m = /^(\d[\w.]*?)(?:-jdk)?(-.+)?$/.exec(tag);
      if (!m) return [];
      return [{ ref: withTag(repoAsWritten, `${m[1]}-jre${m[2] ?? ''}`), what: 'the JRE of the same Java version, without the compiler and JDK tools' }];
    }
    case 'openjdk': {
      // Official openjdk images only ever had JRE variants for 8 and 11 (and an Alpine one for 8).
      const m = /^(8|11)(?:-jdk)?(-slim|-slim-\w+)?$/.exec(tag) ?? /^(8)(?:-jdk)?(-alpine)$/.exec(tag);
      return m ? [{ ref: withTag(repoAsWritten, `${m[1]}-jre${m[2] ?? ''}`), what: 'the JRE of the same Java version, without the compiler and JDK tools' }] : [];
    }
    case 'mcr.microsoft.com/dotnet/sdk':
    case 'mcr.microsoft.com/dotnet/core/sdk': {
      const base = repoAsWritten.slice(0, repoAsWritten.lastIndexOf('/'));
      return [
        { ref: withTag(`${base}/aspnet`, tag), what: 'the ASP.NET Core runtime of the same .NET version' },
        { ref: withTag(`${base}/runtime`, tag), what: 'the .NET runtime of the same version (console apps)' },
      ];
    }
    default:
      return [];
  }
}

export type OsFamily = 'alpine' | 'debian' | 'distroless' | 'scratch' | 'unknown';

/** The OS an image is built on, from its name and tag; `unknown` when the name says nothing. */
export function osFamily(image: string): OsFamily {
  const ref = parseImageRef(image);
  const name = imageName(ref);
  const tag = ref.tag ?? 'latest';
  if (name === 'scratch') return 'scratch';
  if (name.includes('distroless') || name.startsWith('cgr.dev/') || /chiseled/.test(tag)) return 'distroless';
  if (name === 'alpine' || /alpine/.test(tag)) return 'alpine';
  if (['debian', 'ubuntu', 'bitnami/minideb'].includes(name) || DEBIAN_CODENAMES.some((c) => tag.includes(c)) || /jammy|noble|focal|slim/.test(tag)) return 'debian';
  // Official language images without a distro in the tag are Debian-based.
  if (['node', 'python', 'ruby', 'perl', 'golang', 'rust', 'php', 'openjdk', 'eclipse-temurin', 'gcc', 'buildpack-deps', 'maven', 'gradle', 'elixir', 'erlang'].includes(name)) return 'debian';
  return 'unknown';
}

/**
 * Whether the image's default user is not root. Distroless `:nonroot`, Chainguard, Bitnami, the
 * unprivileged nginx, and .NET chiseled images declare a non-root USER themselves.
 */
export function defaultsToNonRoot(image: string): boolean {
  const ref = parseImageRef(image);
  const name = imageName(ref);
  const tag = ref.tag ?? 'latest';
  if (name.includes('distroless') && /nonroot/.test(tag)) return true;
  if (name.startsWith('cgr.dev/chainguard/') && !/-dev$/.test(tag)) return true;
  // Bitnami's application images run as 1001; minideb is their plain Debian base and runs as root.
  if (name.startsWith('bitnami/') && name !== 'bitnami/minideb') return true;
  if (name === 'nginxinc/nginx-unprivileged' || name.endsWith('/nginx-unprivileged')) return true;
  if (name.startsWith('mcr.microsoft.com/dotnet/') && /chiseled/.test(tag)) return true;
  // Dev container images: devcontainer.json's remoteUser picks their non-root user (vscode, node…).
  if (/^mcr\.microsoft\.com\/(vscode\/)?devcontainers\//.test(name)) return true;
  return NON_ROOT_IMAGES.has(name);
}

/**
 * Images whose own Dockerfile ends with a non-root USER (or whose entrypoint switches to one), from
 * their published Dockerfiles as remembered when this table was written: it could not be re-checked
 * offline, so it lists only long-standing cases.
 */
const NON_ROOT_IMAGES: ReadonlySet<string> = new Set([
  'jenkins/jenkins', 'jenkins/inbound-agent', 'grafana/grafana', 'prom/prometheus', 'prom/alertmanager', 'prom/node-exporter',
  'sonarqube', 'haproxy', 'quay.io/keycloak/keycloak', 'keycloak/keycloak',
  'docker.elastic.co/elasticsearch/elasticsearch', 'docker.elastic.co/kibana/kibana', 'docker.elastic.co/logstash/logstash',
  'elasticsearch', 'kibana', 'logstash', 'neo4j', 'solr', 'zookeeper', 'cassandra', 'sonatype/nexus3',
]);

/**
 * Images whose server starts as root and drops to an unprivileged account by itself (nginx/httpd
 * workers, the `gosu` entrypoints of the official databases): running them without USER is the
 * intended setup, so `runs-as-root` stays quiet.
 */
export const DROPS_PRIVILEGES_ITSELF: ReadonlySet<string> = new Set([
  'nginx', 'httpd', 'postgres', 'redis', 'mysql', 'mariadb', 'mongo', 'rabbitmq', 'memcached', 'couchdb',
  'influxdb', 'percona', 'postgis/postgis', 'timescale/timescaledb',
]);

/** Whether the image's server drops to an unprivileged account by itself (see DROPS_PRIVILEGES_ITSELF). */
export function dropsPrivilegesItself(image: string): boolean {
  const ref = parseImageRef(image);
  const name = imageName(ref);
  // php:*-apache runs Apache (workers as www-data), php:*-fpm runs pools as www-data.
  if (name === 'php' && /apache|fpm/.test(ref.tag ?? '')) return true;
  return DROPS_PRIVILEGES_ITSELF.has(name);
}

/** Whether a stage's commands drop privileges at run time (gosu/su-exec entrypoints). */
export const PRIVILEGE_DROP_COMMANDS = /\b(gosu|su-exec|setpriv|s6-setuidgid|chpst|runuser)\b|chroot\s+--userspec/;

/**
 * Windows images: there is no root; servercore runs as ContainerAdministrator and nanoserver as
 * ContainerUser, and the Linux fixes do not apply, so `runs-as-root` leaves them alone.
 */
export function isWindowsImage(image: string): boolean {
  const ref = parseImageRef(image);
  return /(^|\/)windows(\/|$)|windowsservercore|nanoserver/.test(imageName(ref)) || /windowsservercore|nanoserver|ltsc20\d\d/.test(ref.tag ?? '');
}

/** Whether the image is the empty image. */
export function isScratch(image: string | undefined): boolean {
  return image !== undefined && image.trim().toLowerCase() === 'scratch';
}

/** The official `node` images create a `node` user (uid 1000) that a Dockerfile only has to switch to. */
export function hasBuiltInNodeUser(image: string): boolean {
  return imageName(parseImageRef(image)) === 'node';
}
