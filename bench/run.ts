// `npm run bench`: Multistage against the parse floor and its peers, in one run. Prints tables and
// writes bench/results/latest.json (one key per section, so a later --only run can keep the rest). Sections: corpus, rules, growth, large,
// lsp, memory, cli. Options: --only=corpus,growth  --quick (fewer rounds, for trying the harness)
//               --full-cli (run dockerlinter's one-process-per-file CLI over every corpus file)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { compareClis, type CliRun } from './cliComparison';
import * as contenders from './contenders';
import type { Contender } from './contenders';
import { timeCorpus } from './corpus';
import { measureEditorLatency } from './editorLatency';
import { measureLargeInputs } from './largeInputs';
import { measureRuleCosts } from './ruleCosts';
import { timeGrowth } from './growth';
import { CORPUS_DIR, readCorpus } from '../test/support/corpus';
import { SERVER_BUNDLE } from '../test/support/lspClient';
import { measureServerMemory } from './serverMemory';
import { formatNumber, round, table } from './stats';

const RESULTS = join(__dirname, 'results', 'latest.json');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (section: string) => !only || only.includes(section);

const log = (line = '') => process.stdout.write(line + '\n');
const load = () => loadavg().map((v) => round(v, 2));
const goal = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

async function main(): Promise<void> {
  if (!existsSync(CORPUS_DIR)) throw new Error(`corpus not found at ${CORPUS_DIR}`);
  if (wanted('lsp') || wanted('memory') || wanted('cli')) {
    if (!existsSync(SERVER_BUNDLE)) throw new Error('server/out/server.js is missing: run `node esbuild.config.mjs` first (npm run bench does)');
  }
  const corpus = readCorpus();
  // With --only, the other sections of the last full run are kept, so latest.json stays complete.
  const previous = only && existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>) : {};
  const results: Record<string, unknown> = {
    ...previous,
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtStart: load() },
    clock: 'corpus and growth: process CPU time (see bench/clock.ts); lsp and cli: wall time',
  };
  const peers: Contender[] = [contenders.dockerfileUtils, contenders.dockerfilelint];
  if ('lint' in contenders.dockerlinter) peers.push(contenders.dockerlinter);
  else log(`dockerlinter: ${contenders.dockerlinter.unavailable}`);
  const all = [contenders.parseFloor, contenders.multistageParse, contenders.multistage, contenders.multistageNoSyntax, ...peers];

  if (wanted('corpus')) {
    const rounds = quick ? 1 : 3;
    log(`\n== Corpus: ${corpus.length} files of ${CORPUS_DIR}, ${rounds} timed round(s) after each contender's warm-up, CPU time per file (median over rounds)`);
    const r = timeCorpus(corpus, all, rounds);
    const floor = r.parseFloor.totalMs;
    const ms = r.multistage.totalMs;
    log(table(['contender', 'files/s', 'total ms', 'pass ms', 'p50 ms', 'p95 ms', 'max ms', '× parse', 'Multistage ×', 'crashes', 'problems'],
      all.map((c) => [c.label + (c.note ? ' *' : ''), r[c.key].filesPerSecond, r[c.key].totalMs, r[c.key].passMs, r[c.key].p50Ms, r[c.key].p95Ms, r[c.key].maxMs,
        r[c.key].totalMs / floor, ms / r[c.key].totalMs, r[c.key].crashes, r[c.key].problemsFound])));
    log('total ms: sum of per-file medians; pass ms: one whole pass, garbage collection included (median over rounds)');
    log(`warm-up passes until a pass was < 3% faster than the one before: ${all.map((c) => `${c.key} ${r[c.key].warmupPasses}`).join(', ')}`);
    for (const c of all) if (c.note) log(`* ${c.label}: ${c.note}`);
    for (const c of all) for (const e of r[c.key].crashExamples.slice(0, 2)) log(`  crash ${c.key}: ${e.file}: ${e.message}`);
    // Each goal is judged on both totals and must hold on both.
    const ratios = (f: (t: 'totalMs' | 'passMs') => number) => ({ total: f('totalMs'), pass: f('passMs') });
    const rulesOverhead = ratios((t) => (r.multistageNoSyntax[t] - r.parseFloor[t]) / r.parseFloor[t]);
    const modelAndRules = ratios((t) => (r.multistageNoSyntax[t] - r.multistageParse[t]) / r.parseFloor[t]);
    const vsValidate = ratios((t) => r.multistage[t] / r.dockerfileUtils[t]);
    const both = (x: { total: number; pass: number }) => `${formatNumber(x.total)}× (whole passes: ${formatNumber(x.pass)}×)`;
    log(`Goal: syntax off, model + all rules cost ≤ 0.5× the parse floor on top of it: ${both(rulesOverhead)} → ${goal(Math.max(rulesOverhead.total, rulesOverhead.pass) <= 0.5)}`);
    log(`  (syntax off = Multistage's own parse ${formatNumber(r.multistageParse.totalMs / floor)}× the floor + model and rules ${both(modelAndRules)} the floor → ${goal(Math.max(modelAndRules.total, modelAndRules.pass) <= 0.5)} on their own)`);
    log(`Goal: syntax on, full analysis ≤ 1.2× dockerfile-utils validate: ${both(vsValidate)} → ${goal(Math.max(vsValidate.total, vsValidate.pass) <= 1.2)}`);
    const corpusJson: Record<string, unknown> = { files: corpus.length, rounds };
    for (const c of all) corpusJson[c.key] = { ...r[c.key], ratioToParseFloor: round(r[c.key].totalMs / floor), multistageRatio: round(ms / r[c.key].totalMs) };
    if (!('lint' in contenders.dockerlinter)) corpusJson.dockerlinter = { unavailable: contenders.dockerlinter.unavailable };
    corpusJson.goals = {
      rulesOverheadOnParseFloor: round(rulesOverhead.total),
      modelAndRulesOnParseFloor: round(modelAndRules.total),
      fullAnalysisToValidate: round(vsValidate.total),
      wholePasses: { rulesOverheadOnParseFloor: round(rulesOverhead.pass), modelAndRulesOnParseFloor: round(modelAndRules.pass), fullAnalysisToValidate: round(vsValidate.pass) },
    };
    results.corpus = corpusJson;
  }

  if (wanted('rules')) {
    log('\n== Where the time goes: CPU ms per rule over the corpus (syntax on; the first rule to need a RUN\'s shell commands pays for parsing them)');
    const costs = measureRuleCosts(corpus);
    log(table(['rule', 'total CPU ms', 'worst file ms', 'worst file'], costs.slice(0, 12).map((c) => [c.id, c.totalMs, c.worstMs, c.worstFile.slice(0, 60)])));
    results.ruleCosts = costs;
  }

  if (wanted('growth')) {
    log('\n== Growth: synthetic multi-stage files (bench/syntheticDockerfile.ts), median CPU ms per analysis');
    const g = timeGrowth(all, { minMs: quick ? 300 : 1500, minRepeats: quick ? 3 : 5, rounds: quick ? 1 : 3 });
    const measured = all.filter((c) => g.ms[c.key]);
    log(table(['contender', ...g.sizes.map((s) => `${s} lines`), 'log-log exponent'], measured.map((c) => [c.label, ...g.ms[c.key], g.exponents[c.key]])));
    for (const [key, message] of Object.entries(g.crashes)) log(`  ${key} crashed on the synthetic files: ${message}`);
    const ms8000 = g.ms.multistage[g.sizes.length - 1];
    const utils8000 = g.ms.dockerfileUtils[g.sizes.length - 1];
    log(`Goal: linear growth: exponent ${g.exponents.multistage} (syntax on), ${g.exponents.multistageNoSyntax} (syntax off); the parse floor's own is ${g.exponents.parseFloor}`);
    log(`8,000 lines: Multistage ${formatNumber(ms8000)} ms (syntax on), ${formatNumber(g.ms.multistageNoSyntax[g.sizes.length - 1])} ms (off); dockerfile-utils ${formatNumber(utils8000)} ms → ×${formatNumber(ms8000 / utils8000)}`);
    results.growth = {
      exponent: g.exponents.multistage,
      ms8000,
      dockerfileUtilsMs8000: utils8000,
      exponentNoSyntax: g.exponents.multistageNoSyntax,
      ms8000NoSyntax: g.ms.multistageNoSyntax[g.sizes.length - 1],
      ...g,
    };
  }

  if (wanted('large')) {
    log('\n== Large inputs: one analysis each, CPU ms (analyze() answers "file too large" above 2,000,000 characters)');
    const large = measureLargeInputs(contenders.analyze);
    log(table(['input', 'characters', 'CPU ms', 'problems', 'rules that failed'], large.map((r) => [r.input, r.chars, r.cpuMs, r.problems, r.ruleErrors.join(', ') || 'none'])));
    results.largeInputs = large;
  }

  if (wanted('lsp')) {
    const edits = 500;
    const typingIntervalMs = 50;
    log(`\n== Editor latency: bundled server over stdio, 800-line file, ${edits} keystrokes at ${typingIntervalMs} ms intervals, then ${edits} as fast as possible (wall ms, edit → diagnostics covering it)`);
    const loadBefore = load();
    const l = await measureEditorLatency({ lines: 800, edits, typingIntervalMs });
    log(table(['run', 'p50 ms', 'p95 ms', 'max ms', 'analyses run', 'versions dropped', 'last edit → diagnostics ms'],
      [['typing speed', l.typing.p50Ms, l.typing.p95Ms, l.typing.maxMs, l.typing.analysed, l.typing.droppedStaleVersions, l.typing.lastEditToDiagnosticsMs],
       ['burst', l.burst.p50Ms, l.burst.p95Ms, l.burst.maxMs, l.burst.analysed, l.burst.droppedStaleVersions, l.burst.lastEditToDiagnosticsMs]]));
    log(`No queueing: the burst of ${edits} edits ran ${l.burst.analysed} analyses and dropped ${l.burst.droppedStaleVersions} stale versions. Load average before: ${loadBefore.join(' ')}`);
    results.lsp = {
      p50Ms: l.typing.p50Ms,
      p95Ms: l.typing.p95Ms,
      maxMs: l.typing.maxMs,
      droppedStaleVersions: l.typing.droppedStaleVersions + l.burst.droppedStaleVersions,
      loadAverageBefore: loadBefore,
      ...l,
    };
  }

  if (wanted('memory')) {
    log('\n== Memory: server RSS after opening 200 corpus Dockerfiles');
    const m = await measureServerMemory(corpus, 200);
    log(`RSS ${m.rssMbAtStart} MB after initialize → ${m.rssMbAfter200Docs} MB after ${m.documents} documents analysed`);
    results.memory = m;
  }

  if (wanted('cli')) {
    const sample = args.includes('--full-cli') ? corpus.length : quick ? 30 : 300;
    log(`\n== CLI over the corpus (wall time, peak RSS of the largest process)`);
    const dockerfilelintCrashes = new Set<string>();
    for (const file of corpus) {
      try {
        contenders.dockerfilelint.lint(file.text);
      } catch {
        dockerfilelintCrashes.add(join(CORPUS_DIR, file.name));
      }
    }
    const runs = await compareClis(corpus.map((f) => join(CORPUS_DIR, f.name)), sample, dockerfilelintCrashes);
    const wall = (run: CliRun) => run.extrapolatedWallMs ?? run.wallMs;
    log(table(['tool', 'files', 'processes', 'wall ms', 'CPU ms', 'whole corpus wall ms', 'peak RSS MB', 'crashed processes', 'Multistage × (wall)'],
      Object.values(runs).map((run) => [run.command, run.files, run.processes, run.wallMs, run.cpuMs ?? NaN, wall(run), run.peakRssMb, run.failures, wall(runs.multistage) / wall(run)])));
    for (const run of Object.values(runs)) if (run.failureExample) log(`  ${run.command}: ${run.failureExample}`);
    if (runs.dockerfilelint.excludedFiles) log(`  dockerfilelint: ${runs.dockerfilelint.excludedFiles} files on which it crashes are left out (its CLI stops at the first one).`);
    if (runs.dockerlinter.extrapolatedWallMs) log(`  dockerlinter ran on ${runs.dockerlinter.files} evenly spaced files; its whole-corpus time is extrapolated (--full-cli runs all).`);
    results.cli = runs;
  }

  results.loadAverageAtEnd = load();
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  log(`\nWrote ${RESULTS}. Load average at start ${(results.machine as { loadAverageAtStart: number[] }).loadAverageAtStart.join(' ')}, at end ${load().join(' ')}.`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
