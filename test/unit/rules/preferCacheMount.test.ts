import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/analysis/analyze';
import { applyEdits, findings, memoryContext } from '../../support/analysis';

const RULE = 'prefer-cache-mount';

function fix(text: string): string {
  const [p] = findings(text, RULE);
  assert.ok(p, text);
  const out = applyEdits(text, p.fixes[0].edits);
  assert.deepEqual(findings(out, RULE), [], out);
  assert.equal(analyze(out).problems.filter((x) => x.severity === 'error').length, 0, out);
  return out;
}

test('prefer-cache-mount: fires as a hint on npm ci and adds the npm cache mount', () => {
  const text = 'FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.severity, 'hint');
  assert.equal(p.fixes[0].safe, undefined);
  assert.equal(fix(text), text.replace('RUN npm ci', 'RUN --mount=type=cache,target=/root/.npm npm ci'));
});

test('prefer-cache-mount: picks targets per manager, keeps existing flags and replaces --no-cache-dir', () => {
  assert.match(fix('FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n'), /RUN --mount=type=cache,target=\/root\/.cache\/pip pip install -r requirements.txt\n/);
  assert.match(fix('FROM golang:1.22 AS b\nRUN go mod download\n'), /RUN --mount=type=cache,target=\/go\/pkg\/mod go mod download/);
  assert.match(fix('FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -o /app .\n'), /--mount=type=cache,target=\/go\/pkg\/mod --mount=type=cache,target=\/root\/.cache\/go-build CGO_ENABLED=0 go build/);
  assert.match(fix('FROM maven:3-eclipse-temurin-21\nRUN --network=default mvn -B package\n'), /RUN --mount=type=cache,target=\/root\/.m2 --network=default mvn/);
  assert.match(fix('FROM rust:1.79\nRUN cargo build --release\n'), /target=\/usr\/local\/cargo\/registry/);
});

test('prefer-cache-mount: does not fire with a cache mount, under a non-root user, or where the cache path is unknown', () => {
  for (const text of [
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    'FROM node:20\nUSER node\nRUN npm ci\n',
    'FROM bitnami/node:20\nRUN npm ci\n',
    'FROM alpine\nRUN apk add go && go build .\n',
    'FROM node:20\nENV npm_config_cache=/tmp/cache\nRUN npm ci\n',
    'FROM node:20\nRUN npm run build\n',
    'FROM node:20 AS unused\nRUN npm ci\nFROM alpine\nRUN echo hi\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('prefer-cache-mount: fires once per RUN and in sh -c bodies', () => {
  assert.equal(findings('FROM node:20\nRUN npm ci && npm install -g pm2\n', RULE).length, 1);
  assert.equal(findings("FROM python:3.12\nRUN sh -c 'pip install flask'\n", RULE).length, 1);
});

test('prefer-cache-mount: stays quiet on Windows images and dotnet publish --no-restore (corpus: dotnet-docker samples)', () => {
  assert.deepEqual(findings('FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022\nRUN dotnet restore\n', RULE), []);
  assert.deepEqual(findings('FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish --no-restore -o /app\n', RULE), []);
  const [p] = findings('FROM gradle:8-jdk21\nRUN ./gradlew -Dorg.gradle.jvmargs="-Xmx2g" assembleRelease\n', RULE);
  assert.match(p.message, /^gradlew assembleRelease downloads/);
});

test('prefer-cache-mount: for a Go module that requires nothing, says so and mounts only the build cache', () => {
  const text = 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n';
  const context = memoryContext({ 'go.mod': 'module example.com/hello\n\ngo 1.23\n', 'main.go': '' });
  const problems = findings(text, 'prefer-cache-mount', { context });
  assert.equal(problems.length, 1, 'go mod download of a module without requirements downloads nothing');
  assert.match(problems[0].message, /go build has no module requirements to download \(go\.mod requires nothing\) but compiles every package again/);
  assert.doesNotMatch(problems[0].message, /downloads every dependency/);
  assert.match(applyEdits(text, problems[0].fixes[0].edits), /RUN --mount=type=cache,target=\/root\/.cache\/go-build go build/);
});

test('prefer-cache-mount: for a Go module with requirements (or unknown), names the downloads', () => {
  const text = 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n';
  const context = memoryContext({ 'go.mod': 'module x\n\ngo 1.23\n\nrequire github.com/a/b v1.0.0\n', 'go.sum': '' });
  assert.match(findings(text, 'prefer-cache-mount', { context })[0].message, /go mod download downloads the module's requirements again/);
  assert.equal(findings(text, 'prefer-cache-mount').length, 1);
});

test('prefer-cache-mount: does not catch when a tmpfs or bind mount already covers the cache (a second mount there is a builder error)', () => {
  assert.deepEqual(findings('FROM node:20\nRUN --mount=type=tmpfs,target=/root/.npm npm ci\n', 'prefer-cache-mount'), []);
  assert.deepEqual(findings('FROM node:20\nRUN --mount=type=tmpfs,target=/root npm ci\n', 'prefer-cache-mount'), []);
  assert.equal(findings('FROM node:20\nRUN --mount=type=tmpfs,target=/tmp npm ci\n', 'prefer-cache-mount').length, 1);
});
