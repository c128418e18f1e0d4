import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusFiles } from '../../support/corpus';
import type { Arg } from 'dockerfile-ast';
import { buildModel } from '../../../server/src/analysis/model';
import { mayNameSecret, secretWordIn } from '../../../server/src/analysis/data/secrets';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'secret-in-arg-or-env';

test('secret-in-arg-or-env: fires on ARGs with a secret-looking name, with or without a default', () => {
  const text = 'ARG NPM_TOKEN\nFROM node:20-slim\nARG GITHUB_TOKEN\nARG DB_PASSWORD=changeme\nARG NPM_TOKEN\nRUN echo hi\n';
  const problems = catches(RULE, text, { count: 3 });
  assert.deepEqual(problems.map((p) => p.range.start.line), [2, 3, 4], 'the global ARG is only reported where a stage redeclares it');
  assert.match(problems[0].message, /--build-arg/);
  assert.match(problems[1].message, /given a default/);
  assert.match(problems[1].message, /RUN --mount=type=secret,id=db_password/);
  assert.deepEqual(problems[1].range, { start: { line: 3, character: 4 }, end: { line: 3, character: 15 } });
});

test('secret-in-arg-or-env: fires on ENV values (both syntaxes) and names the property', () => {
  const text = 'FROM python:3.12-slim\nENV API_KEY=abc123 DEBUG=0\nENV AWS_SECRET_ACCESS_KEY wJalr\nENV clientSecret=${CLIENT_SECRET}\n';
  const problems = catches(RULE, text, { count: 3 });
  assert.match(problems[0].message, /ENV API_KEY/);
  assert.match(problems[1].message, /AWS_SECRET_ACCESS_KEY/);
});

test('secret-in-arg-or-env: does not fire on names about secrets, public keys or empty ENVs', () => {
  const text = [
    'FROM postgres:16',
    'ENV POSTGRES_PASSWORD_FILE=/run/secrets/db',
    'ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
    'ENV GPG_KEYS="B42F6819007F00F88E364FD4036A9C25BF357DD4"',
    'ENV TOKEN_URL=https://auth.example.com/token',
    'ENV PASSWORD_MIN_LENGTH=12',
    'ENV PUBLIC_KEY_PATH=/keys/pub.pem',
    'ENV SECRET=',
    'ENV PWD=/app',
    'ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes MYSQL_RANDOM_ROOT_PASSWORD=yes',
    'ENV DOCKER_CREDENTIAL_GCR_CONFIG /kaniko/.config/gcloud/docker_credential_gcr_config.json',
    'ARG NODE_VERSION=20',
    'ARG KEYRING=/usr/share/keyrings/x.gpg',
    '',
  ].join('\n');
  catchesNot(RULE, text);
});

test('secret-in-arg-or-env: the name table recognises words and pairs, camelCase included', () => {
  assert.equal(secretWordIn('MYSQL_ROOT_PASSWORD'), 'PASSWORD');
  assert.equal(secretWordIn('stripeApiKey'), 'API_KEY');
  assert.equal(secretWordIn('AWS_ACCESS_KEY_ID'), 'ACCESS_KEY');
  assert.equal(secretWordIn('NODE_AUTH_TOKEN'), 'TOKEN');
  assert.equal(secretWordIn('MONKEY'), undefined);
  assert.equal(secretWordIn('BYPASS_CACHE'), undefined);
  assert.equal(secretWordIn('SSH_KEY_PATH'), undefined);
});

test('secret-in-arg-or-env: the text pre-filter (mayNameSecret) passes every name that looks secret, over the corpus and the word lists', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  const names = ['API_KEY', 'apiKey', 'ClientSecret', 'DB_PASSWD', 'GITHUB_TOKEN', 'AUTH_TOKEN', 'MY_PWORD', 'SAS_KEY', 'credentials', 'privateKey'];
  for (const { text } of files) {
    for (const instruction of buildModel(text).dockerfile.getInstructions()) {
      const keyword = instruction.getKeyword();
      if (keyword === 'ARG' || keyword === 'ENV') for (const p of (instruction as Arg).getProperties()) if (p.getName()) names.push(p.getName());
    }
  }
  const secret = names.filter((n) => secretWordIn(n) !== undefined);
  assert.ok(secret.length > 20, `${secret.length} secret-looking names`);
  assert.deepEqual(secret.filter((n) => !mayNameSecret(n)), []);
});
