// The images the bundled snapshot covers: popular official images, their smaller variants, on the two
// platforms most people build for. regenerate.ts reads this list; edit it here, then regenerate.
export const SNAPSHOT_PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

const withVariants = (name: string, versions: string[], suffixes: string[]) =>
  versions.flatMap((v) => suffixes.map((s) => `${name}:${v}${s}`));

export const SNAPSHOT_IMAGES: readonly string[] = [
  ...withVariants('node', ['18', '20', '22', '24'], ['', '-slim', '-alpine', '-bookworm', '-bookworm-slim']),
  ...withVariants('python', ['3.11', '3.12', '3.13'], ['', '-slim', '-alpine', '-bookworm', '-slim-bookworm']),
  ...withVariants('golang', ['1.22', '1.23', '1.24'], ['', '-alpine', '-bookworm']),
  ...withVariants('rust', ['1', '1.82', '1.85'], ['', '-slim', '-alpine']),
  ...withVariants('eclipse-temurin', ['17', '21'], ['', '-jdk', '-jre', '-jre-alpine', '-jdk-alpine', '-jre-jammy', '-jdk-jammy']),
  ...withVariants('openjdk', ['17', '21'], ['', '-jdk-slim']),
  'maven:3.9-eclipse-temurin-17', 'maven:3.9-eclipse-temurin-21', 'gradle:8-jdk17', 'gradle:8-jdk21',
  ...withVariants('nginx', ['stable', 'mainline', '1.26', '1.27', 'latest'], ['', '-alpine', '-alpine-slim']).map((r) => r.replace(':latest-', ':')),
  ...withVariants('httpd', ['2.4'], ['', '-alpine']),
  'alpine:3.19', 'alpine:3.20', 'alpine:3.21', 'alpine:latest',
  'debian:bookworm', 'debian:bookworm-slim', 'debian:12', 'debian:12-slim', 'debian:stable-slim',
  'ubuntu:22.04', 'ubuntu:24.04',
  ...withVariants('redis', ['7', '7.4'], ['', '-alpine']),
  ...withVariants('postgres', ['15', '16', '17'], ['', '-alpine']),
  ...['sdk', 'aspnet', 'runtime', 'runtime-deps'].flatMap((kind) => ['8.0', '9.0', '8.0-alpine', '9.0-alpine'].map((v) => `mcr.microsoft.com/dotnet/${kind}:${v}`)),
  ...['static-debian12', 'base-debian12', 'cc-debian12', 'java17-debian12', 'java21-debian12', 'nodejs20-debian12', 'nodejs22-debian12', 'python3-debian12']
    .map((name) => `gcr.io/distroless/${name}`),
];
