import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'chown-in-separate-layer';

test('chown-in-separate-layer: fires on RUN chown -R of the folder a COPY just filled, and moves it to COPY --chown', () => {
  const text = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN chown -R node:node /app\nUSER node\n';
  const [p] = catches(RULE, text);
  assert.equal(p.range.start.line, 3);
  assert.match(p.message, /COPY on line 3/);
  fixesTo(RULE, text, 'FROM node:20-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\n', { safe: undefined });
});

test('chown-in-separate-layer: fires on chmod -R with an octal mode and on relative targets', () => {
  const text = 'FROM alpine\nWORKDIR /srv\nCOPY scripts ./scripts\nRUN chmod -R 755 scripts\n';
  fixesTo(RULE, text, 'FROM alpine\nWORKDIR /srv\nCOPY --chmod=755 scripts ./scripts\n');
});

test('chown-in-separate-layer: fires without a fix when the RUN does more, or the target is a parent folder', () => {
  const more = catches(RULE, 'FROM debian\nCOPY app /opt/app\nRUN chown -R app /opt/app && ln -s /opt/app/bin/x /usr/bin/x\n');
  assert.equal(more[0].fixes.length, 0);
  const parent = catches(RULE, 'FROM debian\nCOPY src /home/app/src\nRUN chown -R app:app /home/app\n');
  assert.equal(parent[0].fixes.length, 0);
  catches(RULE, "FROM debian\nCOPY --from=build /out /app\nRUN sudo chown --recursive app /app\n");
});

test('chown-in-separate-layer: does not fire on other paths, non-recursive chown, COPY --chown, or builder stages', () => {
  catchesNot(RULE, [
    'FROM debian\nCOPY . /app\nRUN chown -R app /data\n',
    'FROM debian\nCOPY . /app\nRUN chown app /app\n',
    'FROM debian\nCOPY --chown=app . /app\nRUN chown -R app /app\n',
    'FROM debian\nRUN mkdir /data && chown -R app /data\n',
    'FROM debian\nCOPY . /app\nRUN chown -R app /\n',
    'FROM debian\nCOPY . /app\nRUN chown -R app $APP_HOME\n',
    'FROM debian\nRUN chown -R app /app\nCOPY . /app\n',
    'FROM debian AS b\nCOPY . /src\nRUN chown -R app /src\nFROM scratch\nCOPY --from=b /src/out /out\n',
  ]);
});

test('chown-in-separate-layer: chown -R root:root of copied files is left alone (corpus: buildkit testfiles)', () => {
  catchesNot(RULE, 'FROM nginx\nADD nginx.conf /etc/nginx/nginx.conf\nRUN chown -R root:root /etc/nginx\n');
});

test('chown-in-separate-layer: a copied config file or script is not worth a warning, a jar or folder is (corpus: jessfraz tor/privoxy)', () => {
  catchesNot(RULE, 'FROM debian\nCOPY torrc.default /etc/tor/torrc.default\nRUN chown -R tor /etc/tor\n');
  catchesNot(RULE, 'FROM debian\nCOPY entrypoint.sh config.yml /app/\nRUN chmod -R 755 /app\n');
  catches(RULE, 'FROM eclipse-temurin:21-jre\nCOPY target/app.jar /app/app.jar\nRUN chown -R app /app\n');
  catches(RULE, 'FROM debian\nCOPY --from=build /out/server /usr/local/bin/server\nRUN chmod -R 755 /usr/local/bin\n');
});
