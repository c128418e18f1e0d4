import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'toolchain-in-final-stage';

test('toolchain-in-final-stage: fires on a final stage FROM a build-only image, at the image', () => {
  const [p] = catches(RULE, 'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nCMD ["./server"]\n');
  assert.deepEqual(p.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 16 } });
  assert.match(p.message, /Go toolchain/);
  assert.deepEqual(p.fixes, [], 'the fix is the split refactoring, offered by the code-action handler');
  for (const image of ['rust:1.79', 'maven:3.9-eclipse-temurin-21', 'gradle:8-jdk21', 'gcc:14', 'mcr.microsoft.com/dotnet/sdk:8.0']) catches(RULE, `FROM ${image}\nCOPY . .\nRUN make\n`);
});

test('toolchain-in-final-stage: fires on full node/python/JDK images only when the stage builds', () => {
  const [p] = catches(RULE, 'FROM node:20\nCOPY package*.json ./\nRUN npm install\nCOPY . .\nRUN npm run build\nCMD ["node", "dist/main.js"]\n');
  assert.match(p.message, /FROM node:20.*runs npm run build/);
  catchesNot(RULE, 'FROM node:20\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "main.js"]\n');
  catches(RULE, 'FROM eclipse-temurin:21\nCOPY . .\nRUN ./mvnw package\n');
});

test('toolchain-in-final-stage: fires on a build step on any base, at the command', () => {
  const text = 'FROM node:20-alpine\nCOPY . .\nRUN npm ci && \\\n    npm run build:prod\n';
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 3);
  assert.match(p.message, /npm run build:prod/);
  for (const run of ['RUN yarn build', 'RUN pnpm run build', 'RUN npx tsc -p .', 'RUN CGO_ENABLED=0 go build ./...', 'RUN cargo build --release', 'RUN sh -c "dotnet publish -o /out"']) catches(RULE, `FROM alpine:3.20\n${run}\n`);
});

test('toolchain-in-final-stage: fires on compilers and -dev headers that stay installed', () => {
  const [p] = catches(RULE, 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev\n');
  assert.match(p.message, /build-essential, libpq-dev/);
  catches(RULE, 'FROM alpine:3.20\nRUN apk add --no-cache gcc musl-dev\n');
});

test('toolchain-in-final-stage: does not fire when the same RUN removes the build packages again', () => {
  const text = [
    'FROM python:3.12-alpine',
    'RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\',
    '    && pip install --no-cache-dir psycopg2 \\',
    '    && apk del .build-deps',
    'FROM python:3.12-slim',
    'RUN set -eux; apt-get update; apt-get install -y gcc libffi-dev; pip install cffi; apt-get purge -y --auto-remove gcc libffi-dev; rm -rf /var/lib/apt/lists/*',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('toolchain-in-final-stage: does not fire on builder stages or runtime-only final stages', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'RUN apt-get update && apt-get install -y gcc',
    'RUN go build -o /out/app .',
    'FROM gcr.io/distroless/static-debian12',
    'COPY --from=build /out/app /app',
    'ENTRYPOINT ["/app"]',
    '',
  ].join('\n');
  catchesNot(RULE, text);
  catchesNot(RULE, 'FROM node:20-slim\nRUN npm ci --omit=dev\nRUN npm run start\n');
  catchesNot(RULE, 'FROM alpine:3.20\nRUN echo "go build" > /notes.txt\n');
});

test('toolchain-in-final-stage: a final stage FROM a builder stage inherits its toolchain', () => {
  const [p] = catches(RULE, 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM build\nCMD ["/app"]\n');
  assert.equal(p.range.start.line, 0);
});

test('toolchain-in-final-stage: -dev headers alone and compiler-free buildpack-deps variants are not a toolchain (corpus false positives)', () => {
  catchesNot(RULE, 'FROM ubuntu:24.04\nRUN apt-get update && apt-get -y install gpg libsnappy1v5 libjemalloc-dev\n');
  catchesNot(RULE, 'FROM buildpack-deps:bookworm-scm\nRUN echo go\n');
  catchesNot(RULE, 'FROM buildpack-deps:bookworm-curl\nCMD ["bash"]\n');
  catches(RULE, 'FROM buildpack-deps:bookworm\nCMD ["bash"]\n');
  assert.match(catches(RULE, 'FROM debian:12\nRUN apt-get install -y gcc libpq-dev\n')[0].message, /gcc, libpq-dev/);
});

test('toolchain-in-final-stage: an install whose package.json prepare/postinstall script builds is a build step (context read)', async () => {
  const { memoryContext } = await import('../../support/analysis');
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "dist/index.js"]\n';
  const building = memoryContext({ 'package.json': '{"scripts":{"prepare":"tsc -p .","start":"node dist/index.js"}}' });
  const [p] = catches(RULE, text, { context: building });
  assert.match(p.message, /npm ci, whose package.json prepare script runs tsc -p \./);
  assert.equal(p.range.start.line, 3);
  catchesNot(RULE, text); // without the context there is no evidence
  catchesNot(RULE, text.replace('npm ci', 'npm ci --ignore-scripts'), { context: building });
  const plain = memoryContext({ 'package.json': '{"scripts":{"postinstall":"husky install"}}' });
  catchesNot(RULE, text, { context: plain });
  catchesNot(RULE, text, { context: memoryContext({ 'package.json': '{ not json' }) });
});
