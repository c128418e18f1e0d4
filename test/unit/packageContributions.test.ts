// What package.json promises the editor, checked against the code that keeps the promise: settings in a
// useful order with types and bounds the server applies, rule ids that complete, localisable strings
// that all resolve, the code action kinds the server announces, and one repository URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../../server/src/analysis/rules';
import { CODE_ACTION_KINDS } from '../../server/src/handlers/codeActions';
import { parseSettings } from '../../server/src/handlers/settings';
import { SETTINGS } from '../../server/src/analysis/settings';
import { DEFAULT_DOCS_URL } from '../../server/src/docsUrl';
import { settingsCommandFor } from '../../client/src/settingsTarget';

const ROOT = join(__dirname, '..', '..');
const raw = readFileSync(join(ROOT, 'package.json'), 'utf8');
const pkg = JSON.parse(raw);
const nls: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
const properties: Record<string, any> = pkg.contributes.configuration.properties;

test('package.nls.json: every %key% in package.json resolves, and no key is unused', () => {
  const used = new Set([...raw.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  for (const key of used) assert.ok(key in nls, `package.nls.json lacks ${key}`);
  for (const key of Object.keys(nls)) assert.ok(used.has(key), `package.nls.json has unused ${key}`);
  assert.ok(used.size > 40, `${used.size} localisable strings`);
  for (const command of pkg.contributes.commands) assert.match(command.title, /^%.+%$/, command.command);
});

test('settings: each has an order; the ones people change come first', () => {
  const orders = Object.entries(properties).map(([key, p]) => [key, p.order] as const);
  for (const [key, order] of orders) assert.ok(Number.isInteger(order), `${key} has no order`);
  assert.equal(new Set(orders.map(([, o]) => o)).size, orders.length, 'orders are distinct');
  const sorted = [...orders].sort((a, b) => a[1] - b[1]).map(([key]) => key);
  assert.deepEqual(sorted.slice(0, 2), ['multistage.rules', 'multistage.target']);
  assert.equal(sorted.at(-1), 'multistage.trace.server');
});

test('multistage.rules: every rule id completes, with its summary; nothing else is accepted', () => {
  const rules = properties['multistage.rules'];
  assert.deepEqual(Object.keys(rules.properties).sort(), allRules.map((r) => r.id).sort());
  assert.equal(rules.additionalProperties, false);
  for (const rule of allRules) {
    const p = rules.properties[rule.id];
    assert.deepEqual(p.enum, ['off', 'hint', 'info', 'warning', 'error']);
    assert.equal(p.enumDescriptions.length, p.enum.length);
    assert.equal(nls[p.markdownDescription.slice(1, -1)], `${rule.summary} Default: \`${rule.defaultSeverity}\`.`, rule.id);
    // Every value the schema offers is one the server applies.
    for (const severity of p.enum) assert.equal(parseSettings({ rules: { [rule.id]: severity } }, { otherSyntaxProvider: false }).analysis.rules[rule.id], severity);
  }
});

test('settings: integers with the bounds the server applies; enums described', () => {
  const TIMEOUT_MS_BOUNDS = SETTINGS['imageSizes.timeoutMs'];
  const timeout = properties['multistage.imageSizes.timeoutMs'];
  assert.equal(timeout.type, 'integer');
  assert.equal(timeout.minimum, TIMEOUT_MS_BOUNDS.minimum);
  assert.equal(timeout.maximum, TIMEOUT_MS_BOUNDS.maximum);
  assert.equal(timeout.default, TIMEOUT_MS_BOUNDS.default);
  const parsed = (v: unknown) => parseSettings({ imageSizes: { timeoutMs: v } }, { otherSyntaxProvider: false }).imageSizesTimeoutMs;
  assert.equal(parsed(5), TIMEOUT_MS_BOUNDS.minimum);
  assert.equal(parsed(10_000_000), TIMEOUT_MS_BOUNDS.maximum);
  assert.equal(parsed(1500.4), 1500);
  assert.equal(parsed('x'), TIMEOUT_MS_BOUNDS.default);
  assert.equal(properties['multistage.compare.smokeRunSeconds'].type, 'integer');
  for (const [key, p] of Object.entries(properties)) {
    if (p.type === 'number') assert.fail(`${key} is a number; every numeric setting is whole`);
    if (p.enum) assert.equal((p.enumDescriptions ?? p.markdownEnumDescriptions)?.length, p.enum.length, `${key}: one description per enum value`);
  }
});

test('contributes.codeActions lists the kinds the server announces, so source.fixAll.multistage completes in codeActionsOnSave', () => {
  const kinds = pkg.contributes.codeActions.flatMap((c: any) => c.actions.map((a: any) => a.kind));
  for (const kind of CODE_ACTION_KINDS.filter((k) => k !== 'quickfix')) assert.ok(kinds.includes(kind), kind);
  assert.deepEqual(pkg.contributes.codeActions[0].languages, ['dockerfile']);
});

test('capabilities, walkthrough and language associations', () => {
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
  assert.ok(pkg.capabilities.virtualWorkspaces.description);
  // Build and Compare stays visible in untrusted workspaces and explains itself when run.
  const compare = pkg.contributes.commands.find((c: any) => c.command === 'multistage.buildAndCompare');
  assert.equal(compare.enablement, undefined);
  for (const entries of Object.values<any[]>(pkg.contributes.menus)) {
    for (const entry of entries) assert.doesNotMatch(entry.when ?? '', /isWorkspaceTrusted/, entry.command);
  }
  const [walkthrough] = pkg.contributes.walkthroughs;
  assert.ok(walkthrough.steps.length >= 4);
  for (const step of walkthrough.steps) assert.ok(existsSync(join(ROOT, step.media.markdown)), step.media.markdown);
  // The ignore-file pattern is longer than Dockerfile.*: VS Code gives the longest matching pattern the file.
  const ignore = pkg.contributes.languages.find((l: any) => l.id === 'ignore');
  assert.ok(ignore.filenamePatterns.includes('*.dockerignore'));
  const dockerfilePatterns: string[] = pkg.contributes.languages.find((l: any) => l.id === 'dockerfile').filenamePatterns;
  for (const pattern of dockerfilePatterns) {
    // A Dockerfile pattern as long as ours would win for its own ignore file: an exact filename (which
    // beats every pattern) must then claim it.
    if (pattern.length >= '*.dockerignore'.length) assert.ok(ignore.filenames.includes(pattern.replace('*', 'dockerignore')), pattern);
  }
  assert.ok(ignore.filenames.includes('Dockerfile.dockerignore'));
});

test('one repository URL everywhere', () => {
  const base = 'https://github.com/multistage-dev/multistage';
  assert.equal(pkg.repository.url, `${base}.git`);
  assert.ok(pkg.homepage.startsWith(base));
  assert.ok(pkg.bugs.url.startsWith(base));
  assert.ok(DEFAULT_DOCS_URL.startsWith(base));
  const everything = `${raw}\n${JSON.stringify(nls)}\n${readFileSync(join(ROOT, 'README.md'), 'utf8')}`;
  for (const url of everything.matchAll(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+/g)) {
    if (/multistage/i.test(url[0])) assert.ok(url[0].startsWith(base), url[0]);
  }
});

test('"Open Settings" for a machine setting opens the Remote tab in a remote window, the User tab otherwise', () => {
  const scope = properties['multistage.docker.path'].scope;
  assert.equal(scope, 'machine');
  assert.deepEqual(settingsCommandFor('multistage.docker.path', scope, 'ssh-remote'), ['workbench.action.openRemoteSettings', { query: '@id:multistage.docker.path' }]);
  assert.deepEqual(settingsCommandFor('multistage.docker.path', scope, undefined), ['workbench.action.openSettings', { query: '@id:multistage.docker.path' }]);
  assert.deepEqual(settingsCommandFor('multistage.target', properties['multistage.target'].scope, 'ssh-remote'), ['workbench.action.openSettings', { query: '@id:multistage.target' }]);
});
