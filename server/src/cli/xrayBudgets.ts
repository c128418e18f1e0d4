// Budgets that make `multistage xray` fail: from flags and from a checked-in `.multistage.json`
// (`{ "xray": { "maxSize": "200MB", "maxWasted": "20MB", "minEfficiency": 0.95 } }`), found next to the
// Dockerfile or in a folder above it up to the repository root. Flags win over the file, one budget at a time,
// so a CI job can tighten one limit without restating the others.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatBinaryBytes, formatBytes } from '../analysis/bytes';
import type { XrayBudgets, XrayReport } from '../xray/types';
import { UsageError } from './args';

export const CONFIG_FILE_NAME = '.multistage.json';
/** A config file larger than this is not a budget file: refuse it rather than parse megabytes of JSON. */
const MAX_CONFIG_BYTES = 64 * 1024;

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

/**
 * "200MB", "200 MB", "1.5GiB", "512kB", "1048576" (bytes) → bytes. Decimal units are powers of 1000 as
 * Docker Hub and `docker images` count them, `KiB`/`MiB`/`GiB` powers of 1024. A bare `m` or `g` is refused:
 * Docker's own flags read it as binary, people often mean decimal, and a budget should not guess.
 */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** "0.95" or "95%" → 0.95; undefined outside 0..1. */
export function parseEfficiency(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) / (m[2] ? 100 : 1);
  return value >= 0 && value <= 1 ? value : undefined;
}

/** The budgets named by `--max-size`, `--max-wasted`, `--min-efficiency` (undefined when not given). */
export function budgetsFromFlags(options: ReadonlyMap<string, string>): XrayBudgets {
  const out: XrayBudgets = {};
  const size = (flag: string) => {
    const text = options.get(flag);
    if (text === undefined) return undefined;
    const bytes = parseSize(text);
    if (bytes === undefined) throw new UsageError(`--${flag} needs a size such as 200MB, 1.5GiB or 1048576 (bytes), not '${text}'`);
    return bytes;
  };
  const maxSize = size('max-size');
  const maxWasted = size('max-wasted');
  if (maxSize !== undefined) out.maxSizeBytes = maxSize;
  if (maxWasted !== undefined) out.maxWastedBytes = maxWasted;
  const efficiency = options.get('min-efficiency');
  if (efficiency !== undefined) {
    const value = parseEfficiency(efficiency);
    if (value === undefined) throw new UsageError(`--min-efficiency needs a ratio between 0 and 1 (0.95) or a percentage (95%), not '${efficiency}'`);
    out.minEfficiency = value;
  }
  return out;
}

/** `.multistage.json` in `startDir` or the nearest folder above it, not climbing past the git checkout's root. */
export function findConfigFile(startDir: string): string | undefined {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/**
 * The `xray` section of a config file as budgets. Sizes are strings with a unit or numbers of bytes;
 * minEfficiency is a ratio or a percentage string. Unknown keys are errors: a misspelt budget that silently
 * does nothing would let every build pass.
 */
export function readConfigBudgets(file: string): XrayBudgets {
  if (statSync(file).size > MAX_CONFIG_BYTES) throw new UsageError(`${file}: larger than ${formatBinaryBytes(MAX_CONFIG_BYTES)}; not a budget file`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data)) throw new UsageError(`${file}: expected a JSON object`);
  const section = data.xray;
  if (section === undefined) return {};
  if (!isObject(section)) throw new UsageError(`${file}: "xray" must be an object`);
  const out: XrayBudgets = {};
  for (const [key, value] of Object.entries(section)) {
    const where = `${file}: xray.${key}`;
    if (key === 'maxSize' || key === 'maxWasted') {
      const bytes = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : typeof value === 'string' ? parseSize(value) : undefined;
      if (bytes === undefined) throw new UsageError(`${where} must be a size such as "200MB" or a number of bytes`);
      if (key === 'maxSize') out.maxSizeBytes = bytes;
      else out.maxWastedBytes = bytes;
    } else if (key === 'minEfficiency') {
      const ratio = typeof value === 'number' ? (value >= 0 && value <= 1 ? value : undefined) : typeof value === 'string' ? parseEfficiency(value) : undefined;
      if (ratio === undefined) throw new UsageError(`${where} must be a ratio between 0 and 1 or a percentage such as "95%"`);
      out.minEfficiency = ratio;
    } else {
      throw new UsageError(`${where}: unknown budget (known: maxSize, maxWasted, minEfficiency)`);
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flags over the file, one budget at a time. */
export function mergeBudgets(fromFile: XrayBudgets, fromFlags: XrayBudgets): XrayBudgets {
  return { ...fromFile, ...fromFlags };
}

export type BudgetName = 'max-size' | 'max-wasted' | 'min-efficiency';

export interface BudgetCheck {
  budget: BudgetName;
  /** The limit and the measured value, in bytes or as a ratio. */
  limit: number;
  actual: number;
  passed: boolean;
  /** "size 312.4 MB > 200.0 MB", said the same way in every format. */
  message: string;
}

/** "92.1%"; with `other`, as many decimals (up to 4) as it takes for the two to read differently. */
export function formatPercent(ratio: number, other?: number): string {
  let digits = 1;
  while (other !== undefined && other !== ratio && digits < 4 && (ratio * 100).toFixed(digits) === (other * 100).toFixed(digits)) digits++;
  return `${(ratio * 100).toFixed(digits)}%`;
}

/**
 * Each budget against the report: size is the unpacked image (Σ bytes the layers add), wasted the bytes
 * stored in layers that the final filesystem does not hold, efficiency dive's score.
 */
export function checkBudgets(report: XrayReport, budgets: XrayBudgets): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const bytes = (budget: BudgetName, what: string, limit: number, actual: number) => {
    const passed = actual <= limit;
    // Near the limit both round to the same figure: then the exact bytes say why it failed.
    const near = formatBytes(actual) === formatBytes(limit);
    const show = (n: number) => (near ? `${n.toLocaleString('en-US')} B` : formatBytes(n));
    checks.push({ budget, limit, actual, passed, message: `${what} ${show(actual)} ${passed ? '≤' : '>'} ${show(limit)}` });
  };
  if (budgets.maxSizeBytes !== undefined) bytes('max-size', 'size', budgets.maxSizeBytes, report.totalBytes);
  if (budgets.maxWastedBytes !== undefined) bytes('max-wasted', 'wasted', budgets.maxWastedBytes, report.wastedBytes);
  if (budgets.minEfficiency !== undefined) {
    const passed = report.efficiency >= budgets.minEfficiency;
    checks.push({
      budget: 'min-efficiency',
      limit: budgets.minEfficiency,
      actual: report.efficiency,
      passed,
      message: `efficiency ${formatPercent(report.efficiency, budgets.minEfficiency)} ${passed ? '≥' : '<'} ${formatPercent(budgets.minEfficiency, report.efficiency)}`,
    });
  }
  return checks;
}
