import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryContext } from '../../support/analysis';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'cgo-binary-on-minimal-base';

const build = (builder: string, run: string, final: string, copy = 'COPY --from=build /out/app /app') =>
  `FROM ${builder} AS build\nWORKDIR /src\nCOPY . .\nRUN ${run}\nFROM ${final}\n${copy}\nENTRYPOINT ["/app"]\n`;

test('cgo-binary-on-minimal-base: fires on go build in golang (gcc inside) copied onto scratch, and prefixes CGO_ENABLED=0', () => {
  const text = build('golang:1.22', 'go build -o /out/app .', 'scratch');
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 3);
  assert.match(p.message, /line 6 copies it onto scratch/);
  // A program that needs cgo (sqlite3) would break: not for fix-all.
  fixesTo(RULE, text, /RUN CGO_ENABLED=0 go build -o \/out\/app \.\n/, { safe: undefined });
});

test('cgo-binary-on-minimal-base: fires for distroless/static, for alpine runtimes of glibc builds, and with CGO_ENABLED=1', () => {
  catches(RULE, build('golang:1.22-bookworm', 'go build -o /out/app ./cmd/app', 'gcr.io/distroless/static-debian12'));
  catches(RULE, build('golang:1.22', 'go build -o /out/app', 'alpine:3.20'));
  const explicit = catches(RULE, build('golang:1.22-alpine', 'CGO_ENABLED=1 go build -o /out/app', 'scratch'));
  assert.equal(explicit[0].fixes.length, 0, 'an explicit CGO_ENABLED=1 is a choice: no fix');
  catches(RULE, build('golang:1.22-alpine', 'apk add --no-cache gcc musl-dev && go build -o /out/app', 'scratch'));
  catches(RULE, build('golang:1.22', "sh -c 'cd cmd && go build -o ../out/app'", 'scratch', 'COPY --from=build /src/out/app /app'));
});

test('cgo-binary-on-minimal-base: does not fire when cgo is off, the link is static, or the runtime has the right libc', () => {
  catchesNot(RULE, [
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
  ]);
});

test('cgo-binary-on-minimal-base: with a context, stays quiet for a dependency-free program that imports no net/os/user/C (corpus: skaffold examples)', () => {
  const text = build('golang:1.22', 'go build -o /out/app .', 'alpine:3.20');
  const pure = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n', 'main.go': 'package main\nimport (\n"fmt"\n"time"\n)\nfunc main() { fmt.Println(time.Now()) }\n' });
  catchesNot(RULE, text, { context: pure });
  const server = memoryContext({ 'go.mod': 'module x\n\ngo 1.22\n', 'cmd/api/main.go': 'package main\nimport "net/http"\n' });
  catches(RULE, text, { context: server });
  const deps = memoryContext({ 'go.mod': 'module x\n\nrequire github.com/mattn/go-sqlite3 v1.14.0\n', 'main.go': 'package main\n' });
  catches(RULE, text, { context: deps });
});
