import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryContext } from '../../support/analysis';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'add-instead-of-copy';

test('add-instead-of-copy: fires on ADD of local files and folders, and the fix makes it COPY', () => {
  const text = 'FROM alpine:3.20\nADD --chown=app:app src/ /app/src/\nADD config.json app.py /app/\n';
  const problems = catches(RULE, text, { count: 2 });
  assert.deepEqual(problems[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  fixesTo(RULE, text, 'FROM alpine:3.20\nCOPY --chown=app:app src/ /app/src/\nCOPY config.json app.py /app/\n', { finding: 'all', safe: true });
});

test('add-instead-of-copy: keeps the author\'s lower-case keyword', () => {
  const text = 'FROM alpine:3.20\nadd app.py /app/\n';
  fixesTo(RULE, text, 'FROM alpine:3.20\ncopy app.py /app/\n');
});

test('add-instead-of-copy: fires on JSON-form ADD of a local file and on ADD of a folder (folders are never extracted)', () => {
  catches(RULE, 'FROM alpine:3.20\nADD ["app.py", "/app/"]\n');
  catches(RULE, 'FROM alpine:3.20\nADD . /app\n');
});

test('add-instead-of-copy: does not fire on archives, URLs, git sources, variables, ADD-only flags or COPY', () => {
  const text = [
    'FROM alpine:3.20',
    'ADD rootfs.tar.gz /',
    'ADD vendor.tgz /opt/',
    'ADD https://example.com/tool /usr/local/bin/tool',
    'ADD git@github.com:org/repo.git /src',
    'ADD --checksum=sha256:0123 https://example.com/a /a',
    'ADD --keep-git-dir=true https://github.com/org/repo.git /repo',
    'ADD ${ARCHIVE} /opt/',
    'ADD context/tars/fil* /tars/',
    'ADD sub/?.tar /sub/',
    'COPY app.py /app/',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('add-instead-of-copy: hadolint ignore=DL3020 silences it', () => {
  catchesNot(RULE, 'FROM alpine:3.20\n# hadolint ignore=DL3020\nADD app.py /app/\n');
});

test('add-instead-of-copy: does not fire when a flag lost its value (`--chmod 777` reads 777 as a source)', () => {
  catchesNot('add-instead-of-copy', 'FROM alpine\nADD --chmod 777 file.txt /tmp\n');
});

test('add-instead-of-copy: reads sources as the builder does, so quoted, escaped or JSON archives and URLs are left alone', () => {
  catchesNot(RULE, [
    'ADD "app.tar.gz" /app/',
    "ADD 'app.tgz' /app/",
    'ADD app\\.tar\\.gz /app/',
    'ADD ["app.tar.gz", "/app/"]',
    'ADD "https://example.com/x.txt" /x.txt',
    'ADD ["https://example.com/x.txt", "/x.txt"]',
    'ADD "github.com/moby/buildkit" /src',
    'ADD "$SRC" /app/',
    'ADD "open /app/',
  ].map((line) => `FROM debian:12\n${line}\n`));
});

test('add-instead-of-copy: a quoted plain file still fires, named as the builder reads it', () => {
  const [p] = catches(RULE, 'FROM debian:12\nADD "app.py" /app/\n');
  assert.match(p.message, /ADD of app\.py:/);
  assert.equal(p.fixes[0].safe, true);
});

test('add-instead-of-copy: the fix is safe only when the source cannot be a tar archive (ADD recognises them by content)', () => {
  // No extension: it could be a tarball under another name; the fix is offered, not applied by fix-all.
  const [unknown] = catches(RULE, 'FROM debian:12\nADD payload /opt/payload\n');
  assert.equal(unknown.fixes[0].safe, false);
  assert.match(unknown.message, /unless it is a tar archive/);
  // A folder, a known non-archive extension, or a text file in the context: safe.
  assert.equal(catches(RULE, 'FROM debian:12\nADD conf/ /etc/app/\n')[0].fixes[0].safe, true);
  assert.equal(catches(RULE, 'FROM debian:12\nADD app.jar /app.jar\n')[0].fixes[0].safe, true);
  const context = memoryContext({ payload: 'plain text\n', 'bin/tool': 'x\u0000\u0000ustar' });
  assert.equal(catches(RULE, 'FROM debian:12\nADD payload /opt/payload\n', { context })[0].fixes[0].safe, true);
  assert.equal(catches(RULE, 'FROM debian:12\nADD bin/tool /opt/tool\n', { context })[0].fixes[0].safe, false);
});

test('add-instead-of-copy: an invalid JSON array is read in shell form, as the builder reads it', () => {
  // `"\."` is no JSON escape: the builder falls back to the words `["\.",` and `"/dst/"]` (a pattern).
  catchesNot(RULE, 'FROM debian:12\nADD ["\\.", "/dst/"]\n');
  assert.equal(catches(RULE, 'FROM debian:12\nADD ["\\\\.", "/dst/"]\n')[0].fixes[0].safe, true);
});
