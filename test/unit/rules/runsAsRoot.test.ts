import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, findings } from '../../support/analysis';
import { buildModel } from '../../../server/src/analysis/model';

const RULE = 'runs-as-root';

function fixOnce(text: string): string {
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.ok(p, 'expected a finding');
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.deepEqual(findings(fixed, RULE), [], `still fires after the fix:\n${fixed}`);
  assert.ok(buildModel(fixed).stages.length > 0);
  return fixed;
}

test('runs-as-root: fires on a final stage without USER and points at its FROM image', () => {
  const text = 'FROM golang:1.22 AS build\nUSER nobody\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /app\nCMD ["/app"]\n';
  const [p] = findings(text, RULE);
  assert.deepEqual(p.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 25 } });
  assert.match(p.message, /no USER/);
});

test('runs-as-root: fires on an explicit USER root / USER 0:0 that stays in effect', () => {
  assert.equal(findings('FROM alpine:3.20\nUSER app\nRUN x\nUSER root\nCMD ["sh"]\n', RULE)[0].range.start.line, 3);
  assert.equal(findings('FROM alpine:3.20\nUSER 0:0\n', RULE).length, 1);
});

test('runs-as-root: the node fix switches to the built-in node user before CMD, keeping the comment above it', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n# start\nCMD ["node", "server.js"]\n';
  assert.equal(fixOnce(text), 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\n# start\nCMD ["node", "server.js"]\n');
});

test('runs-as-root: the alpine fix adds a user with adduser -D after the last RUN', () => {
  const text = 'FROM python:3.12-alpine\nRUN pip install --no-cache-dir flask\nCOPY app.py .\nENTRYPOINT ["python", "app.py"]\n';
  const fixed = fixOnce(text);
  assert.match(fixed, /RUN adduser -D -H -u 10001 app\nUSER app\nENTRYPOINT/);
});

test('runs-as-root: the debian fix uses useradd; distroless gets nonroot; scratch gets 65534', () => {
  assert.match(fixOnce('FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n'), /RUN useradd --create-home --uid 10001 app\nUSER app\nCMD/);
  assert.match(fixOnce('FROM gcr.io/distroless/static-debian12\nCOPY app /app\nENTRYPOINT ["/app"]\n'), /USER nonroot\nENTRYPOINT/);
  assert.match(fixOnce('FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n'), /USER 65534:65534\nENTRYPOINT/);
});

test('runs-as-root: without CMD the USER is appended at the end, also when the file lacks a final newline', () => {
  assert.equal(fixOnce('FROM node:20-alpine\nCOPY . /app'), 'FROM node:20-alpine\nCOPY . /app\nUSER node\n');
  assert.equal(fixOnce('FROM node:20-alpine\r\nCOPY . /app\r\n'), 'FROM node:20-alpine\r\nCOPY . /app\r\nUSER node\r\n');
});

test('runs-as-root: follows FROM <stage> chains for USER and base image', () => {
  assert.deepEqual(findings('FROM node:20-slim AS base\nUSER node\nFROM base\nCMD ["node"]\n', RULE), []);
  assert.equal(findings('FROM node:20-slim AS base\nFROM base\nCMD ["node"]\n', RULE).length, 1);
});

test('runs-as-root: does not fire on images that default to a non-root user or drop privileges themselves', () => {
  for (const image of [
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
  ]) {
    assert.deepEqual(findings(`FROM ${image}\nCOPY x /x\n`, RULE), [], image);
  }
});

test('runs-as-root: does not fire when a later USER switches away from root, or the entrypoint drops privileges', () => {
  assert.deepEqual(findings('FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nUSER 1001\n', RULE), []);
  assert.deepEqual(findings('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT ["gosu", "app", "/app"]\n', RULE), []);
  assert.deepEqual(findings('FROM alpine:3.20 AS build\nFROM alpine:3.20\nUSER ${APP_USER}\n', RULE), []);
});

test('runs-as-root: bitnami/minideb (a plain Debian base) runs as root, unlike the Bitnami app images', () => {
  assert.equal(findings('FROM bitnami/minideb:bookworm\nCMD ["app"]\n', RULE).length, 1);
});

test('runs-as-root: an unknown base still fires but offers no guessed fix', () => {
  const [p] = findings('FROM registry.example.com/team/base:1.0\nCMD ["app"]\n', RULE);
  assert.match(p.message, /root unless that image sets another/);
  assert.deepEqual(p.fixes, []);
});

test('runs-as-root: only the final (or target) stage counts', () => {
  const text = 'FROM alpine:3.20 AS tools\nFROM node:20-slim\nUSER node\n';
  assert.deepEqual(findings(text, RULE), []);
  assert.equal(findings(text, RULE, { settings: { rules: {}, syntaxDiagnostics: true, target: 'tools' } }).length, 1);
});

test('runs-as-root: does not fire on a scratch stage that only exports files (no CMD/ENTRYPOINT)', () => {
  assert.deepEqual(findings('FROM golang:1.22 AS build\nUSER nobody\nFROM scratch AS binary\nCOPY --from=build /out/app /\n', RULE), []);
  assert.equal(findings('FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n', RULE).length, 1);
});

test('runs-as-root: offers no fix when the file ends inside a continued instruction', () => {
  const [p] = findings('FROM debian:bookworm\nENV A=1 \\\n  B=2 \\\n', 'runs-as-root');
  assert.ok(p);
  assert.deepEqual(p.fixes, []);
});

test('runs-as-root: resolves USER variables from ARG/ENV defaults; unknown values get the benefit of the doubt', () => {
  const [p] = findings('FROM alpine:3.20\nARG RUN_AS=root\nUSER ${RUN_AS}\n', RULE);
  assert.match(p.message, /runs as root \(\$\{RUN_AS\}\)/);
  assert.deepEqual(findings('FROM alpine:3.20\nENV APP_USER=app\nUSER $APP_USER\n', RULE), []);
  assert.deepEqual(findings('FROM alpine:3.20\nARG APP_UID\nUSER $APP_UID\n', RULE), []);
});

test('runs-as-root: no USER fix is appended into a here-document that is never closed (it would become its body)', () => {
  const text = 'FROM alpine:3.20\nCOPY <<EOF /etc/motd\nhello\n';
  const [p] = findings(text, RULE);
  assert.ok(p, 'the finding stays');
  assert.deepEqual(p.fixes, []);
  // Closed, the here-document ends before the appended lines.
  const closed = findings(`${text}EOF\n`, RULE)[0];
  assert.equal(applyEdits(`${text}EOF\n`, closed.fixes[0].edits), `${text}EOF\nRUN adduser -D -H -u 10001 app\nUSER app\n`);
});
