import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'scratch-without-ca-certificates';

test('scratch-without-ca-certificates: fires on a runnable scratch image without a CA bundle, fix copies it from the builder', () => {
  const text = 'FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n';
  const [p] = catches(RULE, text);
  assert.deepEqual(p.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 12 } });
  assert.equal(p.fixes[0].title, "Copy the CA bundle from 'build'");
  fixesTo(RULE, text, 'FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\nENTRYPOINT ["/app"]\n');
});

test('scratch-without-ca-certificates: fires without a fix when nothing is copied from a stage', () => {
  const [p] = catches(RULE, 'FROM scratch\nCOPY app /app\nCMD ["/app"]\n');
  assert.deepEqual(p.fixes, []);
  assert.match(p.message, /install ca-certificates there/);
});

test('scratch-without-ca-certificates: does not fire when certificates are copied in any usual way', () => {
  catchesNot(RULE, [
    'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
    'COPY --from=build /etc/ssl/certs /etc/ssl/certs',
    'COPY --from=alpine:3.20 /etc/ssl/cert.pem /etc/ssl/cert.pem',
    'COPY certs/ca-bundle.crt /etc/pki/tls/certs/ca-bundle.crt',
    'COPY --from=build / /',
  ].map((copy) => `FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /out/app /app\n${copy}\nENTRYPOINT ["/app"]\n`));
});

test('scratch-without-ca-certificates: does not fire on export-only scratch stages, non-scratch finals or builder scratch stages', () => {
  catchesNot(RULE, 'FROM golang:1.22 AS build\nFROM scratch AS export\nCOPY --from=build /out /\n');
  catchesNot(RULE, 'FROM scratch AS rootfs\nCOPY app /app\nCMD ["/app"]\nFROM alpine:3.20\nCOPY --from=rootfs /app /app\n');
  catchesNot(RULE, 'FROM alpine:3.20\nCMD ["sh"]\n');
});

test('scratch-without-ca-certificates: does not fire when the entrypoint is a Wasm module or an Android package (corpus false positives)', () => {
  catchesNot(RULE, 'FROM rust:1.79 AS build\nFROM scratch\nENTRYPOINT [ "kafka.wasm" ]\nCOPY --link --from=build /kafka.wasm /kafka.wasm\n');
  catchesNot(RULE, 'FROM gradle:8 AS builder\nFROM scratch\nCOPY --from=builder /app-release.apk /app.apk\nENTRYPOINT ["/app.apk"]\n');
});
