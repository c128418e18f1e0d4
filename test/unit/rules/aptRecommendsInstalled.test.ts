import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, findings } from '../../support/analysis';

const RULE = 'apt-recommends-installed';

test('apt-recommends-installed: fires on apt-get install without --no-install-recommends and inserts the flag', () => {
  const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
  const [p, ...rest] = findings(text, RULE);
  assert.equal(rest.length, 0);
  assert.equal(p.severity, 'info');
  assert.equal(p.fixes[0].safe, undefined, 'dropping recommends can remove something the image needs: not for fix-all');
  const fixed = applyEdits(text, p.fixes[0].edits);
  assert.equal(fixed, 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n');
  assert.deepEqual(findings(fixed, RULE), []);
});

test('apt-recommends-installed: fires with flags before the subcommand, apt, sudo and sh -c', () => {
  assert.equal(findings('FROM debian\nRUN sudo apt-get -y -q install curl\n', RULE).length, 1);
  assert.equal(findings('FROM debian\nRUN apt install -y curl\n', RULE).length, 1);
  const text = "FROM debian\nRUN bash -c 'apt-get update && apt-get install -y a' && apt-get install -y b\n";
  const all = findings(text, RULE);
  assert.equal(all.length, 2);
  let fixed = text;
  for (const p of all.reverse()) fixed = applyEdits(fixed, p.fixes[0].edits);
  assert.deepEqual(findings(fixed, RULE), [], fixed);
});

test('apt-recommends-installed: does not fire when recommends are off by flag in any position, -o option or apt.conf', () => {
  for (const run of [
    'apt-get install -y --no-install-recommends curl',
    'apt-get --no-install-recommends -y install curl',
    'apt-get install -qqy curl --no-install-recommends',
    'apt-get install -y -o APT::Install-Recommends=false curl',
    'apt-get -o APT::Install-Recommends=0 install -y curl',
  ]) assert.deepEqual(findings(`FROM debian\nRUN ${run}\n`, RULE), [], run);
  const conf = 'FROM debian\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/no-recommends\nRUN apt-get install -y curl\n';
  assert.deepEqual(findings(conf, RULE), []);
});

test('apt-recommends-installed: does not fire on other apt commands, in builder-only stages or in strings', () => {
  assert.deepEqual(findings('FROM debian\nRUN apt-get update && apt-get upgrade -y && apt-get remove -y x\n', RULE), []);
  assert.deepEqual(findings('FROM debian AS b\nRUN apt-get install -y gcc\nFROM scratch\nCOPY --from=b /x /x\n', RULE), []);
  assert.deepEqual(findings('FROM debian\nRUN echo "apt-get install -y x" > /notes\n', RULE), []);
});

test('apt-recommends-installed: apt-get -f install without packages only repairs (corpus: i2pd)', () => {
  assert.deepEqual(findings('FROM debian\nRUN dpkg -i /tmp/x.deb || apt-get -f install -y\n', RULE), []);
});
