import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryContext } from '../../support/analysis';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'prefer-cache-mount';

test('prefer-cache-mount: fires as a hint on npm ci and adds the npm cache mount', () => {
  const text = 'FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'hint');
  fixesTo(RULE, text, text.replace('RUN npm ci', 'RUN --mount=type=cache,target=/root/.npm npm ci'), { safe: undefined });
});

test('prefer-cache-mount: picks targets per manager, keeps existing flags and replaces --no-cache-dir', () => {
  fixesTo(RULE, 'FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n', /RUN --mount=type=cache,target=\/root\/.cache\/pip pip install -r requirements.txt\n/);
  fixesTo(RULE, 'FROM golang:1.22 AS b\nRUN go mod download\n', /RUN --mount=type=cache,target=\/go\/pkg\/mod go mod download/);
  fixesTo(RULE, 'FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -o /app .\n', /--mount=type=cache,target=\/go\/pkg\/mod --mount=type=cache,target=\/root\/.cache\/go-build CGO_ENABLED=0 go build/);
  fixesTo(RULE, 'FROM maven:3-eclipse-temurin-21\nRUN --network=default mvn -B package\n', /RUN --mount=type=cache,target=\/root\/.m2 --network=default mvn/);
  fixesTo(RULE, 'FROM rust:1.79\nRUN cargo build --release\n', /target=\/usr\/local\/cargo\/registry/);
});

test('prefer-cache-mount: does not fire with a cache mount, under a non-root user, or where the cache path is unknown', () => {
  catchesNot(RULE, [
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    'FROM node:20\nUSER node\nRUN npm ci\n',
    'FROM bitnami/node:20\nRUN npm ci\n',
    'FROM alpine\nRUN apk add go && go build .\n',
    'FROM node:20\nENV npm_config_cache=/tmp/cache\nRUN npm ci\n',
    'FROM node:20\nRUN npm run build\n',
    'FROM node:20 AS unused\nRUN npm ci\nFROM alpine\nRUN echo hi\n',
  ]);
});

test('prefer-cache-mount: fires once per RUN and in sh -c bodies', () => {
  catches(RULE, 'FROM node:20\nRUN npm ci && npm install -g pm2\n');
  catches(RULE, "FROM python:3.12\nRUN sh -c 'pip install flask'\n");
});

test('prefer-cache-mount: stays quiet on Windows images and dotnet publish --no-restore (corpus: dotnet-docker samples)', () => {
  catchesNot(RULE, 'FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022\nRUN dotnet restore\n');
  catchesNot(RULE, 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish --no-restore -o /app\n');
  const [p] = catches(RULE, 'FROM gradle:8-jdk21\nRUN ./gradlew -Dorg.gradle.jvmargs="-Xmx2g" assembleRelease\n');
  assert.match(p.message, /^gradlew assembleRelease downloads/);
});

test('prefer-cache-mount: for a Go module that requires nothing, says so and mounts only the build cache', () => {
  const text = 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n';
  const context = memoryContext({ 'go.mod': 'module example.com/hello\n\ngo 1.23\n', 'main.go': '' });
  // go mod download of a module without requirements downloads nothing: only the go build is caught.
  const problems = catches(RULE, text, { context });
  assert.match(problems[0].message, /go build has no module requirements to download \(go\.mod requires nothing\) but compiles every package again/);
  assert.doesNotMatch(problems[0].message, /downloads every dependency/);
  fixesTo(RULE, text, /RUN --mount=type=cache,target=\/root\/.cache\/go-build go build/, { context });
});

test('prefer-cache-mount: for a Go module with requirements (or unknown), names the downloads', () => {
  const text = 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n';
  const context = memoryContext({ 'go.mod': 'module x\n\ngo 1.23\n\nrequire github.com/a/b v1.0.0\n', 'go.sum': '' });
  assert.match(catches(RULE, text, { context })[0].message, /go mod download downloads the module's requirements again/);
  catches(RULE, text);
});

test('prefer-cache-mount: does not catch when a tmpfs or bind mount already covers the cache (a second mount there is a builder error)', () => {
  catchesNot(RULE, 'FROM node:20\nRUN --mount=type=tmpfs,target=/root/.npm npm ci\n');
  catchesNot(RULE, 'FROM node:20\nRUN --mount=type=tmpfs,target=/root npm ci\n');
  catches(RULE, 'FROM node:20\nRUN --mount=type=tmpfs,target=/tmp npm ci\n');
});
