// What decides whether a Go binary runs on a minimal image: which images have no C library (or musl
// instead of glibc), and which packages bring the C compiler that turns cgo on by default.

export type Libc = 'none' | 'musl' | 'glibc' | 'unknown';

/** The C library of a runtime image, from its name and tag. */
export function libcOf(image: string): Libc {
  const lower = image.toLowerCase();
  const [name, tag = 'latest'] = splitTag(lower);
  if (name === 'scratch') return 'none';
  if (/(^|\/)distroless\/static/.test(name) || /(^|\/)chainguard\/static$/.test(name) || name === 'cgr.dev/chainguard/static') return 'none';
  if (/(^|\/)distroless\/(base|cc|java|python|nodejs)/.test(name)) return 'glibc';
  if (name === 'alpine' || /(^|\/)alpine$/.test(name) || /alpine/.test(tag)) return 'musl';
  if (name === 'busybox') return /glibc/.test(tag) ? 'glibc' : /musl/.test(tag) ? 'musl' : 'unknown';
  if (/^(debian|ubuntu|fedora|centos|rockylinux|almalinux|amazonlinux|redhat\/ubi\d+.*|registry\.access\.redhat\.com\/.*)$/.test(name)) return 'glibc';
  return 'unknown';
}

/** Where the builder's Go comes from: the official golang image has gcc unless it is the alpine variant. */
export function goImageHasCCompiler(image: string): boolean | undefined {
  const [name, tag = 'latest'] = splitTag(image.toLowerCase());
  if (name !== 'golang' && !name.endsWith('/golang')) return undefined;
  return !/alpine/.test(tag);
}

/** Packages that install a C compiler (and so turn cgo on by default). */
export const C_COMPILER_PACKAGES: ReadonlySet<string> = new Set([
  'gcc', 'build-base', 'build-essential', 'clang', 'musl-dev', 'g++', 'gcc-c++', 'libc6-dev', 'libc-dev', 'musl-gcc',
]);

function splitTag(image: string): [string, string | undefined] {
  const noDigest = image.split('@')[0];
  const colon = noDigest.lastIndexOf(':');
  if (colon > noDigest.lastIndexOf('/')) return [noDigest.slice(0, colon), noDigest.slice(colon + 1)];
  return [noDigest, undefined];
}
