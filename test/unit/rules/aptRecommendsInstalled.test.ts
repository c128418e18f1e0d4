import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'apt-recommends-installed';

test('apt-recommends-installed: fires on apt-get install without --no-install-recommends and inserts the flag', () => {
  const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n';
  const [p] = catches(RULE, text);
  assert.equal(p.severity, 'info');
  // Dropping recommends can remove something the image needs: not for fix-all.
  fixesTo(RULE, text, 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\n', { safe: undefined });
});

test('apt-recommends-installed: fires with flags before the subcommand, apt, sudo and sh -c', () => {
  catches(RULE, 'FROM debian\nRUN sudo apt-get -y -q install curl\n');
  catches(RULE, 'FROM debian\nRUN apt install -y curl\n');
  const text = "FROM debian\nRUN bash -c 'apt-get update && apt-get install -y a' && apt-get install -y b\n";
  catches(RULE, text, { count: 2 });
  fixesTo(RULE, text, /bash -c 'apt-get update && apt-get install --no-install-recommends -y a' && apt-get install --no-install-recommends -y b/, { finding: 'all' });
});

test('apt-recommends-installed: does not fire when recommends are off by flag in any position, -o option or apt.conf', () => {
  catchesNot(RULE, [
    'apt-get install -y --no-install-recommends curl',
    'apt-get --no-install-recommends -y install curl',
    'apt-get install -qqy curl --no-install-recommends',
    'apt-get install -y -o APT::Install-Recommends=false curl',
    'apt-get -o APT::Install-Recommends=0 install -y curl',
  ].map((run) => `FROM debian\nRUN ${run}\n`));
  const conf = 'FROM debian\nRUN echo \'APT::Install-Recommends "0";\' > /etc/apt/apt.conf.d/no-recommends\nRUN apt-get install -y curl\n';
  catchesNot(RULE, conf);
});

test('apt-recommends-installed: does not fire on other apt commands, in builder-only stages or in strings', () => {
  catchesNot(RULE, 'FROM debian\nRUN apt-get update && apt-get upgrade -y && apt-get remove -y x\n');
  catchesNot(RULE, 'FROM debian AS b\nRUN apt-get install -y gcc\nFROM scratch\nCOPY --from=b /x /x\n');
  catchesNot(RULE, 'FROM debian\nRUN echo "apt-get install -y x" > /notes\n');
});

test('apt-recommends-installed: apt-get -f install without packages only repairs (corpus: i2pd)', () => {
  catchesNot(RULE, 'FROM debian\nRUN dpkg -i /tmp/x.deb || apt-get -f install -y\n');
});
