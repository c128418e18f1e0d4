// Smaller images of the same version line: the table behind the hover's "smaller variants" rows and the
// inlay hint's second figure. Pure. A variant keeps the version the user wrote (never another major, never
// another release line); anything that changes more than the flavour says so in `note`.
import { DEBIAN_CODENAMES, sameLibcVariants, slimVariantTag } from '../analysis/data/baseImages';
import { displayName, parseImageReference } from '../analysis/imageReference';

export interface VariantCandidate {
  /** Reference to look up, as people write it: "node:20-slim". */
  reference: string;
  /** Short name for tables and inlay hints: "slim", "alpine", "jre", "aspnet". */
  label: string;
  /** What else changes besides the size (libc, no shell, another image). */
  note?: string;
}

const DEBIAN_SUITES = DEBIAN_CODENAMES.join('|');
const UBUNTU_SUITES = 'noble|jammy|focal';
const MUSL = 'Alpine: musl libc, apk';

/** Images whose tags follow "<version>[-<debian suite>]" with "-slim"/"-alpine" siblings. */
const SLIM_AND_ALPINE = new Set(['node', 'python', 'ruby', 'rust', 'perl']);
/** Images that only have an "-alpine" sibling. */
const ALPINE_ONLY = new Set(['golang', 'httpd', 'redis', 'postgres', 'memcached', 'haproxy', 'php', 'rabbitmq', 'traefik', 'caddy']);

/**
 * The rules' table (same libc, what `larger-base-than-needed` offers as a fix) first, so hover, inlay hint
 * and rule fixes agree on names and the rule finds the sizes the hover fetched; then the variants a
 * hover may also show because it labels what changes (alpine, another image, jre-alpine).
 */
export function smallerVariants(reference: string): VariantCandidate[] {
  // Same libc, same release: nothing to warn about in a hover row (the rule's message explains the swap).
  const fromRules: VariantCandidate[] = sameLibcVariants(reference).map((v) => ({ reference: v.ref, label: labelOf(v.ref) }));
  const seen = new Set(fromRules.map((v) => parseImageReference(v.reference)?.canonical ?? v.reference));
  const extra = hoverVariants(reference).filter((v) => !seen.has(parseImageReference(v.reference)?.canonical ?? v.reference));
  return [...fromRules, ...extra];
}

function labelOf(reference: string): string {
  if (/\/aspnet:/.test(reference)) return 'aspnet';
  if (/\/runtime:/.test(reference)) return 'runtime';
  if (/jre/.test(reference)) return 'jre';
  if (/slim/.test(reference)) return 'slim';
  return reference.slice(reference.lastIndexOf(':') + 1);
}

function hoverVariants(reference: string): VariantCandidate[] {
  const ref = parseImageReference(reference);
  if (!ref || ref.digest || !ref.tag) return [];
  const tag = ref.tag;
  if (ref.registry === 'mcr.microsoft.com') return dotnetVariants(ref.repository, tag);
  if (ref.registry !== 'docker.io' || !ref.repository.startsWith('library/')) return [];
  const name = ref.repository.slice('library/'.length);
  if (/(^|-)alpine[\d.]*(-|$)/.test(tag)) return name === 'nginx' && !tag.includes('slim') ? nginxAlpineSlim(tag) : [];
  if (SLIM_AND_ALPINE.has(name)) return slimAndAlpine(name, tag);
  if (ALPINE_ONLY.has(name)) return alpineOnly(name, tag);
  switch (name) {
    case 'debian':
      return debianSlim(tag);
    case 'nginx':
      return nginxVariants(tag);
    case 'eclipse-temurin':
      return temurinJre(tag);
    case 'openjdk':
    case 'maven':
    case 'gradle':
      return javaBuildImageToJre(name, tag);
    default:
      return [];
  }
}

/** Splits "3.12-bookworm" into version "3.12" and suite "bookworm"; "latest" has no version part. */
function splitSuite(tag: string): { version: string; suite?: string; slim: boolean } {
  const m = new RegExp(`^(.*?)(?:-?(slim))?(?:-(${DEBIAN_SUITES}))?(?:-(slim))?$`).exec(tag);
  if (!m) return { version: tag, slim: false };
  const version = m[1] === '' && m[3] ? '' : m[1];
  return { version, suite: m[3], slim: Boolean(m[2] || m[4]) };
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join('-');
}

function slimAndAlpine(name: string, tag: string): VariantCandidate[] {
  const { version, slim } = splitSuite(tag);
  const base = version === 'latest' ? '' : version;
  const out: VariantCandidate[] = [];
  const slimTag = slim ? undefined : slimVariantTag(name, tag);
  if (slimTag) out.push({ reference: `${name}:${slimTag}`, label: 'slim' });
  out.push({ reference: `${name}:${join(base, 'alpine')}`, label: 'alpine', note: MUSL });
  return out;
}

function alpineOnly(name: string, tag: string): VariantCandidate[] {
  const { version } = splitSuite(tag);
  const base = version === 'latest' ? '' : version;
  return [{ reference: `${name}:${join(base, 'alpine')}`, label: 'alpine', note: MUSL }];
}

function debianSlim(tag: string): VariantCandidate[] {
  const slimTag = slimVariantTag('debian', tag);
  return slimTag ? [{ reference: `debian:${slimTag}`, label: 'slim' }] : [];
}

function nginxVariants(tag: string): VariantCandidate[] {
  if (tag.includes('perl') || tag.includes('otel')) return [];
  const { version } = splitSuite(tag);
  const base = version === 'latest' ? '' : version;
  return [
    { reference: `nginx:${join(base, 'alpine')}`, label: 'alpine', note: MUSL },
    { reference: `nginx:${join(base, 'alpine-slim')}`, label: 'alpine-slim', note: `${MUSL}; no njs/xslt modules` },
  ];
}

function nginxAlpineSlim(tag: string): VariantCandidate[] {
  const base = tag.replace(/-?alpine[\d.]*$/, '');
  return [{ reference: `nginx:${join(base, 'alpine-slim')}`, label: 'alpine-slim', note: 'no njs/xslt modules' }];
}

/** eclipse-temurin:21 / 21-jdk / 21-jdk-jammy → the JRE of the same version (and distro). */
function temurinJre(tag: string): VariantCandidate[] {
  const m = new RegExp(`^([\\d._+]+)(?:-(jdk))?(?:-(${UBUNTU_SUITES}|ubi9-minimal|focal))?$`).exec(tag);
  if (!m) return [];
  const [, version, , distro] = m;
  const out: VariantCandidate[] = [{ reference: `eclipse-temurin:${join(version, 'jre', distro)}`, label: 'jre', note: 'runs the app; no compiler (javac)' }];
  out.push({ reference: `eclipse-temurin:${join(version, 'jre-alpine')}`, label: 'jre-alpine', note: `runs the app; ${MUSL}` });
  return out;
}

/** openjdk (deprecated), maven and gradle images run fine on the Temurin JRE of the same Java major. */
function javaBuildImageToJre(name: string, tag: string): VariantCandidate[] {
  let major: string | undefined;
  if (name === 'openjdk') major = /^(\d+)/.exec(tag)?.[1];
  else major = /(?:temurin|jdk|openjdk|corretto)-?(\d+)/.exec(tag)?.[1];
  if (!major || Number(major) < 8) return [];
  const why = name === 'openjdk' ? 'another image: the openjdk images are deprecated' : `another image: ${name} is a build tool image`;
  return [{ reference: `eclipse-temurin:${major}-jre`, label: 'temurin-jre', note: `${why}; same Java ${major}` }];
}

/** mcr.microsoft.com/dotnet/sdk:8.0 → aspnet / runtime of the same version. */
function dotnetVariants(repository: string, tag: string): VariantCandidate[] {
  if (repository !== 'dotnet/sdk' && repository !== 'dotnet/aspnet') return [];
  const prefix = 'mcr.microsoft.com/dotnet';
  if (repository === 'dotnet/aspnet') {
    return [{ reference: `${prefix}/runtime:${tag}`, label: 'runtime', note: 'console apps only: no ASP.NET Core' }];
  }
  return [
    { reference: `${prefix}/aspnet:${tag}`, label: 'aspnet', note: 'runs ASP.NET Core apps; no SDK' },
    { reference: `${prefix}/runtime:${tag}`, label: 'runtime', note: 'console apps only; no SDK' },
  ];
}

/** For messages: the short display form of a reference. */
export function shortName(reference: string): string {
  const ref = parseImageReference(reference);
  return ref ? displayName(ref) : reference;
}
