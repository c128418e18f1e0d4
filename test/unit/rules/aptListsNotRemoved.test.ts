import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../server/src/analysis/analyze';
import { applyEdits, findings } from '../../support/analysis';

const RULE = 'apt-lists-not-removed';

function applyFirstFix(text: string): string {
  const [p] = findings(text, RULE);
  assert.ok(p, 'expected a finding');
  assert.ok(p.fixes[0], 'expected a fix');
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.deepEqual(findings(fixed, RULE), [], `fix did not clear the finding:\n${fixed}`);
  const errors = (t: string) => analyze(t).problems.filter((x) => x.severity === 'error').length;
  assert.ok(errors(fixed) <= errors(text), `fix introduced an error:\n${fixed}`);
  return fixed;
}

test('apt-lists-not-removed: fires on apt-get update && install without cleanup', () => {
  const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.severity, 'warning');
  assert.deepEqual(p.range.start, { line: 1, character: 22 });
  assert.equal(applyFirstFix(text), 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
});

test('apt-lists-not-removed: fires with flags before the subcommand, sudo, ; chains and set -e', () => {
  const text = 'FROM ubuntu:24.04\nRUN set -eux; sudo apt-get -qq update; DEBIAN_FRONTEND=noninteractive apt-get -y --no-install-recommends install curl\n';
  assert.equal(findings(text, RULE).length, 1);
  assert.match(applyFirstFix(text), /install curl && rm -rf \/var\/lib\/apt\/lists\/\*\n$/);
});

test('apt-lists-not-removed: fires inside sh -c and RUN <<EOF bodies, fix lands inside the here-document', () => {
  assert.equal(findings("FROM debian\nRUN sh -c 'apt-get update && apt-get install -y git'\n", RULE).length, 1);
  const heredoc = 'FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y git\nEOF\n';
  assert.equal(applyFirstFix(heredoc), 'FROM debian\nRUN <<EOF\nset -e\napt-get update\napt-get install -y git\nrm -rf /var/lib/apt/lists/*\nEOF\n');
});

test('apt-lists-not-removed: multi-line fix keeps the continuation style', () => {
  const text = 'FROM debian\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl \\\n    && echo done # finished\n';
  assert.equal(applyFirstFix(text), 'FROM debian\nRUN apt-get update \\\n    && apt-get install -y \\\n       curl \\\n    && echo done \\\n    && rm -rf /var/lib/apt/lists/* # finished\n');
});

test('apt-lists-not-removed: does not fire when the lists are removed in the same RUN (any spelling)', () => {
  for (const cleanup of ['rm -rf /var/lib/apt/lists/*', 'rm -rf /var/lib/apt/lists', 'rm -fr /var/lib/apt/lists/* /tmp/*', 'rm -rf /var/lib/apt/*', 'find /var/lib/apt/lists -type f -delete']) {
    const text = `FROM debian\nRUN apt-get update && apt-get install -y curl && apt-get clean && ${cleanup}\n`;
    assert.deepEqual(findings(text, RULE), [], cleanup);
  }
  assert.deepEqual(findings('FROM debian\nRUN apt-get update \\\n && apt-get install -y curl \\\n # tidy up\n && rm -rf /var/lib/apt/lists/*\n', RULE), []);
});

test('apt-lists-not-removed: does not fire without an update in that RUN, with a cache mount, or in builder stages', () => {
  assert.deepEqual(findings('FROM debian\nRUN apt-get install -y ./local.deb\n', RULE), []);
  assert.deepEqual(findings('FROM debian\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n', RULE), []);
  const builder = 'FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nRUN gcc -o /app main.c\nFROM debian:12-slim\nCOPY --from=build /app /app\n';
  assert.deepEqual(findings(builder, RULE), []);
  assert.deepEqual(findings('FROM debian\nRUN echo "apt-get update && apt-get install -y x"\n', RULE), []);
});

test('apt-lists-not-removed: honours the configured target and cleanup placed after the last update only', () => {
  const text = 'FROM debian AS dev\nRUN apt-get update && apt-get install -y vim\nFROM debian AS prod\nRUN echo hi\n';
  assert.deepEqual(findings(text, RULE), []);
  assert.equal(findings(text, RULE, { settings: { rules: {}, syntaxDiagnostics: true, target: 'dev' } }).length, 1);
  assert.equal(findings('FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x\n', RULE).length, 1);
});

test('apt-lists-not-removed: is silenced by hadolint DL3009 and offers no fix for exec form', () => {
  assert.deepEqual(findings('FROM debian\n# hadolint ignore=DL3009\nRUN apt-get update && apt-get install -y x\n', RULE), []);
  const [p] = findings('FROM debian\nRUN ["sh", "-c", "apt-get update && apt-get install -y x"]\n', RULE);
  assert.equal(p.fixes.length, 0);
});

test('apt-lists-not-removed: apt-get dist-clean (apt 2.7+) counts as removing the lists (corpus: docker-library php on trixie)', () => {
  assert.deepEqual(findings('FROM debian:trixie\nRUN set -eux; apt-get update; apt-get install -y --no-install-recommends curl; apt-get dist-clean\n', RULE), []);
  assert.equal(findings('FROM debian:trixie\nRUN apt-get update && apt-get install -y curl && apt-get clean\n', RULE).length, 1);
});

test('apt-lists-not-removed: catches a RUN that only updates (its lists stay in that layer for good), without a fix', () => {
  const text = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.range.start.line, 1);
  assert.match(p.message, /on its own leaves the package lists in this layer for good/);
  assert.deepEqual(p.fixes, []);
});

test('apt-lists-not-removed: does not catch an update-only RUN that removes the lists, or one under a cache mount', () => {
  assert.deepEqual(findings('FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n', RULE), []);
  assert.deepEqual(findings('FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n', RULE), []);
});

test('apt-lists-not-removed: the fix is not safe when a later RUN still needs the lists', () => {
  const later = findings('FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n', RULE);
  assert.equal(later[0].fixes[0].safe, false);
  const script = findings('FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN ./setup.sh\n', RULE);
  assert.equal(script[0].fixes[0].safe, false);
  const child = findings('FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nRUN apt-get install -y git\n', RULE);
  assert.equal(child[0].fixes[0].safe, false);
  const own = findings('FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n', RULE);
  assert.equal(own[0].fixes[0].safe, true);
});

test('apt-lists-not-removed: the fix is safe only when a failure before it still fails the RUN (joined with &&, or set -e)', () => {
  const semicolon = findings('FROM debian:12\nRUN apt-get update; apt-get install -y curl;\n', RULE);
  assert.equal(semicolon[0].fixes[0].safe, false);
  const heredoc = findings('FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n', RULE);
  assert.equal(heredoc[0].fixes[0].safe, false);
  const errexit = findings('FROM debian:12\nRUN <<EOF\nset -eux\napt-get update\napt-get install -y curl\nEOF\n', RULE);
  assert.equal(errexit[0].fixes[0].safe, true);
  assert.equal(findings('FROM debian:12\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl\n', RULE)[0].fixes[0].safe, false);
});

test('apt-lists-not-removed: an update followed by an install it cannot see (a script) is caught, with the fix', () => {
  const text = 'FROM debian:12\nRUN apt-get update && ./install-deps.sh\n';
  const [p] = findings(text, RULE);
  assert.match(p.message, /nothing later in this RUN removes them/);
  assert.equal(applyEdits(text, p.fixes[0].edits), 'FROM debian:12\nRUN apt-get update && ./install-deps.sh && rm -rf /var/lib/apt/lists/*\n');
});
