// ONBUILD RUN triggers run in every image built FROM this one: the cache and size rules check them,
// say so in the message, and never apply their fixes unasked (the child's USER and files are unknown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

test('cache rules catch ONBUILD RUN triggers of the image being built', () => {
  const cases: [string, string][] = [
    ['apt-lists-not-removed', 'FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y curl\n'],
    ['apt-recommends-installed', 'FROM debian:12\nONBUILD RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n'],
    ['apk-cache-kept', 'FROM alpine:3.20\nONBUILD RUN apk add curl\n'],
    ['pip-cache-kept', 'FROM python:3.12\nONBUILD RUN pip install -r requirements.txt\n'],
    ['package-cache-kept', 'FROM node:20\nONBUILD RUN npm ci\n'],
  ];
  for (const [rule, text] of cases) {
    const [p] = catches(rule, text);
    assert.match(p.message, /^ONBUILD: in every image built FROM this one, /);
    for (const fix of p.fixes) assert.notEqual(fix.safe, true, `${rule}: an ONBUILD fix is never applied unasked`);
  }
});

test('the quick fix edits the trigger in place', () => {
  const text = 'FROM alpine:3.20\nONBUILD RUN apk add curl\n';
  fixesTo('apk-cache-kept', text, 'FROM alpine:3.20\nONBUILD RUN apk add --no-cache curl\n');
});

test('does not catch ONBUILD triggers that are clean, not RUN, or in a stage that is not built', () => {
  catchesNot('apk-cache-kept', 'FROM alpine:3.20\nONBUILD RUN apk add --no-cache curl\n');
  catchesNot('apk-cache-kept', 'FROM alpine:3.20\nONBUILD COPY . /app\n');
  catchesNot('apk-cache-kept', 'FROM alpine:3.20 AS tools\nONBUILD RUN apk add curl\nFROM alpine:3.20\nRUN true\n');
});
