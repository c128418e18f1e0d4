import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'pip-cache-kept';

test('pip-cache-kept: fires on pip install without --no-cache-dir and adds the flag', () => {
  const text = 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'info');
  fixesTo(RULE, text, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n', { safe: true });
});

test('pip-cache-kept: fires on pip3, pip3.11, python -m pip and flags before install', () => {
  for (const run of ['pip3 install flask', 'pip3.11 install flask', 'python3 -m pip install flask', 'python -m pip --disable-pip-version-check install -U pip', "sh -c 'pip install flask'"]) {
    const text = `FROM python:3.12\nRUN ${run}\n`;
    catches(RULE, text);
    fixesTo(RULE, text, /install --no-cache-dir /);
  }
});

test('pip-cache-kept: does not fire with --no-cache-dir, PIP_NO_CACHE_DIR, a cache mount or a cleanup', () => {
  catchesNot(RULE, [
    'FROM python\nRUN pip install --no-cache-dir flask\n',
    'FROM python\nRUN pip install flask --no-cache-dir\n',
    'FROM python\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n',
    'FROM python\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask\n',
    'FROM python\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n',
    'FROM python\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n',
    'FROM python AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n',
    'FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
    'FROM python\nRUN --mount=type=cache,target=/root/.cache pip install flask\n',
    'FROM python\nRUN pip install flask && rm -rf /root/.cache/pip\n',
    'FROM python\nRUN pip install flask && pip cache purge\n',
    'FROM python\nRUN pip config set global.no-cache-dir false\nRUN pip install flask\n',
    'FROM python\nRUN pip download flask\n',
  ]);
});

test('pip-cache-kept: does not fire in a builder stage that is only copied from', () => {
  catchesNot(RULE, 'FROM python:3.12 AS b\nRUN pip install flask\nFROM python:3.12-slim\nCOPY --from=b /usr/local /usr/local\n');
});

test('pip-cache-kept: accepts --no-cache, the optparse abbreviation pip understands (corpus: GKE samples)', () => {
  catchesNot(RULE, 'FROM python\nRUN pip install --no-cache /workspace/wheels/*\n');
});
