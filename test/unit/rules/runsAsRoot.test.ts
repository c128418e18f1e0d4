import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'runs-as-root';

test('runs-as-root: fires on a final stage without USER and points at its FROM image', () => {
  const text = 'FROM golang:1.22 AS build\nUSER nobody\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nCMD ["/app"]\n';
  const [p] = catches(RULE, text);
  assert.deepEqual(p.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 25 } });
  assert.match(p.message, /no USER/);
});

test('runs-as-root: fires on an explicit USER root / USER 0:0 that stays in effect', () => {
  assert.equal(catches(RULE, 'FROM alpine:3.20\nUSER app\nRUN x\nUSER root\nCMD ["sh"]\n')[0].range.start.line, 3);
  catches(RULE, 'FROM alpine:3.20\nUSER 0:0\n');
});

test('runs-as-root: the node fix switches to the built-in node user before CMD, keeping the comment above it', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n# start\nCMD ["node", "server.js"]\n';
  fixesTo(RULE, text, 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\n# start\nCMD ["node", "server.js"]\n');
});

test('runs-as-root: the alpine fix adds a user with adduser -D after the last RUN', () => {
  const text = 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir flask\nCOPY app.py .\nENTRYPOINT ["python", "app.py"]\n';
  fixesTo(RULE, text, /RUN adduser -D -H -u 10001 app\nUSER app\nENTRYPOINT/);
});

test('runs-as-root: the debian fix uses useradd; distroless gets nonroot; scratch gets 65534', () => {
  fixesTo(RULE, 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n', /RUN useradd --create-home --uid 10001 app\nUSER app\nCMD/);
  fixesTo(RULE, 'FROM gcr.io/distroless/static-debian12\nCOPY app /app\nENTRYPOINT ["/app"]\n', /USER nonroot\nENTRYPOINT/);
  fixesTo(RULE, 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n', /USER 65534:65534\nENTRYPOINT/);
});

test('runs-as-root: without CMD the USER is appended at the end, also when the file lacks a final newline', () => {
  fixesTo(RULE, 'FROM node:20-alpine\nCOPY . /app', 'FROM node:20-alpine\nCOPY . /app\nUSER node\n');
  fixesTo(RULE, 'FROM node:20-alpine\r\nCOPY . /app\r\n', 'FROM node:20-alpine\r\nCOPY . /app\r\nUSER node\r\n');
});

test('runs-as-root: follows FROM <stage> chains for USER and base image', () => {
  catchesNot(RULE, 'FROM node:20-slim AS base\nUSER node\nFROM base\nCMD ["node"]\n');
  catches(RULE, 'FROM node:20-slim AS base\nFROM base\nCMD ["node"]\n');
});

test('runs-as-root: does not fire on images that default to a non-root user or drop privileges themselves', () => {
  catchesNot(RULE, [
    'gcr.io/distroless/static-debian12:nonroot',
    'gcr.io/distroless/base:debug-nonroot',
    'cgr.dev/chainguard/node:latest',
    'bitnami/redis:7.2',
    'nginxinc/nginx-unprivileged:1.27-alpine',
    'mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled',
    'nginx:1.27-alpine',
    'postgres:16',
    'php:8.3-apache',
    'php:8.3-fpm-alpine',
    'mcr.microsoft.com/devcontainers/base:bookworm',
    'mcr.microsoft.com/windows/servercore:ltsc2022',
    'mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022',
  ].map((image) => `FROM ${image}\nCOPY x /x\n`));
});

test('runs-as-root: does not fire when a later USER switches away from root, or the entrypoint drops privileges', () => {
  catchesNot(RULE, 'FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nUSER 1001\n');
  catchesNot(RULE, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT ["gosu", "app", "/app"]\n');
  catchesNot(RULE, 'FROM alpine:3.20 AS build\nFROM alpine:3.20\nUSER ${APP_USER}\n');
});

test('runs-as-root: bitnami/minideb (a plain Debian base) runs as root, unlike the Bitnami app images', () => {
  catches(RULE, 'FROM bitnami/minideb:bookworm\nCMD ["app"]\n');
});

test('runs-as-root: an unknown base still fires but offers no guessed fix', () => {
  const [p] = catches(RULE, 'FROM registry.example.com/team/base:1.0\nCMD ["app"]\n');
  assert.match(p.message, /root unless that image sets another/);
  assert.deepEqual(p.fixes, []);
});

test('runs-as-root: only the final (or target) stage counts', () => {
  const text = 'FROM alpine:3.20 AS tools\nFROM node:20-slim\nUSER node\n';
  catchesNot(RULE, text);
  catches(RULE, text, { settings: { rules: {}, syntaxDiagnostics: true, target: 'tools' } });
});

test('runs-as-root: does not fire on a scratch stage that only exports files (no CMD/ENTRYPOINT)', () => {
  catchesNot(RULE, 'FROM golang:1.22 AS build\nUSER nobody\nFROM scratch AS binary\nCOPY --from=build /out/app /\n');
  catches(RULE, 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n');
});

test('runs-as-root: offers no fix when the file ends inside a continued instruction', () => {
  const [p] = catches(RULE, 'FROM debian:bookworm\nENV A=1 \\\n  B=2 \\\n');
  assert.deepEqual(p.fixes, []);
});

test('runs-as-root: resolves USER variables from ARG/ENV defaults; unknown values get the benefit of the doubt', () => {
  const [p] = catches(RULE, 'FROM alpine:3.20\nARG RUN_AS=root\nUSER ${RUN_AS}\n');
  assert.match(p.message, /runs as root \(\$\{RUN_AS\}\)/);
  catchesNot(RULE, 'FROM alpine:3.20\nENV APP_USER=app\nUSER $APP_USER\n');
  catchesNot(RULE, 'FROM alpine:3.20\nARG APP_UID\nUSER $APP_UID\n');
});

test('runs-as-root: no USER fix is appended into a here-document that is never closed (it would become its body)', () => {
  const text = 'FROM alpine:3.20\nCOPY <<EOF /etc/motd\nhello\n';
  const [p] = catches(RULE, text); // the finding stays
  assert.deepEqual(p.fixes, []);
  // Closed, the here-document ends before the appended lines.
  fixesTo(RULE, `${text}EOF\n`, `${text}EOF\nRUN adduser -D -H -u 10001 app\nUSER app\n`);
});
