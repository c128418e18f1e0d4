// Every cache rule: a RUN --mount (cache, tmpfs or bind) on the cache folder or a folder above it keeps
// the cache out of the layer, so the rule stays quiet; a mount elsewhere or below the folder does not.
import { test } from 'node:test';
import { catches, catchesNot } from '../../support/ruleSpec';

const CASES: { rule: string; base: string; command: string; dirs: string[]; elsewhere: string }[] = [
  { rule: 'apk-cache-kept', base: 'alpine:3.20', command: 'apk add curl', dirs: ['/var/cache/apk', '/var/cache'], elsewhere: '/tmp' },
  { rule: 'apt-lists-not-removed', base: 'debian:12', command: 'apt-get update && apt-get install -y curl', dirs: ['/var/lib/apt/lists', '/var/lib/apt'], elsewhere: '/var/cache/apt' },
  { rule: 'pip-cache-kept', base: 'python:3.12', command: 'pip install flask', dirs: ['/root/.cache/pip', '/root/.cache', '~/.cache'], elsewhere: '/root/.cache/pip/http' },
  { rule: 'package-cache-kept', base: 'node:20', command: 'npm ci', dirs: ['/root/.npm', '/root/.npm/_cacache', '/root'], elsewhere: '/root/.npm/_logs' },
  { rule: 'package-cache-kept', base: 'node:20', command: 'yarn install', dirs: ['/usr/local/share/.cache/yarn', '/usr/local/share/.cache'], elsewhere: '/root/.npm' },
  { rule: 'package-cache-kept', base: 'fedora:40', command: 'dnf install -y git', dirs: ['/var/cache/dnf', '/var/cache'], elsewhere: '/var/cache/apt' },
  { rule: 'package-cache-kept', base: 'fedora:41', command: 'dnf5 install -y git', dirs: ['/var/cache/libdnf5'], elsewhere: '/var/cache/dnf' },
  { rule: 'package-cache-kept', base: 'opensuse/leap', command: 'zypper -n install git', dirs: ['/var/cache/zypp'], elsewhere: '/var/cache/apk' },
];

for (const c of CASES) {
  test(`${c.rule} (${c.command}): catches without a mount, and with a mount on ${c.elsewhere}`, () => {
    catches(c.rule, `FROM ${c.base}\nRUN ${c.command}\n`);
    catches(c.rule, `FROM ${c.base}\nRUN --mount=type=tmpfs,target=${c.elsewhere} ${c.command}\n`);
  });
  test(`${c.rule} (${c.command}): does not catch with a tmpfs, cache or bind mount on the cache folder or above it`, () => {
    for (const dir of c.dirs) {
      for (const type of ['tmpfs', 'cache', 'bind']) {
        const text = `FROM ${c.base}\nRUN --mount=type=${type},target=${dir} ${c.command}\n`;
        catchesNot(c.rule, text);
      }
    }
  });
}

test('cleanup-in-later-layer: a cache that a tmpfs mount kept out of the earlier layer is not "left behind"', () => {
  const text = 'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n';
  catchesNot('cleanup-in-later-layer', text);
  catches('cleanup-in-later-layer', text.replace('--mount=type=tmpfs,target=/var/lib/apt/lists ', ''));
});

test('a secret or ssh mount is not a place for the cache', () => {
  catches('apk-cache-kept', 'FROM alpine:3.20\nRUN --mount=type=secret,id=x,target=/var/cache/apk apk add curl\n');
});
