import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'whole-stage-copied';

test('whole-stage-copied: fires on copying a builder\'s working directory that holds the sources', () => {
  const text = 'FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nFROM alpine:3.20\nCOPY --from=builder /app .\nCMD ["./server"]\n';
  const [p] = catches(RULE, text);
  assert.deepEqual(p.range, { start: { line: 5, character: 20 }, end: { line: 5, character: 24 } });
  assert.match(p.message, /whole working directory \/app of 'builder'/);
  assert.match(p.message, /builder builds \/app\/server/, 'names the artifact');
});

test('whole-stage-copied: fires on copying / of a stage that builds', () => {
  const [p] = catches(RULE, 'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=build / /\n');
  assert.match(p.message, /whole filesystem of 'build'/);
});

test('whole-stage-copied: recognises trailing slashes, ./ and relative WORKDIRs', () => {
  const text = 'FROM node:20 AS build\nWORKDIR /srv\nWORKDIR web\nCOPY . ./\nRUN npm run build\nFROM nginx:1.27-alpine\nCOPY --from=build /srv/web/ /usr/share/nginx/html\n';
  catches(RULE, text);
});

test('whole-stage-copied: does not fire on artifacts, dependency folders, rootfs squashes or images', () => {
  const text = [
    'FROM golang:1.22 AS builder',
    'WORKDIR /app',
    'COPY . .',
    'RUN go build -o server .',
    'FROM debian:bookworm-slim AS rootfs',
    'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*',
    'FROM node:20 AS deps',
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci --omit=dev',
    'FROM scratch',
    'COPY --from=rootfs / /',
    'COPY --from=builder /app/server /server',
    'COPY --from=deps /app/node_modules /node_modules',
    'COPY --from=nginx:1.27 / /nginx',
    'COPY --from=builder /app/$BIN /bin/app',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('whole-stage-copied: does not fire in stages that do not reach the final image', () => {
  const text = 'FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY . .\nRUN go build -o s .\nFROM alpine:3.20 AS debug\nCOPY --from=builder /app /app\nFROM alpine:3.20\nCOPY --from=builder /app/s /s\n';
  catchesNot(RULE, text);
});

test('whole-stage-copied: does not fire on the working directory of an interpreted app that does not build (distroless nodejs example)', () => {
  const text = 'FROM node:20 AS build-env\nCOPY . /app\nWORKDIR /app\nRUN npm ci --omit=dev\nFROM gcr.io/distroless/nodejs20-debian12\nCOPY --from=build-env /app /app\nCMD ["hello.js"]\n';
  catchesNot(RULE, text);
});

test('whole-stage-copied: a stage FROM a compiler image counts as building even with a plain cc/javac call', () => {
  const text = 'FROM gcc:14 AS build-env\nCOPY . /app\nWORKDIR /app\nRUN cc hello.c -o hello\nFROM gcr.io/distroless/cc-debian12\nCOPY --from=build-env /app /app\n';
  catches(RULE, text);
});

test('whole-stage-copied: sees COPY --from together with --chown/--link (dockerfile-ast getFromFlag misses those)', () => {
  const text = 'FROM golang:1.22 AS builder\nWORKDIR /app\nCOPY --link . .\nRUN go build -o s .\nFROM alpine:3.20\nCOPY --chown=1000:1000 --from=builder /app /app\n';
  catches(RULE, text);
});

test('whole-stage-copied: with the context, names the output folder of the package.json build script', async () => {
  const { memoryContext } = await import('../../support/analysis');
  const text = 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:1.27-alpine\nCOPY --from=build /app /usr/share/nginx/html\n';
  const vite = memoryContext({ 'package.json': '{"scripts":{"build":"vite build"}}' });
  assert.match(catches(RULE, text, { context: vite })[0].message, /build builds \/app\/dist\//);
  const tsc = memoryContext({ 'package.json': '{"scripts":{"build":"tsc -p ."}}', 'tsconfig.json': '{\n  // output\n  "compilerOptions": { "outDir": "./out" }\n}' });
  assert.match(catches(RULE, text, { context: tsc })[0].message, /\/app\/out\//);
  assert.match(catches(RULE, text)[0].message, /the build output, production dependencies/, 'without a context it stays generic');
});
