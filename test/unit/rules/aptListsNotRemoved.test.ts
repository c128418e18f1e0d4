import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'apt-lists-not-removed';

test('apt-lists-not-removed: fires on apt-get update && install without cleanup', () => {
  const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'warning');
  assert.deepEqual(p.range.start, { line: 1, character: 22 });
  fixesTo(RULE, text, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
});

test('apt-lists-not-removed: fires with flags before the subcommand, sudo, ; chains and set -e', () => {
  const text = 'FROM ubuntu:24.04\nRUN set -eux; sudo apt-get -qq update; DEBIAN_FRONTEND=noninteractive apt-get -y --no-install-recommends install curl\n';
  catches(RULE, text);
  fixesTo(RULE, text, /install curl && rm -rf \/var\/lib\/apt\/lists\/\*\n$/);
});

test('apt-lists-not-removed: fires inside sh -c and RUN <<EOF bodies, fix lands inside the here-document', () => {
  catches(RULE, "FROM debian\nRUN sh -c 'apt-get update && apt-get install -y git'\n");
  const heredoc = 'FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y git\nEOF\n';
  fixesTo(RULE, heredoc, 'FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y git\nrm -rf /var/lib/apt/lists/*\nEOF\n');
});

test('apt-lists-not-removed: multi-line fix keeps the continuation style', () => {
  const text = 'FROM debian\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl \\\n    && echo done # finished\n';
  fixesTo(RULE, text, 'FROM debian\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl \\\n    && echo done \\\n    && rm -rf /var/lib/apt/lists/* # finished\n');
});

test('apt-lists-not-removed: does not fire when the lists are removed in the same RUN (any spelling)', () => {
  for (const cleanup of ['rm -rf /var/lib/apt/lists/*', 'rm -rf /var/lib/apt/lists', 'rm -fr /var/lib/apt/lists/* /tmp/*', 'rm -rf /var/lib/apt/*', 'find /var/lib/apt/lists -type f -delete']) {
    const text = `FROM debian\nRUN apt-get update && apt-get install -y curl && apt-get clean && ${cleanup}\n`;
    catchesNot(RULE, text);
  }
  catchesNot(RULE, 'FROM debian\nRUN apt-get update \\\n && apt-get install -y curl \\\n # tidy up\n && rm -rf /var/lib/apt/lists/*\n');
});

test('apt-lists-not-removed: does not fire without an update in that RUN, with a cache mount, or in builder stages', () => {
  catchesNot(RULE, 'FROM debian\nRUN apt-get install -y ./local.deb\n');
  catchesNot(RULE, 'FROM debian\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n');
  const builder = 'FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nRUN gcc -o /app main.c\nFROM debian:12-slim\nCOPY --from=build /app /app\n';
  catchesNot(RULE, builder);
  catchesNot(RULE, 'FROM debian\nRUN echo "apt-get update && apt-get install -y x"\n');
});

test('apt-lists-not-removed: honours the configured target and cleanup placed after the last update only', () => {
  const text = 'FROM debian AS dev\nRUN apt-get update && apt-get install -y vim\nFROM debian AS prod\nRUN echo hi\n';
  catchesNot(RULE, text);
  catches(RULE, text, { settings: { rules: {}, syntaxDiagnostics: true, target: 'dev' } });
  catches(RULE, 'FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x\n');
});

test('apt-lists-not-removed: is silenced by hadolint DL3009 and offers no fix for exec form', () => {
  catchesNot(RULE, 'FROM debian\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y x\n');
  const [p] = catches(RULE, 'FROM debian\nRUN ["sh", "-c", "apt-get update && apt-get install -y x"]\n');
  assert.equal(p.fixes.length, 0);
});

test('apt-lists-not-removed: apt-get dist-clean (apt 2.7+) counts as removing the lists (corpus: docker-library php on trixie)', () => {
  catchesNot(RULE, 'FROM debian:trixie\nRUN set -eux; apt-get update; apt-get install -y --no-install-recommends curl; apt-get dist-clean\n');
  catches(RULE, 'FROM debian:trixie\nRUN apt-get update && apt-get install -y curl && apt-get clean\n');
});

test('apt-lists-not-removed: catches a RUN that only updates (its lists stay in that layer for good), without a fix', () => {
  const text = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 1);
  assert.match(p.message, /on its own leaves the package lists in this layer for good/);
  assert.deepEqual(p.fixes, []);
});

test('apt-lists-not-removed: does not catch an update-only RUN that removes the lists, or one under a cache mount', () => {
  catchesNot(RULE, 'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n');
  catchesNot(RULE, 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n');
});

test('apt-lists-not-removed: the fix is not safe when a later RUN still needs the lists', () => {
  fixesTo(RULE, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n', undefined, { safe: false });
  fixesTo(RULE, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN ./setup.sh\n', undefined, { safe: false });
  fixesTo(RULE, 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN apt-get install -y git\n', undefined, { safe: false });
  fixesTo(RULE, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n', undefined, { safe: true });
});

test('apt-lists-not-removed: the fix is safe only when a failure before it still fails the RUN (joined with &&, or set -e)', () => {
  fixesTo(RULE, 'FROM debian:12\nRUN apt-get update; apt-get install -y curl;\n', undefined, { safe: false });
  fixesTo(RULE, 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n', undefined, { safe: false });
  fixesTo(RULE, 'FROM debian:12\nRUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF\n', undefined, { safe: true });
  fixesTo(RULE, 'FROM debian:12\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl\n', undefined, { safe: false });
});

test('apt-lists-not-removed: an update followed by an install it cannot see (a script) is caught, with the fix', () => {
  const text = 'FROM debian:12\nRUN apt-get update && ./install-deps.sh\n';
  const [p] = catches(RULE, text);
  assert.match(p.message, /nothing later in this RUN removes them/);
  fixesTo(RULE, text, 'FROM debian:12\nRUN apt-get update && ./install-deps.sh && rm -rf /var/lib/apt/lists/*\n');
});
