import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFiles } from '../../support/corpus';
import type { Run } from 'dockerfile-ast';
import { buildModel } from '../../../server/src/analysis/model';
import { shellCommandsOf } from '../../../server/src/analysis/shell';
import { cleansAnArtifact, mayClean } from '../../../server/src/analysis/rules/cleanupInLaterLayer';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'cleanup-in-later-layer';

test('cleanup-in-later-layer: fires on rm -rf /var/lib/apt/lists/* in the RUN after the install, and moves it', () => {
  const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\nCMD ["curl"]\n';
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 2);
  assert.match(p.message, /line 2/);
  const fixed = fixesTo(RULE, text, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCMD ["curl"]\n', { safe: true });
  catchesNot('apt-lists-not-removed', fixed);
});

test('cleanup-in-later-layer: fires without a fix when other RUNs sit in between or the cleanup RUN does more', () => {
  const between = 'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN curl -o /x https://example.com\nRUN rm -rf /var/lib/apt/lists/*\n';
  const [p] = catches(RULE, between);
  assert.equal(p.fixes.length, 0);
  const more = 'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN echo hi && rm -rf /var/lib/apt/lists/*\n';
  assert.equal(catches(RULE, more)[0].fixes.length, 0);
});

test('cleanup-in-later-layer: fires on caches cleaned later (npm, yarn, pip, apk, dnf)', () => {
  for (const [create, clean] of [
    ['npm ci', 'npm cache clean --force'],
    ['yarn install', 'yarn cache clean'],
    ['pip install flask', 'rm -rf /root/.cache/pip'],
    ['apk add curl', 'rm -rf /var/cache/apk/*'],
    ['dnf install -y git', 'dnf clean all'],
  ]) {
    const text = `FROM base\nRUN ${create}\nRUN ${clean}\n`;
    catches(RULE, text);
    fixesTo(RULE, text, `FROM base\nRUN ${create} && ${clean}\n`);
  }
});

test('cleanup-in-later-layer: fires on purging packages, deleting node_modules and copied archives later', () => {
  const purge = 'FROM debian\nRUN apt-get update && apt-get install -y gcc make && rm -rf /var/lib/apt/lists/*\nRUN make\nRUN apt-get purge -y --auto-remove gcc make\n';
  assert.match(catches(RULE, purge)[0].message, /line 2/);
  const virtual = 'FROM alpine\nRUN apk add --no-cache --virtual .build-deps gcc\nRUN apk del .build-deps\n';
  catches(RULE, virtual);
  const modules = 'FROM node:20\nWORKDIR /app\nRUN npm ci && npm run build\nRUN rm -rf node_modules && npm ci --omit=dev\n';
  catches(RULE, modules);
  const archive = 'FROM debian\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n';
  const [p] = catches(RULE, archive);
  assert.match(p.message, /COPY on line 2/);
  assert.deepEqual(p.range.start, { line: 2, character: 43 });
});

test('cleanup-in-later-layer: does not fire when the cleanup is in the creating RUN or nothing earlier created it', () => {
  catchesNot(RULE, [
    'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    'FROM debian\nRUN rm -rf /var/lib/apt/lists/*\n',
    'FROM debian\nRUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/*\n',
    'FROM python\nRUN pip install --no-cache-dir flask\nRUN rm -rf /root/.cache/pip\n',
    'FROM alpine\nRUN apk add --no-cache curl\nRUN rm -rf /var/cache/apk/*\n',
    'FROM debian\nRUN apt-get update && apt-get install -y gcc && make && apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*\n',
    'FROM debian\nRUN apt-get purge -y exim4\n',
    'FROM node\nWORKDIR /app\nRUN npm ci\nWORKDIR /other\nRUN rm -rf node_modules\n',
    'FROM debian\nCOPY app.tar.gz /tmp/\nRUN rm /tmp/other.tar.gz\n',
    'FROM debian\nRUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt\n',
  ]);
});

test('cleanup-in-later-layer: does not fire in builder stages that the final image only copies from', () => {
  const text = 'FROM debian AS b\nRUN apt-get update && apt-get install -y gcc\nRUN rm -rf /var/lib/apt/lists/*\nFROM scratch\nCOPY --from=b /x /x\n';
  catchesNot(RULE, text);
});

test('cleanup-in-later-layer: sees layers created in the stage the final stage is built FROM', () => {
  const text = 'FROM node:20 AS deps\nRUN npm ci\nFROM deps\nRUN npm cache clean --force\n';
  const [p] = catches(RULE, text);
  assert.equal(p.fixes.length, 0, 'the creating RUN is in another stage');
});

test('cleanup-in-later-layer: find -exec without rm is not a deletion; copied scripts are not worth a warning (corpus: php, devcontainers)', () => {
  catchesNot(RULE, 'FROM debian\nCOPY docker-php-source /usr/local/bin/\nRUN find /usr/local -type f -executable -exec ldd {} +\n');
  catchesNot(RULE, 'FROM debian\nCOPY library-scripts/*.sh /tmp/library-scripts/\nCOPY setup.sh /tmp/setup.sh\nRUN bash /tmp/setup.sh && rm -f /tmp/setup.sh\n');
});

test('cleanup-in-later-layer: sees creators and cleanups in here-documents and sh -c bodies', () => {
  const text = 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nRUN sh -c "rm -rf /var/lib/apt/lists/*"\n';
  const [p] = catches(RULE, text);
  assert.match(p.message, /line 2/);
  catchesNot(RULE, 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF\nRUN rm -rf /var/lib/apt/lists/*\n');
});

test('cleanup-in-later-layer: its pre-filter (mayClean) lets through every command that cleans an artifact, over the corpus', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  let cleaning = 0;
  let filtered = 0;
  for (const { name, text } of files) {
    const model = buildModel(text);
    for (const stage of model.stages) {
      for (const run of stage.instructions.filter((i) => i.getKeyword() === 'RUN') as Run[]) {
        for (const command of shellCommandsOf(model, run)) {
          if (!mayClean(command)) filtered++;
          if (!cleansAnArtifact(command)) continue;
          cleaning++;
          assert.ok(mayClean(command), `${name}: ${command.argv.join(' ')}`);
        }
      }
    }
  }
  assert.ok(cleaning > 1000 && filtered > 10 * cleaning, `${cleaning} cleaning commands, ${filtered} filtered out`);
});
