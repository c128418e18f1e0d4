// Every `multistage.*` setting in one table: its name, what package.json declares for it (type, scope,
// default, enum, bounds) and how a raw value becomes the value the code uses. The language server
// (handlers/settings.ts), the extension (client/src/) and the CLI read settings only through here, so a
// default or a bound cannot differ between the two processes; test/unit/settings.test.ts checks
// package.json's contributes.configuration against this table in both directions. Pure, and without
// Node types (it is compiled with the analysis), so the extension can import it as it is.

/** What `multistage.rules` may say per rule: a severity, or off. */
export const SEVERITY_SETTINGS = ['off', 'hint', 'info', 'warning', 'error'] as const;
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

/** Runtime image families the split rewrite can choose (`multistage.split.runtimeFlavor`, `fix --runtime-flavor`). */
export const RUNTIME_FLAVORS = ['auto', 'distroless', 'slim', 'alpine'] as const;
export type RuntimeFlavor = (typeof RUNTIME_FLAVORS)[number];

type SettingType = 'string' | 'boolean' | 'integer' | 'object' | 'array';
/** Where a setting may be set: machine settings live in the Remote tab of a remote window (settingsTarget.ts). */
type SettingScope = 'resource' | 'window' | 'machine';

export interface SettingSpec<T> {
  type: SettingType;
  scope: SettingScope;
  default: T;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** The value the code uses for whatever the configuration holds (undefined, a wrong type, out of bounds). */
  read(raw: unknown): T;
}

function enumSetting<const V extends string>(scope: SettingScope, values: readonly V[], fallback: V): SettingSpec<V> {
  return { type: 'string', scope, default: fallback, enum: values, read: (raw) => (values.includes(raw as V) ? (raw as V) : fallback) };
}

function booleanSetting(scope: SettingScope, fallback: boolean): SettingSpec<boolean> {
  return { type: 'boolean', scope, default: fallback, read: (raw) => (typeof raw === 'boolean' ? raw : fallback) };
}

/** Whole numbers in bounds: a fraction is rounded, a value outside is moved to the nearest bound. */
function integerSetting(scope: SettingScope, fallback: number, minimum: number, maximum: number): SettingSpec<number> {
  return {
    type: 'integer', scope, default: fallback, minimum, maximum,
    read: (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? Math.min(maximum, Math.max(minimum, Math.round(raw))) : fallback),
  };
}

function stringSetting(scope: SettingScope, fallback: string, normalise: (value: string) => string = (v) => v): SettingSpec<string> {
  return { type: 'string', scope, default: fallback, read: (raw) => (typeof raw === 'string' ? normalise(raw) : fallback) };
}

function entriesOf(raw: unknown): [string, unknown][] {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.entries(raw) : [];
}

/**
 * A `multistage.buildContexts` key or a Dockerfile path relative to its workspace folder, in the one
 * spelling both are compared in: forward slashes, no leading `./`.
 */
export function normaliseDockerfileKey(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

export const SETTINGS = {
  rules: {
    type: 'object', scope: 'resource', default: {},
    read: (raw): Record<string, SeveritySetting> =>
      Object.fromEntries(entriesOf(raw).filter(([, v]) => SEVERITY_SETTINGS.includes(v as SeveritySetting))) as Record<string, SeveritySetting>,
  } as SettingSpec<Record<string, SeveritySetting>>,
  /** The stage to build; '' for the last. Surrounding spaces are never part of a stage name. */
  target: stringSetting('resource', '', (v) => v.trim()),
  syntaxDiagnostics: enumSetting('resource', ['auto', 'on', 'off'], 'auto'),
  'split.runtimeFlavor': enumSetting('resource', RUNTIME_FLAVORS, 'auto'),
  'imageSizes.online': booleanSetting('window', true),
  'inlayHints.imageSize': booleanSetting('resource', true),
  /** Dockerfile (relative to the workspace folder) → context folder; keys normalised, the first of equal keys wins. */
  buildContexts: {
    type: 'object', scope: 'resource', default: {},
    read: (raw): Record<string, string> => {
      const contexts: Record<string, string> = {};
      for (const [key, value] of entriesOf(raw)) {
        const normalised = normaliseDockerfileKey(key);
        if (typeof value === 'string' && !(normalised in contexts)) contexts[normalised] = value;
      }
      return contexts;
    },
  } as SettingSpec<Record<string, string>>,
  /** `os/arch[/variant]` for FROM lines without --platform; '' for the host's. */
  platform: stringSetting('resource', ''),
  'imageSizes.timeoutMs': integerSetting('window', 2000, 100, 60_000),
  /** An empty path means the default, as an unset one does. */
  'docker.path': stringSetting('machine', 'docker', (v) => v || 'docker'),
  'compare.keepImages': booleanSetting('resource', false),
  'compare.smokeRunSeconds': integerSetting('resource', 10, 1, 600),
  /** Passed on as it is: probesFromSetting (docker/pure/behaviourPlan.ts) reads the entries and names those it cannot. */
  'compare.probes': { type: 'array', scope: 'resource', default: [], read: (raw): unknown => (raw === undefined ? [] : raw) } as SettingSpec<unknown>,
  'registries.insecure': {
    type: 'array', scope: 'machine', default: [],
    read: (raw): string[] => (Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : []),
  } as SettingSpec<string[]>,
  /** Read by vscode-languageclient itself (the client's id is `multistage`). */
  'trace.server': enumSetting('window', ['off', 'messages', 'verbose'], 'off'),
} satisfies Record<string, SettingSpec<any>>;

export type SettingName = keyof typeof SETTINGS;
export type SettingValue<K extends SettingName> = ReturnType<(typeof SETTINGS)[K]['read']>;
export type MultistageSettings = { [K in SettingName]: SettingValue<K> };

/** Anything that answers a setting by its name below `multistage.`: VS Code's WorkspaceConfiguration, or sectionOf(). */
export interface SettingSource {
  get(name: string): unknown;
}

/** The `multistage` section as workspace/configuration sends it (nested objects), read by dotted name. */
export function sectionOf(raw: unknown): SettingSource {
  return {
    get: (name) => name.split('.').reduce<unknown>((value, part) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), raw),
  };
}

export function readSetting<K extends SettingName>(source: SettingSource, name: K): SettingValue<K> {
  return SETTINGS[name].read(source.get(name)) as SettingValue<K>;
}

export function readSettings(source: SettingSource): MultistageSettings {
  return Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, readSetting(source, name as SettingName)])) as MultistageSettings;
}

/**
 * The context folder `multistage.buildContexts` (already read) gives a Dockerfile, by its path relative to
 * its workspace folder, as written in the setting (relative to that folder, or absolute); undefined when
 * the setting has no entry for it.
 */
export function configuredBuildContext(buildContexts: Readonly<Record<string, string>>, dockerfileRelPath: string): string | undefined {
  const key = normaliseDockerfileKey(dockerfileRelPath);
  // Keys are compared normalised here too, so a record straight from the configuration works as well.
  for (const [written, context] of Object.entries(buildContexts)) if (normaliseDockerfileKey(written) === key) return context;
  return undefined;
}
