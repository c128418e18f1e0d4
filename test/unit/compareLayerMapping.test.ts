// Mapping `docker history` back to Dockerfile lines, with history texts as BuildKit and the legacy builder
// write them (recorded from Docker 20.10 builds of test/fixtures/compare-*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { historyKeyword, mapHistoryToDockerfile, parseHistoryLines } from '../../server/src/docker/pure/layerMapping';

const MULTI = `# comment
FROM golang:1.23 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=1
COPY --from=builder /out/app /app
USER nonroot
ENTRYPOINT ["/app"]
`;

const entry = (createdBy: string, sizeBytes = 0, hasFilesystemLayer = sizeBytes > 0) => ({ createdBy, sizeBytes, hasFilesystemLayer });

test('layer mapping: BuildKit entries of the final stage map to their lines; base entries to FROM', () => {
  const rows = mapHistoryToDockerfile(MULTI, undefined, [
    entry('', 1_636_160),
    entry('COPY /out/app /app # buildkit', 1_500_000),
    entry('USER nonroot'),
    entry('ENTRYPOINT ["/app"]'),
  ]);
  assert.deepEqual(rows.map((r) => [r.line, r.instruction, r.fromBaseImage]), [
    [7, 'FROM', true],
    [9, 'COPY', false],
    [10, 'USER', false],
    [11, 'ENTRYPOINT', false],
  ]);
});

test('layer mapping: --target maps to the named stage', () => {
  const rows = mapHistoryToDockerfile(MULTI, 'builder', [
    entry('/bin/sh -c #(nop) WORKDIR /go'),
    entry('WORKDIR /src'),
    entry('COPY . . # buildkit', 300),
    entry('RUN /bin/sh -c CGO_ENABLED=0 go build -o /out/app . # buildkit', 80_000_000),
  ]);
  assert.deepEqual(rows.map((r) => r.line), [2, 3, 4, 5]);
  assert.deepEqual(rows.map((r) => r.fromBaseImage), [true, false, false, false]);
});

test('layer mapping: legacy builder #(nop) and /bin/sh -c entries map too, ARG-free runs with |N prefixes', () => {
  const text = 'FROM busybox\nARG N=1\nRUN echo $N > /n\nENV A=b\nCMD ["sh"]\n';
  const rows = mapHistoryToDockerfile(text, undefined, [
    entry('/bin/sh -c #(nop) ADD file:abc in / ', 1_984_233),
    entry('/bin/sh -c #(nop)  CMD ["sh"]'),
    entry('/bin/sh -c #(nop)  ARG N=1'),
    entry('|1 N=1 /bin/sh -c echo $N > /n', 2),
    entry('/bin/sh -c #(nop)  ENV A=b'),
    entry('/bin/sh -c #(nop)  CMD ["sh"]'),
  ]);
  assert.deepEqual(rows.map((r) => [r.line, r.fromBaseImage]), [
    [1, true],
    [1, true],
    [2, false],
    [3, false],
    [4, false],
    [5, false],
  ]);
});

test('layer mapping: a base image whose last entries look like the Dockerfile\'s first ones stays base', () => {
  // Base ends with CMD; the Dockerfile has no CMD before its RUN, so the alignment must stop there.
  const rows = mapHistoryToDockerfile('FROM debian\nRUN apt-get update\n', undefined, [
    entry('/bin/sh -c #(nop) ADD file:x in /', 74_000_000),
    entry('/bin/sh -c #(nop)  CMD ["bash"]'),
    entry('RUN /bin/sh -c apt-get update # buildkit', 20_000_000),
  ]);
  assert.deepEqual(rows.map((r) => r.fromBaseImage), [true, true, false]);
});

test('layer mapping: FROM scratch has no base rows and no FROM line', () => {
  const rows = mapHistoryToDockerfile('FROM scratch\nCOPY app /app\n', undefined, [entry('COPY app /app # buildkit', 10)]);
  assert.deepEqual(rows.map((r) => [r.line, r.fromBaseImage]), [[2, false]]);
});

test('layer mapping: text that does not parse as a Dockerfile leaves every entry as base, without throwing', () => {
  const rows = mapHistoryToDockerfile('\u0000\u0001 not a dockerfile {{{', undefined, [entry('RUN x', 5)]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].fromBaseImage, true);
});

test('historyKeyword: reads both builders\' formats', () => {
  assert.equal(historyKeyword('RUN /bin/sh -c make # buildkit'), 'RUN');
  assert.equal(historyKeyword('/bin/sh -c #(nop) COPY file:1 in /x '), 'COPY');
  assert.equal(historyKeyword('/bin/sh -c make'), 'RUN');
  assert.equal(historyKeyword('|2 A=1 B=2 /bin/sh -c make'), 'RUN');
  assert.equal(historyKeyword(''), undefined);
  assert.equal(historyKeyword('Imported from -'), undefined);
});

test('parseHistoryLines: oldest first, sizes in bytes, metadata entries have no filesystem layer', () => {
  const stdout = [
    '{"CreatedBy":"CMD [\\"sh\\"]","Size":"0","ID":"sha256:1"}',
    '{"CreatedBy":"RUN /bin/sh -c dd # buildkit","Size":"5000000","ID":"<missing>"}',
    'WARNING: something the CLI printed',
    '{"CreatedBy":"","Size":"1984233","ID":"<missing>"}',
  ].join('\n');
  const entries = parseHistoryLines(stdout);
  assert.deepEqual(entries.map((e) => [e.sizeBytes, e.hasFilesystemLayer]), [
    [1_984_233, true],
    [5_000_000, true],
    [0, false],
  ]);
});

test('layer mapping: the legacy builder\'s exec-form RUN (its argv joined, no /bin/sh -c) maps to its line; other bare text does not', () => {
  const text = 'FROM scratch\nCOPY busybox /bin/busybox\nARG KEEP=1\nRUN ["/bin/busybox", "rm", "/x"]\nCOPY y /y\n';
  const history = (run: string) => [
    entry('/bin/sh -c #(nop) COPY file:1 in /bin/busybox ', 10),
    entry('/bin/sh -c #(nop)  ARG KEEP=1'),
    entry(run, 1),
    entry('/bin/sh -c #(nop) COPY file:2 in /y ', 5),
  ];
  const mapped = (run: string) => mapHistoryToDockerfile(text, undefined, history(run)).map((r) => [r.line, r.instruction, r.fromBaseImage]);
  assert.deepEqual(mapped('/bin/busybox rm /x'), [[2, 'COPY', false], [3, 'ARG', false], [4, 'RUN', false], [5, 'COPY', false]]);
  assert.deepEqual(mapped('|1 KEEP=1 /bin/busybox rm /x'), [[2, 'COPY', false], [3, 'ARG', false], [4, 'RUN', false], [5, 'COPY', false]]);
  // Text that is not this RUN's argv (another tool's entry) stops the mapping there: older layers are the base's.
  assert.deepEqual(mapped('/bin/busybox rm /other'), [[undefined, undefined, true], [undefined, undefined, true], [undefined, undefined, true], [5, 'COPY', false]]);
});
