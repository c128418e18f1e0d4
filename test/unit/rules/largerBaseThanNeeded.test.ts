import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameLibcVariants } from '../../../server/src/analysis/data/baseImages';
import type { ImageFacts } from '../../../server/src/analysis/types';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'larger-base-than-needed';

test('larger-base-than-needed: fires on a full node final stage and the fix switches to -slim of the same major', () => {
  const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'hint');
  assert.deepEqual(p.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 12 } });
  assert.equal(p.fixes[0].title, 'Switch to node:20-slim');
  fixesTo(RULE, text, /^FROM node:20-slim\n/);
});

test('larger-base-than-needed: states the size saved when both sizes are known', () => {
  const images = new Map<string, ImageFacts>([
    ['python:3.12', { compressedBytes: 392_000_000 }],
    ['python:3.12-slim', { compressedBytes: 45_300_000 }],
  ]);
  const [p] = catches(RULE, 'FROM python:3.12\nCOPY app.py .\nCMD ["python", "app.py"]\n', { images });
  assert.equal(p.fixes[0].title, 'Switch to python:3.12-slim (saves 346.7 MB)');
  assert.match(p.message, /346\.7 MB smaller/);
});

test('larger-base-than-needed: JDK → JRE and .NET SDK → aspnet/runtime when the stage does not build', () => {
  const jdk = catches(RULE, 'FROM eclipse-temurin:21-jdk-jammy\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n');
  assert.equal(jdk[0].fixes[0].title, 'Switch to eclipse-temurin:21-jre-jammy');
  const sdk = catches(RULE, 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY out/ /app\nENTRYPOINT ["dotnet", "/app/Api.dll"]\n');
  assert.deepEqual(sdk[0].fixes.map((f) => f.title), ['Switch to mcr.microsoft.com/dotnet/aspnet:8.0', 'Switch to mcr.microsoft.com/dotnet/runtime:8.0']);
});

test('larger-base-than-needed: does not fire when the final stage builds (that is toolchain-in-final-stage)', () => {
  catchesNot(RULE, 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN dotnet publish -c Release -o /app\n');
  catchesNot(RULE, 'FROM node:20\nCOPY . .\nRUN npm ci && npm run build\n');
});

test('larger-base-than-needed: does not fire on builder stages, small images or other version lines', () => {
  const text = 'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM node:20-alpine\nCOPY --from=build /app/dist /app\n';
  catchesNot(RULE, text);
  catchesNot(RULE, ['node:20-slim', 'python:3.12-slim-bookworm', 'eclipse-temurin:21-jre', 'golang:1.22', 'alpine:3.20', 'node:20@sha256:abc', 'ubuntu:24.04'].map((image) => `FROM ${image}\nCMD ["x"]\n`));
});

test('larger-base-than-needed: variants keep the version line and the Debian release, in each image family\'s tag style', () => {
  const refs = (image: string) => sameLibcVariants(image).map((v) => v.ref);
  assert.deepEqual(refs('node:20-bookworm'), ['node:20-bookworm-slim']);
  assert.deepEqual(refs('node:lts'), ['node:lts-slim']);
  assert.deepEqual(refs('node'), ['node:slim']);
  assert.deepEqual(refs('python:3.11-bookworm'), ['python:3.11-slim-bookworm']);
  assert.deepEqual(refs('ruby:3.3'), ['ruby:3.3-slim']);
  assert.deepEqual(refs('debian:bookworm'), ['debian:bookworm-slim']);
  assert.deepEqual(refs('debian'), ['debian:stable-slim'], 'Debian has no plain slim tag');
  assert.deepEqual(refs('docker.io/library/node:18'), ['docker.io/library/node:18-slim']);
  assert.deepEqual(refs('eclipse-temurin:17'), ['eclipse-temurin:17-jre']);
  assert.deepEqual(refs('openjdk:11'), ['openjdk:11-jre']);
  assert.deepEqual(refs('openjdk:17'), [], 'openjdk never published a JRE for 17');
  assert.deepEqual(refs('openjdk:8-jdk-alpine'), ['openjdk:8-jre-alpine']);
  assert.deepEqual(refs('openjdk:11-jdk-alpine'), []);
  assert.deepEqual(refs('mcr.microsoft.com/dotnet/sdk:8.0-alpine').map((r) => r.split('/').pop()), ['aspnet:8.0-alpine', 'runtime:8.0-alpine']);
  assert.deepEqual(refs('eclipse-temurin:21-jdk-alpine'), ['eclipse-temurin:21-jre-alpine']);
  assert.deepEqual(refs('node:20-alpine'), []);
});

test('larger-base-than-needed: follows the final stage\'s FROM <stage> chain', () => {
  const text = 'FROM python:3.12 AS base\nENV PYTHONDONTWRITEBYTECODE=1\nFROM base\nCOPY app.py .\n';
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 0);
});
