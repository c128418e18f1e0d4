// The runtime image choices of the split: same language version, the family the setting asks for,
// and a non-root user that exists (or is created) in that family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtInUsers, debianCodename, distroless, nonRootUserLines, parseImage, variantTag } from '../../../server/src/analysis/rewrite/runtimeImages';
import { isToolchainImage, runtimePackages, runtimeApkPackages, apkPackages, aptPackages, BUILD_COMMAND } from '../../../server/src/analysis/rewrite/buildDetection';

test('runtime images: -slim variants keep the version and the Debian release in the order each image uses', () => {
  assert.equal(variantTag('node', '20', 'slim', 'node'), 'node:20-slim');
  assert.equal(variantTag('node', '20.11.1-bookworm', 'slim', 'node'), 'node:20.11.1-bookworm-slim');
  assert.equal(variantTag('python', '3.11-bookworm', 'slim', 'python'), 'python:3.11-slim-bookworm');
  assert.equal(variantTag('python', '3.12.4', 'slim', 'python'), 'python:3.12.4-slim');
  assert.equal(variantTag('python', '3.11-slim', 'slim', 'python'), 'python:3.11-slim', 'already slim stays as it is');
  assert.equal(variantTag('node', undefined, 'slim', 'node'), 'node:lts-slim', 'an untagged node is the LTS line');
  assert.equal(variantTag('node', '18-bullseye', 'alpine', 'node'), 'node:18-alpine');
  assert.equal(variantTag('registry.example.com/base/python', '3.10', 'slim', 'python'), 'registry.example.com/base/python:3.10-slim');
});

test('runtime images: image references parse with registry ports, tags and digests', () => {
  assert.deepEqual(parseImage('localhost:5000/team/golang:1.23@sha256:abc'), { repository: 'localhost:5000/team/golang', name: 'golang', tag: '1.23', digest: 'sha256:abc' });
  assert.deepEqual(parseImage('mcr.microsoft.com/dotnet/sdk:8.0'), { repository: 'mcr.microsoft.com/dotnet/sdk', name: 'sdk', tag: '8.0', digest: undefined });
  assert.equal(parseImage('node').tag, undefined);
});

test('runtime images: distroless names follow the Debian release of the builder', () => {
  assert.equal(debianCodename('1.22-bullseye'), 'bullseye');
  assert.equal(distroless('static', 'bullseye'), 'gcr.io/distroless/static-debian11:nonroot');
  assert.equal(distroless('cc'), 'gcr.io/distroless/cc-debian12:nonroot');
});

test('runtime images: every family gets a non-root USER that exists there', () => {
  assert.deepEqual(nonRootUserLines('distroless'), ['USER nonroot:nonroot']);
  assert.deepEqual(nonRootUserLines('node'), ['USER node']);
  assert.match(nonRootUserLines('debian')[0], /^RUN useradd /);
  assert.match(nonRootUserLines('alpine')[0], /^RUN addgroup -S -g 10001 app && adduser -S -G app -u 10001 /);
  assert.ok(builtInUsers('distroless').includes('nonroot'));
  assert.ok(!builtInUsers('debian').includes('app'), 'the debian family creates its user');
});

test('build detection: SDK images are toolchains, their slim/JRE variants are runtimes', () => {
  for (const [name, tag] of [['golang', '1.23'], ['node', '20'], ['python', '3.11-bookworm'], ['eclipse-temurin', '17-jdk'], ['sdk', '8.0'], ['maven', '3.9']] as const) {
    assert.equal(isToolchainImage(name, tag), true, `${name}:${tag}`);
  }
  for (const [name, tag] of [['node', '20-slim'], ['python', '3.11-alpine'], ['eclipse-temurin', '17-jre'], ['nginx', 'stable'], ['php', '8.3-apache']] as const) {
    assert.equal(isToolchainImage(name, tag), false, `${name}:${tag}`);
  }
});

test('build detection: compilers count at a command position only, not as package names', () => {
  assert.ok(BUILD_COMMAND.test('cd src && make -j4'));
  assert.ok(BUILD_COMMAND.test('CC=clang make'));
  assert.ok(!BUILD_COMMAND.test('apt-get install -y make gcc'));
  assert.ok(BUILD_COMMAND.test('npm ci && npm run build'));
});

test('runtime libraries: -dev packages become their runtime halves, compilers stay in the builder', () => {
  assert.deepEqual(aptPackages('apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev curl && rm -rf /var/lib/apt/lists/*'), ['gcc', 'libpq-dev', 'curl']);
  assert.deepEqual(runtimePackages(['gcc', 'libpq-dev', 'libssl-dev', 'ffmpeg', 'git']), ['libpq5', 'libssl3', 'ffmpeg']);
  assert.deepEqual(apkPackages('apk add --no-cache build-base libffi-dev postgresql-libs'), ['build-base', 'libffi-dev', 'postgresql-libs']);
  assert.deepEqual(apkPackages('apk add --virtual .build-deps gcc musl-dev'), [], 'a virtual group is removed later');
  assert.deepEqual(runtimeApkPackages(['build-base', 'libffi-dev', 'postgresql-libs']), ['libffi', 'postgresql-libs']);
});
