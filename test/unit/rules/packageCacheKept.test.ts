import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot, fixesTo } from '../../support/ruleSpec';

const RULE = 'package-cache-kept';

test('package-cache-kept: fires on npm ci and appends npm cache clean --force', () => {
  fixesTo(RULE, 'FROM node:20-slim\nRUN npm ci --omit=dev\n', 'FROM node:20-slim\nRUN npm ci --omit=dev && npm cache clean --force\n', { safe: true });
});

test('package-cache-kept: fires on yarn (bare and install) and offers yarn cache clean, not as a safe fix (under yarn 2+ it empties the Plug\'n\'Play cache the app loads from)', () => {
  fixesTo(RULE, 'FROM node:20\nRUN yarn --frozen-lockfile --production\n', 'FROM node:20\nRUN yarn --frozen-lockfile --production && yarn cache clean\n', { safe: false });
  fixesTo(RULE, 'FROM node:20\nRUN yarn install --production\n', 'FROM node:20\nRUN yarn install --production && yarn cache clean\n', { safe: false });
});

test('package-cache-kept: fires on dnf, yum, microdnf and zypper with the matching clean command', () => {
  fixesTo(RULE, 'FROM fedora\nRUN dnf install -y git\n', 'FROM fedora\nRUN dnf install -y git && dnf clean all\n', { safe: true });
  fixesTo(RULE, 'FROM centos:7\nRUN yum -y install git\n', 'FROM centos:7\nRUN yum -y install git && yum clean all\n', { safe: true });
  fixesTo(RULE, 'FROM ubi9/ubi-minimal\nRUN microdnf install -y git\n', 'FROM ubi9/ubi-minimal\nRUN microdnf install -y git && microdnf clean all\n', { safe: true });
  fixesTo(RULE, 'FROM opensuse/leap\nRUN zypper --non-interactive install git\n', 'FROM opensuse/leap\nRUN zypper --non-interactive install git && zypper clean --all\n', { safe: true });
});

test('package-cache-kept: does not fire when the cache is cleaned, mounted or relocated', () => {
  catchesNot(RULE, [
    'FROM node\nRUN npm ci && npm cache clean --force\n',
    'FROM node\nRUN npm ci && rm -rf /root/.npm\n',
    'FROM node\nRUN npm ci && rm -rf ~/.npm/_cacache\n',
    'FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n',
    'FROM node\nRUN npm ci --cache /tmp/npm && rm -rf /tmp/npm\n',
    'FROM node\nENV npm_config_cache=/tmp/npm\nRUN npm ci\n',
    'FROM node\nRUN yarn install && yarn cache clean\n',
    'FROM fedora\nRUN dnf install -y git && dnf clean all\n',
    'FROM fedora\nRUN yum install -y git && rm -rf /var/cache/yum\n',
    'FROM opensuse/leap\nRUN zypper in -y git && zypper cc -a\n',
    'FROM node\nRUN npm run build && npm test\n',
  ]);
});

test('package-cache-kept: does not fire in builder stages and reports each manager once per RUN', () => {
  catchesNot(RULE, 'FROM node AS b\nRUN npm ci\nFROM nginx\nCOPY --from=b /dist /usr/share/nginx/html\n');
  catches(RULE, 'FROM node\nRUN npm ci && npm install -g pm2\n');
});

test('package-cache-kept: does not treat yarn --version or yarn --help as an install (corpus: node images)', () => {
  catchesNot(RULE, 'FROM node:20\nRUN yarn --version && yarn -v && yarn --help\n');
});

test('package-cache-kept: no fix when the install runs as another user through sudo -u (corpus: devcontainers)', () => {
  const [p] = catches(RULE, 'FROM node\nRUN sudo -u node npm install --global typescript\n');
  assert.equal(p.fixes.length, 0);
});

test('package-cache-kept: understands here-documents, sh -c and continued RUNs, and fixes them in place', () => {
  fixesTo(RULE, 'FROM node:20\nRUN <<EOF\nset -e\nnpm ci --omit=dev\nEOF\n', 'FROM node:20\nRUN <<EOF\nset -e\nnpm ci --omit=dev\nnpm cache clean --force\nEOF\n', { safe: true });
  fixesTo(RULE, "FROM node:20\nRUN sh -c 'npm ci'\n", "FROM node:20\nRUN sh -c 'npm ci' && npm cache clean --force\n", { safe: true });
  fixesTo(RULE, 'FROM fedora\nRUN dnf -y install \\\n      git \\\n      make\n', 'FROM fedora\nRUN dnf -y install \\\n      git \\\n      make && \\\n      dnf clean all\n', { safe: true });
  catchesNot(RULE, "FROM node:20\nRUN sh -c 'npm ci && npm cache clean --force'\n");
  catchesNot(RULE, 'FROM node:20\nRUN <<EOF\nnpm ci\nnpm cache clean --force\nEOF\n');
});
