// Every fix marked safe (applied by fix-all and `multistage fix` without asking) must leave the image the
// file builds as it was, except for what the fix is for (a cache it removes). This test checks, for each
// safe fix over the corpus and over generated files, the conditions that make it so, computed here from
// the text before and after the fix, not by asking the rule again. A rule that offers a safe fix this test
// has no conditions for fails it: new safe fixes must say here why they are safe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/analysis/analyze';
import { readBuilderWord } from '../../server/src/analysis/builderWords';
import { buildModel, type DockerfileModel, type Stage } from '../../server/src/analysis/model';
import { runShellOf, invocationOf, positionalArgs, type ShellCommand } from '../../server/src/analysis/shell';
import { applyEdits } from '../../server/src/analysis/textEdits';
import { corpusFiles } from '../support/corpus';
import type { Fix, Problem } from '../../server/src/analysis/types';
import type { Instruction, Run } from 'dockerfile-ast';

const ARCHIVE_NAME = /\.(tar|tgz|tbz2?|txz|tzst|taz|tlz|gz|bz2|xz|zst|lz|lzma|lz4|z)$/i;
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)|\.git(#.*)?$/i;
const CONFIG_ONLY = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);
const CACHE_CLEANS = new Set(['npm cache clean --force', 'dnf clean all', 'dnf5 clean all', 'dnf-3 clean all', 'yum clean all', 'microdnf clean all', 'tdnf clean all', 'zypper clean --all']);

interface Checked {
  rule: string;
  fix: Fix;
  before: string;
  after: string;
}

type Invariant = (c: Checked) => string | undefined;

/** The instruction (top level or ONBUILD trigger) whose range contains `line`. */
function instructionAt(model: DockerfileModel, line: number): Instruction | undefined {
  return model.dockerfile.getInstructions().find((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
}

function stageOf(model: DockerfileModel, instruction: Instruction): Stage | undefined {
  return model.stages.find((s) => s.instructions.includes(instruction));
}

function argvs(model: DockerfileModel, run: Run): string[][] {
  return runShellOf(model, run).commands.filter((c) => c.argv.length > 0).map((c) => c.argv);
}

/** The USER in effect at an instruction (the FROM chain's USERs, in order). */
function userAt(model: DockerfileModel, instruction: Instruction): string {
  let user = 'root';
  const chain: Stage[] = [];
  for (let s = stageOf(model, instruction); s; s = s.baseStage === undefined ? undefined : model.stages[s.baseStage]) chain.unshift(s);
  for (const stage of chain) {
    for (const i of stage.instructions) {
      if (i === instruction) return user;
      if (i.getKeyword() === 'USER') user = i.getArguments().map((a) => a.getValue()).join(' ');
    }
  }
  return user;
}

const isRoot = (user: string) => /^(root|0)(:.*)?$/.test(user);

/** The one RUN an append-style fix changed, before and after, or a reason it is not that. */
function appendedRun(c: Checked): { before: string[][]; after: string[][]; model: DockerfileModel; run: Run } | string {
  const before = buildModel(c.before);
  const after = buildModel(c.after);
  const line = c.fix.edits[0].range.start.line;
  const run = instructionAt(before, line);
  if (!run || run.getKeyword() !== 'RUN') return 'the edit is not inside a RUN';
  const runAfter = after.dockerfile.getInstructions()[before.dockerfile.getInstructions().indexOf(run)];
  if (!runAfter || runAfter.getKeyword() !== 'RUN') return 'the RUN is gone after the fix';
  if (before.dockerfile.getInstructions().length !== after.dockerfile.getInstructions().length) return 'the fix added or removed instructions';
  return { before: argvs(before, run as Run), after: argvs(after, runAfter as Run), model: before, run: run as Run };
}

/** `after` is `before` with exactly `added` appended at the end, at the top level, after && or ;. */
function appendsOnly(c: Checked, accept: (appended: string) => boolean): string | undefined {
  const r = appendedRun(c);
  if (typeof r === 'string') return r;
  if (r.after.length !== r.before.length + 1) return `expected one command more, got ${r.before.length} → ${r.after.length}`;
  if (JSON.stringify(r.after.slice(0, -1)) !== JSON.stringify(r.before)) return 'the commands before the appended one changed';
  const appended = r.after[r.after.length - 1].join(' ');
  if (!accept(appended)) return `appended an unexpected command: ${appended}`;
  const model = buildModel(c.after);
  const runAfter = model.dockerfile.getInstructions()[r.model.dockerfile.getInstructions().indexOf(r.run)] as Run;
  const last = runShellOf(model, runAfter).commands.filter((x) => x.argv.length > 0).at(-1)!;
  // Joined with && (a failure before it still fails the RUN), or the script stops at errors (set -e).
  const errexit = runShellOf(model, runAfter).commands.some((x) => x.argv[0] === 'set' && x.argv.slice(1).some((a) => /^-[A-Za-z]*e/.test(a) || a === 'errexit'));
  if (last.separatorBefore !== '&&' && !errexit) return `appended after ${last.separatorBefore ?? 'a new line'} without set -e: a failure before it would no longer fail the build`;
  const top = runShellOf(model, runAfter).commands.find((x) => x.argv.length > 0)!.depth;
  if (last.depth !== top || last.inCondition || last.inBranch) return 'the appended command is not at the script\'s top level';
  if (!isRoot(userAt(r.model, r.run))) return 'the RUN does not run as root';
  return undefined;
}

/** Whether a later RUN (this stage after `run`, or a stage built FROM it) may read apt's lists. */
function laterRunReadsAptLists(model: DockerfileModel, run: Run): boolean {
  const own = stageOf(model, run)!;
  const descendants = model.stages.filter((s) => {
    for (let b = s; b; b = b.baseStage === undefined ? undefined! : model.stages[b.baseStage]) if (b === own) return true;
    return false;
  });
  let after = false;
  for (const stage of descendants) {
    for (const i of stage.instructions) {
      if (i === run) {
        after = true;
        continue;
      }
      if (i.getKeyword() !== 'RUN' || (stage === own && !after)) continue;
      let updated = false;
      for (const cmd of runShellOf(model, i as Run).commands) {
        const tool = invocationOf(cmd)?.tool ?? '';
        const sub = positionalArgs(cmd)[0]?.text ?? '';
        if (['apt-get', 'apt', 'aptitude'].includes(tool) && sub === 'update') updated = true;
        else if (['apt-get', 'apt', 'aptitude', 'apt-cache', 'add-apt-repository'].includes(tool) && !updated && !['clean', 'autoclean', 'purge', 'remove', 'autoremove', 'dist-clean', 'distclean'].includes(sub)) return true;
        else if (runsScript(cmd)) return true;
      }
    }
  }
  return false;
}

function runsScript(cmd: ShellCommand): boolean {
  const tool = invocationOf(cmd)?.tool ?? '';
  if (['sh', 'bash', 'dash', 'zsh', 'ash'].includes(tool)) return cmd.separatorBefore === '|' || (positionalArgs(cmd).length > 0 && !cmd.argv.includes('-c'));
  return /^\.{0,2}\//.test(cmd.argv[0] ?? '') && !/^\/(usr\/)?s?bin\//.test(cmd.argv[0] ?? '');
}

/** Instructions strictly between two of the same stage are all config-only (or pass `extra`). */
function adjacent(model: DockerfileModel, earlier: Instruction, later: Instruction, extra: (i: Instruction) => boolean = () => false): boolean {
  const stage = stageOf(model, earlier);
  if (!stage || stage !== stageOf(model, later)) return false;
  const from = stage.instructions.indexOf(earlier);
  const to = stage.instructions.indexOf(later);
  return from >= 0 && to > from && stage.instructions.slice(from + 1, to).every((i) => CONFIG_ONLY.has(i.getKeyword()) || extra(i));
}

const INVARIANTS: Record<string, Invariant> = {
  // ADD → COPY changes nothing when every source is local, not archive-named, has no variable, wildcard
  // or unreadable quoting, and is a folder or a name whose extension says it is not a tar.
  'add-instead-of-copy': (c) => {
    if (c.fix.edits.length !== 1) return 'expected one edit';
    const model = buildModel(c.before);
    const add = instructionAt(model, c.fix.edits[0].range.start.line);
    if (!add || add.getKeyword() !== 'ADD') return 'not an ADD';
    if (!/^copy$/i.test(c.fix.edits[0].newText)) return 'the edit is not the keyword';
    const flags = (add as unknown as { getFlags(): { getName(): string }[] }).getFlags().map((f) => f.getName());
    if (flags.some((f) => ['checksum', 'keep-git-dir', 'unpack'].includes(f))) return 'an ADD-only flag';
    // The builder's reading: a valid JSON array of strings, else whitespace-separated shell words.
    const content = (add.getRawArgumentsContent() ?? '').replace(/^(\s*--\S+)+\s*/, '').trim();
    let raw: string[];
    try {
      const parsed: unknown = JSON.parse(content);
      raw = Array.isArray(parsed) && parsed.every((v) => typeof v === 'string') ? parsed as string[] : content.split(/\s+/);
    } catch {
      raw = content.split(/\s+/);
    }
    const sources = raw.slice(0, -1);
    if (sources.length === 0) return 'no source';
    for (const source of sources) {
      const word = readBuilderWord(source, model.escapeChar);
      if (word.expands || word.invalid) return `source ${source} is not a literal`;
      if (REMOTE.test(word.text)) return `source ${source} is remote`;
      if (/[*?[]/.test(word.text)) return `source ${source} is a wildcard`;
      if (ARCHIVE_NAME.test(word.text)) return `source ${source} is archive-named`;
      const folder = word.text === '.' || word.text.endsWith('/') || word.text.endsWith('/.');
      if (!folder && !/\.[A-Za-z0-9]+$/.test(word.text)) return `source ${source} could be a tar under another name`;
    }
    return undefined;
  },
  'apk-cache-kept': (c) => {
    const r = appendedRun(c);
    if (typeof r === 'string') return r;
    const expected = r.before
      .filter((argv) => !(argv[0].endsWith('apk') && argv.slice(1).find((a) => !a.startsWith('-')) === 'update'))
      .map((argv) => {
        if (!argv[0].endsWith('apk')) return argv;
        const at = argv.findIndex((a, i) => i > 0 && !a.startsWith('-'));
        return ['add', 'upgrade', 'fix'].includes(argv[at]) && !argv.includes('--no-cache') ? [...argv.slice(0, at + 1), '--no-cache', ...argv.slice(at + 1)] : argv;
      });
    return JSON.stringify(r.after) === JSON.stringify(expected) ? undefined : `commands changed beyond --no-cache: ${JSON.stringify(r.after)}`;
  },
  'pip-cache-kept': (c) => {
    const r = appendedRun(c);
    if (typeof r === 'string') return r;
    if (r.after.length !== r.before.length) return 'command count changed';
    let changed = 0;
    for (let i = 0; i < r.before.length; i++) {
      if (JSON.stringify(r.before[i]) === JSON.stringify(r.after[i])) continue;
      changed++;
      const at = r.after[i].indexOf('--no-cache-dir');
      if (at < 1 || r.after[i][at - 1] !== 'install') return 'not --no-cache-dir after install';
      if (JSON.stringify([...r.after[i].slice(0, at), ...r.after[i].slice(at + 1)]) !== JSON.stringify(r.before[i])) return 'more than --no-cache-dir changed';
    }
    return changed === 1 ? undefined : `${changed} commands changed`;
  },
  'apt-lists-not-removed': (c) => {
    const problem = appendsOnly(c, (cmd) => cmd === 'rm -rf /var/lib/apt/lists/*');
    if (problem) return problem;
    const model = buildModel(c.before);
    const run = instructionAt(model, c.fix.edits[0].range.start.line) as Run;
    return laterRunReadsAptLists(model, run) ? 'a later RUN may still read the lists' : undefined;
  },
  'package-cache-kept': (c) => appendsOnly(c, (cmd) => CACHE_CLEANS.has(cmd)),
  // The update moves into the next RUN, with nothing between that could change what it fetches.
  'apt-update-in-separate-layer': (c) => {
    const before = buildModel(c.before);
    const after = buildModel(c.after);
    const deleted = instructionAt(before, c.fix.edits[0].range.start.line);
    const install = instructionAt(before, c.fix.edits[1].range.start.line);
    if (!deleted || !install || deleted.getKeyword() !== 'RUN' || install.getKeyword() !== 'RUN') return 'not two RUNs';
    if ((install as Run).getFlags().length > 0) return 'the install RUN has flags';
    const harmlessEnv = (i: Instruction) => (i.getKeyword() === 'ENV' || i.getKeyword() === 'ARG') && !/proxy|APT_|DPKG_/i.test(i.getTextContent());
    if (!adjacent(before, deleted, install, harmlessEnv)) return 'something between the RUNs could change the update';
    const updates = argvs(before, deleted as Run);
    if (!updates.every((a) => a.slice(1).find((x) => !x.startsWith('-')) === 'update')) return 'the deleted RUN does more than update';
    const index = before.dockerfile.getInstructions().indexOf(install) - 1;
    const merged = after.dockerfile.getInstructions()[index];
    if (!merged || merged.getKeyword() !== 'RUN') return 'no merged RUN';
    return JSON.stringify(argvs(after, merged as Run)) === JSON.stringify([...updates.slice(-1), ...argvs(before, install as Run)]) ? undefined : 'the merged RUN is not the update followed by the install';
  },
  'cleanup-in-later-layer': (c) => {
    const before = buildModel(c.before);
    const creator = instructionAt(before, c.fix.edits[0].range.start.line);
    const cleanup = instructionAt(before, c.fix.edits[1].range.start.line);
    if (!creator || !cleanup || creator.getKeyword() !== 'RUN' || cleanup.getKeyword() !== 'RUN') return 'not two RUNs';
    if ((creator as Run).getFlags().length > 0) return 'the creating RUN has flags';
    const errexit = argvs(before, creator as Run).some((a) => a[0] === 'set' && a.slice(1).some((x) => /^-[A-Za-z]*e/.test(x) || x === 'errexit'));
    const tail = runShellOf(before, creator as Run).tail;
    if (!errexit && (tail?.kind !== 'word' || runShellOf(before, creator as Run).heredocScript)) return 'the cleanup would be appended without &&';
    if (!adjacent(before, creator, cleanup)) return 'something between the RUNs could change the cleanup';
    const after = buildModel(c.after);
    const index = before.dockerfile.getInstructions().indexOf(creator);
    const moved = after.dockerfile.getInstructions()[index];
    const expected = [...argvs(before, creator as Run), ...argvs(before, cleanup as Run)];
    return moved && JSON.stringify(argvs(after, moved as Run)) === JSON.stringify(expected) ? undefined : 'the creating RUN is not itself followed by the cleanup';
  },
  // Naming a stage keeps every reference pointing where it pointed.
  'numeric-stage-reference': (c) => {
    const before = buildModel(c.before);
    const after = buildModel(c.after);
    if (before.refs.length !== after.refs.length) return 'references appeared or vanished';
    for (let i = 0; i < before.refs.length; i++) {
      if (before.refs[i].target !== after.refs[i].target || before.refs[i].forward !== after.refs[i].forward) return `reference ${before.refs[i].value} now resolves elsewhere`;
    }
    for (let i = 0; i < before.stages.length; i++) if (before.stages[i].baseStage !== after.stages[i].baseStage) return 'a FROM now resolves elsewhere';
    return undefined;
  },
};

function checkText(text: string, label: string, counts = new Map<string, number>()): number {
  const { problems } = analyze(text);
  let checked = 0;
  for (const problem of problems as Problem[]) {
    for (const fix of problem.fixes) {
      if (!fix.safe) continue;
      const invariant = INVARIANTS[problem.rule];
      assert.ok(invariant, `${label}: ${problem.rule} offers a safe fix ("${fix.title}") that this test has no conditions for`);
      const after = applyEdits(text, fix.edits);
      const why = invariant({ rule: problem.rule, fix, before: text, after });
      assert.equal(why, undefined, `${label}: ${problem.rule} "${fix.title}" at line ${problem.range.start.line + 1}: ${why}\n--- before\n${text}\n--- after\n${after}`);
      checked++;
      counts.set(problem.rule, (counts.get(problem.rule) ?? 0) + 1);
    }
  }
  return checked;
}

test('safe fixes: the conditions that make each one safe hold for every safe fix over the corpus', (t) => {
  const files = corpusFiles(t);
  if (!files) return;
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const file of files) {
    if (seen.has(file.text)) continue;
    seen.add(file.text);
    checkText(file.text, file.name, counts);
  }
  // The corpus exercises each kind of safe fix (346 in all when this was written).
  for (const rule of ['add-instead-of-copy', 'apk-cache-kept', 'apt-lists-not-removed', 'pip-cache-kept', 'package-cache-kept', 'numeric-stage-reference']) {
    assert.ok((counts.get(rule) ?? 0) > 0, `no safe fix of ${rule} over the corpus: ${JSON.stringify([...counts])}`);
  }
  process.stdout.write(`# safe fixes checked over the corpus: ${JSON.stringify(Object.fromEntries(counts))}\n`);
});

// Generated files: ADD sources in every quoting (plain, quoted, escaped, a variable, JSON form), where a
// safe fix most easily misreads a name, next to the installs the other safe fixes change.
const base = fc.constantFrom('debian:12', 'alpine:3.20', 'node:20', 'python:3.12', 'fedora:40');
const source = fc.tuple(
  fc.constantFrom('app', 'app.tar', 'app.tar.gz', 'app.tgz', 'conf', 'x.txt', 'x.py', 'src/', '.', 'https://example.com/x.txt', 'github.com/a/b', 'data.bin', 'site.zip'),
  fc.constantFrom('plain', 'double', 'single', 'escaped', 'variable'),
).map(([name, quoting]) => {
  if (quoting === 'double') return `"${name}"`;
  if (quoting === 'single') return `'${name}'`;
  if (quoting === 'escaped') return name.replace(/\./g, '\\.');
  if (quoting === 'variable') return `\${SRC:-${name}}`;
  return name;
});
const instruction = fc.oneof(
  fc.tuple(source, fc.boolean()).map(([s, json]) => (json ? `ADD ["${s.replace(/"/g, '\\"')}", "/dst/"]` : `ADD ${s} /dst/`)),
  fc.constantFrom(
    'RUN apt-get update && apt-get install -y curl',
    'RUN apt-get update',
    'RUN apt-get install -y git',
    'RUN sudo apt-get update && sudo apt-get install -y curl',
    'RUN ./install.sh',
    'RUN apk update && apk add curl',
    'RUN apk upgrade',
    'RUN pip install flask',
    'RUN npm ci',
    'RUN yarn install',
    'RUN dnf in -y git',
    'RUN --mount=type=tmpfs,target=/var/cache/apk apk add curl',
    'RUN rm -rf /var/lib/apt/lists/*',
    'RUN set -e; apt-get update; apt-get install -y curl',
    'RUN apt-get update; apt-get install -y curl',
    'RUN apt-get install -y curl; echo done',
    'COPY --from=0 /hello /hello',
    'ADD https://example.com/a.tar.gz /a/',
    'ONBUILD RUN apk add curl',
    'USER app',
    'USER root',
    'ENV http_proxy=http://proxy:3128',
    'ENV DEBIAN_FRONTEND=noninteractive',
    'COPY sources.list /etc/apt/sources.list',
    'LABEL a=b',
    'WORKDIR /app',
  ),
);
const dockerfile = fc.tuple(base, fc.array(instruction, { minLength: 1, maxLength: 6 }), fc.option(fc.tuple(base, fc.array(instruction, { maxLength: 4 }))))
  .map(([b, body, second]) => [`FROM ${b} AS one`, ...body, ...(second ? [`FROM ${second[1].length % 2 ? 'one' : second[0]}`, ...second[1]] : []), ''].join('\n'));

test('safe fixes: the conditions hold for every safe fix on generated files', () => {
  fc.assert(fc.property(dockerfile, (text) => {
    checkText(text, 'generated');
  }), { numRuns: 400, seed: 14 });
});

test('safe fixes: the spellings from the issue are never turned into COPY', () => {
  for (const line of ['ADD "app.tar.gz" /app/', 'ADD "https://example.com/x.txt" /x.txt', 'ADD ["app.tgz", "/app/"]', 'ADD app\\.tar /app/']) {
    const { problems } = analyze(`FROM debian:12\n${line}\n`);
    assert.ok(!problems.some((p) => p.rule === 'add-instead-of-copy'), line);
  }
});
