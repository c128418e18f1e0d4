// Each package manager's documented aliases and abbreviations are the same command to the rules:
// one case per spelling that must be caught, and spellings that are not installs.
import { test } from 'node:test';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

/** One Dockerfile per command: FROM base, then RUN command. */
const runs = (base: string, commands: readonly string[]) => commands.map((command) => `FROM ${base}\nRUN ${command}\n`);
const catchesEach = (rule: string, base: string, commands: readonly string[]) => runs(base, commands).forEach((text) => catches(rule, text));

test('package-cache-kept: dnf and yum commands under every documented alias (dnf(8), dnf5 compatibility aliases)', () => {
  catchesEach('package-cache-kept', 'fedora:40', [
    'dnf in -y git', 'dnf rei -y git', 'dnf up -y', 'dnf update -y', 'dnf upgrade-minimal -y', 'dnf up-min -y', 'dnf update-minimal -y',
    'dnf distro-sync -y', 'dnf dsync -y', 'dnf downgrade -y git', 'dnf dg -y git', 'dnf makecache', 'dnf mc',
    'dnf group install -y "Development Tools"', 'dnf groupinstall -y "Development Tools"', 'dnf module install -y nodejs:20',
    'dnf5 install -y git', 'dnf -y --setopt=install_weak_deps=False install git', 'yum -y localinstall x.rpm', 'yum update-minimal -y',
    'microdnf update -y', 'tdnf install -y git',
  ]);
  catchesNot('package-cache-kept', runs('fedora:40', ['dnf list installed', 'dnf repolist', 'dnf group list', 'dnf module list', 'dnf in -y git && dnf clean all', 'dnf5 install -y git && rm -rf /var/cache/libdnf5']));
});

test('package-cache-kept: the clean command and the hadolint code follow the tool that filled the cache', () => {
  fixesTo('package-cache-kept', 'FROM fedora:41\nRUN dnf5 install -y git\n', 'FROM fedora:41\nRUN dnf5 install -y git && dnf5 clean all\n');
  catchesNot('package-cache-kept', 'FROM fedora:41\n# hadolint ignore=DL3040\nRUN dnf5 install -y git\n');
});

test('package-cache-kept: zypper short forms (zypper(8)) and npm aliases and abbreviations (npm cmd-list)', () => {
  catchesEach('package-cache-kept', 'opensuse/leap', ['zypper in -y git', 'zypper -n up', 'zypper dup', 'zypper inr', 'zypper si git', 'zypper ref', 'zypper --non-interactive install git']);
  catchesNot('package-cache-kept', runs('opensuse/leap', ['zypper in -y git && zypper cc -a', 'zypper search git']));
  catchesEach('package-cache-kept', 'node:20', ['npm i', 'npm in', 'npm isntall', 'npm add express', 'npm ic', 'npm install-clean', 'npm cit', 'npm it', 'npm up', 'npm udpate']);
  catchesNot('package-cache-kept', runs('node:20', ['npm run build', 'npm i && npm cache clear --force', 'npm ci && npm cache rm --force']));
});

test('apk-cache-kept: apk upgrade and apk fix fetch the index too; their --no-cache spelling is not caught', () => {
  catchesEach('apk-cache-kept', 'alpine:3.20', ['apk upgrade', 'apk fix', 'apk -U upgrade']);
  catchesNot('apk-cache-kept', runs('alpine:3.20', ['apk upgrade --no-cache', 'apk --no-cache fix', 'apk info']));
});

test('apt rules: apt-get reinstall/satisfy and aptitude safe-upgrade install after an update', () => {
  catchesEach('apt-lists-not-removed', 'debian:12', ['apt-get update && apt-get reinstall -y curl', 'apt-get update && apt-get satisfy -y "curl (>= 7)"', 'aptitude update && aptitude safe-upgrade -y']);
});

test('prefer-cache-mount: cargo, go and npm commands under their aliases', () => {
  catchesEach('prefer-cache-mount', 'rust:1.80', ['cargo b --release', 'cargo t', 'cargo r --release']);
  catchesEach('prefer-cache-mount', 'golang:1.23', ['go get ./...', 'go test ./...']);
  catchesEach('prefer-cache-mount', 'node:20', ['npm isntall']);
  catchesNot('prefer-cache-mount', runs('rust:1.80', ['cargo --version', 'cargo fmt']));
});
