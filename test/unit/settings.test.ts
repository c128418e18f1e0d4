// The settings table (server/src/analysis/settings.ts) against package.json's schema, both ways, and the
// one normalisation both processes share: a `multistage.buildContexts` key written `./docker/api.Dockerfile`
// (or with backslashes) gives diagnostics and Build and Compare the same context folder. The client side
// runs the extension's own initialOptions() against a minimal stand-in for the `vscode` members it uses.
// And no code reads a setting by name around the table.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
import { readSetting, readSettings, RUNTIME_FLAVORS, sectionOf, SETTINGS, SEVERITY_SETTINGS, type SettingName } from '../../server/src/analysis/settings';
import { parseSettings } from '../../server/src/handlers/settings';
import { BuildContextProvider } from '../../server/src/workspace/buildContext';
import { ContextFilesCache } from '../../server/src/workspace/contextFiles';

const ROOT = path.join(__dirname, '..', '..');
const properties: Record<string, Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties;

// The stand-in: only what buildOptions.initialOptions touches.
let workspaceFolders: string[] = [];
let configuration: Record<string, unknown> = {};
const vscodeStandIn = {
  workspace: {
    get workspaceFolders() {
      return workspaceFolders.map((fsPath) => ({ uri: { fsPath } }));
    },
    getConfiguration: (section: string) => {
      assert.equal(section, 'multistage');
      return sectionOf(configuration);
    },
  },
};
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? vscodeStandIn : originalLoad.call(this, request, ...rest);
};
// Loaded after the stand-in is in place.
const buildOptions = require('../../client/src/compare/buildOptions') as typeof import('../../client/src/compare/buildOptions');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'multistage-settings-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('settings: package.json declares exactly the settings of the table, with the same type, scope, default, enum and bounds', () => {
  const declared = Object.keys(properties).map((key) => key.replace(/^multistage\./, '')).sort();
  assert.deepEqual(declared, Object.keys(SETTINGS).sort());
  for (const [name, spec] of Object.entries(SETTINGS)) {
    const p = properties[`multistage.${name}`];
    const expected: Record<string, unknown> = { type: spec.type, scope: spec.scope, default: spec.default };
    const actual: Record<string, unknown> = { type: p.type, scope: p.scope, default: p.default };
    for (const key of ['enum', 'minimum', 'maximum'] as const) {
      if (spec[key as keyof typeof spec] !== undefined || p[key] !== undefined) {
        expected[key] = spec[key as keyof typeof spec];
        actual[key] = p[key];
      }
    }
    assert.deepEqual(actual, expected, name);
  }
});

test('settings: the values inside objects and arrays are the ones the table reads', () => {
  for (const [rule, p] of Object.entries(properties['multistage.rules'].properties as Record<string, { enum: string[] }>)) {
    assert.deepEqual(p.enum, [...SEVERITY_SETTINGS], rule);
    for (const severity of p.enum) assert.deepEqual(SETTINGS.rules.read({ [rule]: severity }), { [rule]: severity });
  }
  assert.deepEqual(properties['multistage.buildContexts'].additionalProperties, { type: 'string' });
  assert.deepEqual(properties['multistage.registries.insecure'].items, { type: 'string' });
});

test('settings: each default reads as itself, and an unset setting reads as its default', () => {
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const spec = SETTINGS[name];
    assert.deepEqual(spec.read(spec.default), spec.default, name);
    assert.deepEqual(spec.read(undefined), spec.default, name);
    assert.deepEqual(readSetting(sectionOf({}), name), spec.default, name);
  }
  for (const value of RUNTIME_FLAVORS) assert.equal(SETTINGS['split.runtimeFlavor'].read(value), value);
});

test('settings: malformed values fall back, integers are rounded into their bounds, dotted names read nested sections', () => {
  const read = readSettings(sectionOf({
    rules: { 'runs-as-root': 'off', 'unused-stage': 'loud', 'apk-cache-kept': 3 },
    target: '  api  ',
    split: { runtimeFlavor: 'busybox' },
    imageSizes: { online: 'no', timeoutMs: 5 },
    docker: { path: '' },
    compare: { smokeRunSeconds: 12.6, keepImages: 'yes' },
    registries: { insecure: ['reg.local:5000', 7] },
    buildContexts: { './docker/api.Dockerfile': 'services/api', 'docker\\api.Dockerfile': 'ignored', 'web/Dockerfile': 3 },
  }));
  assert.deepEqual(read.rules, { 'runs-as-root': 'off' });
  assert.equal(read.target, 'api');
  assert.equal(read['split.runtimeFlavor'], 'auto');
  assert.equal(read['imageSizes.online'], true);
  assert.equal(read['imageSizes.timeoutMs'], 100);
  assert.equal(read['docker.path'], 'docker');
  assert.equal(read['compare.smokeRunSeconds'], 13);
  assert.equal(read['compare.keepImages'], false);
  assert.deepEqual(read['registries.insecure'], ['reg.local:5000']);
  // Keys in one spelling; of two spellings of the same file, the first written wins.
  assert.deepEqual(read.buildContexts, { 'docker/api.Dockerfile': 'services/api' });
});

function contexts(setting: Record<string, string>): { diagnostics: string; compare: string } {
  const ws = path.join(tmp, 'ws');
  const dockerfile = path.join(ws, 'docker', 'api.Dockerfile');
  fs.mkdirSync(path.dirname(dockerfile), { recursive: true });
  fs.mkdirSync(path.join(ws, 'services', 'api'), { recursive: true });
  fs.writeFileSync(dockerfile, 'FROM node:20-slim\nCOPY . /app\n');
  // The server: settings as workspace/configuration sends them, through the diagnostics' provider.
  const provider = new BuildContextProvider(new ContextFilesCache(), () => [ws]);
  const uri = pathToFileURL(dockerfile).toString();
  const diagnostics = provider.contextFor(uri, parseSettings({ buildContexts: setting }, { otherSyntaxProvider: false }))!.root;
  // The client: Build and Compare's default options for the same document, nothing remembered yet.
  workspaceFolders = [ws];
  configuration = { buildContexts: setting };
  const state = { get: () => undefined, update: async () => undefined, keys: () => [] };
  const document = { uri: { fsPath: dockerfile, toString: () => uri } };
  const compare = buildOptions.initialOptions(state as never, document as never).context;
  return { diagnostics, compare };
}

test('buildContexts: a ./docker/api.Dockerfile key gives diagnostics and Build and Compare the same context folder', () => {
  const expected = path.join(tmp, 'ws', 'services', 'api');
  assert.deepEqual(contexts({ './docker/api.Dockerfile': 'services/api' }), { diagnostics: expected, compare: expected });
  assert.deepEqual(contexts({ 'docker\\api.Dockerfile': 'services/api' }), { diagnostics: expected, compare: expected });
  assert.deepEqual(contexts({ 'docker/api.Dockerfile': 'services/api' }), { diagnostics: expected, compare: expected });
  // No entry for the file: both use the Dockerfile's own folder.
  const own = path.join(tmp, 'ws', 'docker');
  assert.deepEqual(contexts({ './web/Dockerfile': 'services/api' }), { diagnostics: own, compare: own });
});

test('target: both sides read the same stage name from the setting', () => {
  configuration = { target: ' runtime ' };
  const state = { get: () => undefined };
  const document = { uri: { fsPath: path.join(tmp, 'Dockerfile'), toString: () => 'file:///x' } };
  assert.equal(buildOptions.initialOptions(state as never, document as never).target, 'runtime');
  assert.equal(parseSettings({ target: ' runtime ' }, { otherSyntaxProvider: false }).analysis.target, 'runtime');
});

/**
 * `.get('docker.path', …)`-style reads of a setting by name, which bypass the table's reading. The CLI's
 * parsed flags (`options.get('target')`) are command-line options, not settings.
 */
export function directSettingReads(source: string): string[] {
  const names = Object.keys(SETTINGS).map((n) => n.replace(/\./g, '\\.')).join('|');
  return [...source.matchAll(new RegExp(`(?<!\\boptions)\\.get\\s*(?:<[^>]*>)?\\(\\s*['"\`](${names})['"\`]`, 'g'))].map((m) => m[1]);
}

test('settings: no code outside the table reads a setting by name', () => {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const offenders = [path.join(ROOT, 'client', 'src'), path.join(ROOT, 'server', 'src')].flatMap(files)
    .filter((file) => !file.endsWith(path.join('analysis', 'settings.ts')))
    .flatMap((file) => directSettingReads(fs.readFileSync(file, 'utf8')).map((name) => `${path.relative(ROOT, file)} reads ${name}`));
  assert.deepEqual(offenders, []);
  // The check itself finds the shapes such a read takes.
  assert.deepEqual(directSettingReads("config.get<string>('docker.path', 'docker'); c.get(\"target\"); state.get<T>(key); x.get('other'); args.options.get('target')"), ['docker.path', 'target']);
});
