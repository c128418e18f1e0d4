// Budgets of `multistage xray`: sizes and ratios as people write them, the `.multistage.json` file (found
// next to the Dockerfile or above it, never above the checkout), flags over the file, and the verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tempDir';
import { UsageError } from '../../server/src/cli/args';
import {
  budgetsFromFlags,
  checkBudgets,
  CONFIG_FILE_NAME,
  findConfigFile,
  mergeBudgets,
  parseEfficiency,
  parseSize,
  readConfigBudgets,
} from '../../server/src/cli/xrayBudgets';
import { sampleReport } from '../fixtures/xray-report/sampleReport';

test('parseSize: decimal and binary units, plain bytes, spaces and case', () => {
  const cases: [string, number][] = [
    ['200MB', 200_000_000],
    ['200 MB', 200_000_000],
    ['200mb', 200_000_000],
    ['1.5GiB', 1_610_612_736],
    ['1.5 gib', 1_610_612_736],
    ['512kB', 512_000],
    ['1.5KiB', 1536],
    ['20MiB', 20 * 1024 * 1024],
    ['2GB', 2_000_000_000],
    ['1TB', 1e12],
    ['1048576', 1_048_576],
    ['0', 0],
    ['.5MB', 500_000],
    ['10B', 10],
  ];
  for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
});

test('parseSize: refuses what a budget should not guess (bare m/g, negative, exponent, unknown unit)', () => {
  for (const text of ['200m', '1g', 'MB', '-1MB', '1e3', '', ' ', '200 XB', '1,000', '1.5.2MB', 'MB200']) {
    assert.equal(parseSize(text), undefined, text);
  }
});

test('parseEfficiency: a ratio or a percentage between 0 and 1', () => {
  assert.equal(parseEfficiency('0.95'), 0.95);
  assert.equal(parseEfficiency('95%'), 0.95);
  assert.equal(parseEfficiency('.5'), 0.5);
  assert.equal(parseEfficiency('1'), 1);
  assert.equal(parseEfficiency('0'), 0);
  for (const text of ['1.5', '95', '120%', '-0.1', 'high', '']) assert.equal(parseEfficiency(text), undefined, text);
});

test('budgetsFromFlags: parses each flag, a bad value is a usage error naming the flag', () => {
  const flags = new Map([['max-size', '200MB'], ['max-wasted', '1.5MiB'], ['min-efficiency', '90%']]);
  assert.deepEqual(budgetsFromFlags(flags), { maxSizeBytes: 200_000_000, maxWastedBytes: 1_572_864, minEfficiency: 0.9 });
  assert.deepEqual(budgetsFromFlags(new Map()), {});
  assert.throws(() => budgetsFromFlags(new Map([['max-size', '200m']])), (e: Error) => e instanceof UsageError && /--max-size .*'200m'/.test(e.message));
  assert.throws(() => budgetsFromFlags(new Map([['min-efficiency', '95']])), (e: Error) => e instanceof UsageError && /--min-efficiency/.test(e.message));
});

function checkout(): string {
  const root = tempDir('multistage-xray-config-');
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'services', 'api'), { recursive: true });
  return root;
}

test('findConfigFile: next to the Dockerfile first, then upward, never above the git checkout', () => {
  const root = checkout();
  const api = join(root, 'services', 'api');
  assert.equal(findConfigFile(api), undefined, 'no file anywhere');
  // A file above the checkout is someone else's: it must not apply.
  const outer = tempDir('multistage-xray-outer-');
  writeFileSync(join(outer, CONFIG_FILE_NAME), '{}');
  mkdirSync(join(outer, 'repo', '.git'), { recursive: true });
  assert.equal(findConfigFile(join(outer, 'repo')), undefined);

  writeFileSync(join(root, CONFIG_FILE_NAME), '{ "xray": { "maxSize": "1GB" } }');
  assert.equal(findConfigFile(api), join(root, CONFIG_FILE_NAME), 'found at the repository root');
  writeFileSync(join(api, CONFIG_FILE_NAME), '{ "xray": { "maxSize": "100MB" } }');
  assert.equal(findConfigFile(api), join(api, CONFIG_FILE_NAME), 'the nearest wins');
  mkdirSync(join(root, 'services', 'web'));
  assert.equal(findConfigFile(join(root, 'services', 'web')), join(root, CONFIG_FILE_NAME));
});

test('readConfigBudgets: strings with units, numbers of bytes, ratio or percentage; no xray section is no budget', () => {
  const root = checkout();
  const file = join(root, CONFIG_FILE_NAME);
  writeFileSync(file, JSON.stringify({ xray: { maxSize: '200MB', maxWasted: 20_000_000, minEfficiency: 0.95 } }));
  assert.deepEqual(readConfigBudgets(file), { maxSizeBytes: 200_000_000, maxWastedBytes: 20_000_000, minEfficiency: 0.95 });
  writeFileSync(file, JSON.stringify({ xray: { minEfficiency: '97.5%' } }));
  assert.deepEqual(readConfigBudgets(file), { minEfficiency: 0.975 });
  writeFileSync(file, JSON.stringify({ somethingElse: true }));
  assert.deepEqual(readConfigBudgets(file), {});
});

test('readConfigBudgets: a misspelt budget, a bad value or broken JSON is an error naming the file and key', () => {
  const root = checkout();
  const file = join(root, CONFIG_FILE_NAME);
  const rejects = (content: string, pattern: RegExp) => {
    writeFileSync(file, content);
    assert.throws(() => readConfigBudgets(file), (e: Error) => e instanceof UsageError && e.message.startsWith(file) && pattern.test(e.message), content);
  };
  rejects('{ "xray": { "maxSzie": "200MB" } }', /xray\.maxSzie: unknown budget/);
  rejects('{ "xray": { "maxSize": "200m" } }', /xray\.maxSize must be a size/);
  rejects('{ "xray": { "maxWasted": -5 } }', /xray\.maxWasted must be a size/);
  rejects('{ "xray": { "minEfficiency": 95 } }', /xray\.minEfficiency must be a ratio/);
  rejects('{ "xray": [] }', /"xray" must be an object/);
  rejects('[1, 2]', /expected a JSON object/);
  rejects('{ "xray": { maxSize: 1 } }', /not valid JSON/);
  writeFileSync(file, ' '.repeat(70_000));
  assert.throws(() => readConfigBudgets(file), /not a budget file/);
});

test('mergeBudgets: a flag replaces only its own budget from the file', () => {
  assert.deepEqual(
    mergeBudgets({ maxSizeBytes: 1e9, maxWastedBytes: 2e7, minEfficiency: 0.95 }, { maxWastedBytes: 5e6 }),
    { maxSizeBytes: 1e9, maxWastedBytes: 5e6, minEfficiency: 0.95 },
  );
});

test('checkBudgets: size is the unpacked total, wasted the bytes hidden by later layers, efficiency dive\'s; limits are inclusive', () => {
  const report = sampleReport();
  assert.deepEqual(checkBudgets(report, {}), []);
  const atLimit = checkBudgets(report, { maxSizeBytes: report.totalBytes, maxWastedBytes: report.wastedBytes, minEfficiency: report.efficiency });
  assert.deepEqual(atLimit.map((c) => [c.budget, c.passed]), [['max-size', true], ['max-wasted', true], ['min-efficiency', true]]);
  const over = checkBudgets(report, { maxSizeBytes: report.totalBytes - 1, maxWastedBytes: 9_999_999, minEfficiency: 0.95 });
  assert.deepEqual(over.map((c) => [c.budget, c.passed, c.actual]), [
    ['max-size', false, 126_901_500],
    ['max-wasted', false, 10_000_000],
    ['min-efficiency', false, 0.9212],
  ]);
  assert.equal(over[0].message, 'size 126,901,500 B > 126,901,499 B', 'both round alike: exact bytes');
  assert.equal(over[1].message, 'wasted 10,000,000 B > 9,999,999 B');
  assert.equal(over[2].message, 'efficiency 92.1% < 95.0%');
  assert.equal(checkBudgets(report, { maxWastedBytes: 5_000_000 })[0].message, 'wasted 10.0 MB > 5.0 MB');
  assert.equal(checkBudgets(report, { minEfficiency: 0.9213 })[0].message, 'efficiency 92.12% < 92.13%');
});
