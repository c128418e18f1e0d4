import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, findings, memoryContext } from '../../support/analysis';

const RULE = 'cgo-binary-on-minimal-base';

const build = (builder: string, run: string, final: string, copy = 'COPY --from=build /out/app /app') =>
  `FROM ${builder} AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\nFROM ${final}\n${copy}\nENTRYPOINT ["/app"]\n`;

test('cgo-binary-on-minimal-base: fires on go build in golang (gcc inside) copied onto scratch, and prefixes CGO_ENABLED=0', () => {
  const text = build('golang:1.22', 'go build -o /out/app .', 'scratch');
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.range.start.line, 3);
  assert.match(p.message, /line 6 copies it onto scratch/);
  assert.equal(p.fixes[0].safe, undefined, 'a program that needs cgo (sqlite3) would break: not for fix-all');
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.match(fixed, /RUN CGO_ENABLED=0 go build -o \/out\/app \.\n/);
  assert.deepEqual(findings(fixed, RULE), []);
});

test('cgo-binary-on-minimal-base: fires for distroless/static, for alpine runtimes of glibc builds, and with CGO_ENABLED=1', () => {
  assert.equal(findings(build('golang:1.22-bookworm', 'go build -o /out/app ./cmd/app', 'gcr.io/distroless/static-debian12'), RULE).length, 1);
  assert.equal(findings(build('golang:1.22', 'go build -o /out/app', 'alpine:3.20'), RULE).length, 1);
  const explicit = findings(build('golang:1.22-alpine', 'CGO_ENABLED=1 go build -o /out/app', 'scratch'), RULE);
  assert.equal(explicit.length, 1);
  assert.equal(explicit[0].fixes.length, 0, 'an explicit CGO_ENABLED=1 is a choice: no fix');
  assert.equal(findings(build('golang:1.22-alpine', 'apk add --no-cache gcc musl-dev && go build -o /out/app', 'scratch'), RULE).length, 1);
  assert.equal(findings(build('golang:1.22', "sh -c 'cd cmd && go build -o ../out/app'", 'scratch', 'COPY --from=build /src/out/app /app'), RULE).length, 1);
});

test('cgo-binary-on-minimal-base: does not fire when cgo is off, the link is static, or the runtime has the right libc', () => {
  for (const text of [
    build('golang:1.22', 'CGO_ENABLED=0 go build -o /out/app .', 'scratch'),
    `FROM golang:1.22 AS build\nENV CGO_ENABLED=0\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n`,
    `FROM golang:1.22 AS build\nARG CGO_ENABLED\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n`,
    build('golang:1.22', 'export CGO_ENABLED=0 && go build -o /out/app .', 'scratch'),
    build('golang:1.22-alpine', 'go build -o /out/app .', 'scratch'),
    build('golang:1.22-alpine', 'apk add --no-cache gcc musl-dev && go build -o /out/app', 'alpine:3.20'),
    build('golang:1.22', 'go build -o /out/app .', 'gcr.io/distroless/base-debian12'),
    build('golang:1.22', 'go build -o /out/app .', 'debian:12-slim'),
    build('golang:1.22', `go build -ldflags '-linkmode external -extldflags "-static"' -o /out/app .`, 'scratch'),
    build('golang:1.22', 'go build -tags netgo,osusergo -o /out/app .', 'scratch'),
    build('golang:1.22', 'go build -o /out/app .', 'scratch', 'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/'),
    'FROM golang:1.22\nRUN go build -o /app .\nCMD ["/app"]\n',
  ]) assert.deepEqual(findings(text, RULE), [], text);
});

test('cgo-binary-on-minimal-base: with a context, stays quiet for a dependency-free program that imports no net/os/user/C (corpus: skaffold examples)', () => {
  const text = build('golang:1.22', 'go build -o /out/app .', 'alpine:3.20');
  const pure = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n', 'main.go': 'package main\nimport (\n"fmt"\n"time"\n)\nfunc main() { fmt.Println(time.Now()) }\n' });
  assert.deepEqual(findings(text, RULE, { context: pure }), []);
  const server = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n', 'cmd/api/main.go': 'package main\nimport "net/http"\n' });
  assert.equal(findings(text, RULE, { context: server }).length, 1);
  const deps = memoryContext({ 'go.mod': 'module x\n\nrequire github.com/mattn/go-sqlite3 v1.14.0\n', 'main.go': 'package main\n' });
  assert.equal(findings(text, RULE, { context: deps }).length, 1);
});
