// Evidence for the rules, so a reader can judge how often each fires on real files: for every rule, on how many corpus Dockerfiles it fires.
// Writes the table into docs/rules.md between the corpus-table markers and prints it. With
// `--samples <rule> [n]` it prints n findings of that rule (file:line, message, the line's text) so a
// person can read them for false positives.
//
//   npm run bench:rule-counts -- [--corpus DIR] [--no-write] [--samples RULE N]
//
// The corpus holds Dockerfiles only, no build contexts, so the context rules (missing-dockerignore,
// dockerignore-gaps) cannot fire on it; the table says so instead of printing a misleading 0.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../server/src/analysis/analyze';
import { allRules } from '../server/src/analysis/rules';
import { corpusPaths } from '../test/support/corpus';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = corpusPaths(option('--corpus'));
const filesDir = corpus.files;
const docsPath = join(__dirname, '../docs/rules.md');
const CONTEXT_RULES = new Set(['missing-dockerignore', 'dockerignore-gaps']);

interface Row {
  file: string;
  repo: string;
  duplicateOf: string;
}

function manifest(): Map<string, Row> {
  const rows = new Map<string, Row>();
  const lines = readFileSync(corpus.manifest, 'utf8').split('\n');
  const header = lines[0].split('\t');
  const col = (name: string) => header.indexOf(name);
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const cells = line.split('\t');
    rows.set(cells[col('file')], { file: cells[col('file')], repo: cells[col('repo')], duplicateOf: cells[col('dup_of')] ?? '' });
  }
  return rows;
}

const rows = manifest();
const names = readdirSync(filesDir).sort();
const firedFiles = new Map<string, Set<string>>(allRules.map((r) => [r.id, new Set()]));
const findingCounts = new Map<string, number>(allRules.map((r) => [r.id, 0]));
const samples: string[] = [];
const sampleRule = option('--samples');
const sampleCount = Number(option('--samples') ? args[args.indexOf('--samples') + 2] ?? 20 : 0) || 20;
let ruleErrors = 0;

for (const name of names) {
  const text = readFileSync(join(filesDir, name), 'utf8');
  const result = analyze(text);
  ruleErrors += result.ruleErrors.length;
  for (const { rule, error } of result.ruleErrors) console.error(`rule ${rule} threw on ${name}: ${error instanceof Error ? error.message : String(error)}`);
  for (const problem of result.problems) {
    firedFiles.get(problem.rule)?.add(name);
    findingCounts.set(problem.rule, (findingCounts.get(problem.rule) ?? 0) + 1);
    if (problem.rule === sampleRule) {
      const line = text.split(/\r?\n/)[problem.range.start.line] ?? '';
      samples.push(`${name}:${problem.range.start.line + 1}: ${problem.message}\n    | ${line.trim().slice(0, 160)}`);
    }
  }
}

const unique = names.filter((n) => !rows.get(n)?.duplicateOf);
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
const table = [
  `Measured by \`npm run bench:rule-counts\` (bench/corpusRuleCounts.ts) on ${names.length.toLocaleString('en-US')} real Dockerfiles from ../shared/corpus (${unique.length.toLocaleString('en-US')} after removing byte-identical duplicates). "Files" counts Dockerfiles with at least one finding of the rule; "repos" the distinct source repositories among them (the corpus is skewed: dotnet/dotnet-docker alone is 652 generated files).`,
  '',
  '| rule | default | files | % of files | unique files | repos | findings |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...allRules.map((rule) => {
    if (CONTEXT_RULES.has(rule.id)) return `| \`${rule.id}\` | ${rule.defaultSeverity} | n/a | n/a | n/a | n/a | needs a build context; the corpus has Dockerfiles only |`;
    const fired = firedFiles.get(rule.id)!;
    const uniqueFired = [...fired].filter((n) => !rows.get(n)?.duplicateOf).length;
    const repos = new Set([...fired].map((n) => rows.get(n)?.repo ?? n)).size;
    return `| \`${rule.id}\` | ${rule.defaultSeverity} | ${fired.size} | ${pct(fired.size, names.length)} | ${uniqueFired} | ${repos} | ${findingCounts.get(rule.id)} |`;
  }),
  '',
  `Rule errors (exceptions caught by the engine) over the whole corpus: ${ruleErrors}.`,
].join('\n');

console.log(table);
if (sampleRule) {
  console.log(`\n${samples.length} findings of ${sampleRule}; first ${Math.min(sampleCount, samples.length)} (every k-th, spread over the corpus):`);
  const step = Math.max(1, Math.floor(samples.length / sampleCount));
  for (let i = 0; i < samples.length && i / step < sampleCount; i += step) console.log(samples[i]);
}

if (!args.includes('--no-write')) {
  const START = '<!-- corpus-table -->';
  const END = '<!-- /corpus-table -->';
  const docs = readFileSync(docsPath, 'utf8');
  const start = docs.indexOf(START);
  if (start < 0) throw new Error(`docs/rules.md has no ${START} marker`);
  const endAt = docs.indexOf(END, start);
  const after = endAt >= 0 ? docs.slice(endAt + END.length) : docs.slice(start + START.length);
  writeFileSync(docsPath, `${docs.slice(0, start)}${START}\n## How often each rule fires on real Dockerfiles\n\n${table}\n${END}${after}`);
  console.error(`wrote the table into ${docsPath}`);
}
