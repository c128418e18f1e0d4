import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from 'dockerfile-ast';
import { buildModel } from '../../server/src/analysis/model';
import {
  appendToRunEdit, envAt, flagValues, hasFlag, isCommand, positionalArgs, runMounts, shellCommandsOf, stageEnvAt, subcommandOf,
  type ShellCommand,
} from '../../server/src/analysis/shell';
import { applyEdits } from '../support/analysis';
import { analyze } from '../../server/src/analysis/analyze';
import { refactorActions } from '../../server/src/analysis/rewrite';
import { DEFAULT_SETTINGS } from '../../server/src/analysis/types';

function runsOf(text: string) {
  const model = buildModel(text);
  const runs = model.stages.flatMap((s) => s.instructions.filter((i) => i.getKeyword() === 'RUN')) as Run[];
  return { model, runs };
}

function commands(text: string, run = 0): ShellCommand[] {
  const { model, runs } = runsOf(text);
  return shellCommandsOf(model, runs[run]);
}

const argvs = (text: string) => commands(text).map((c) => c.argv.join(' '));

test('shell: splits on && || ; | and keeps the separators', () => {
  const cmds = commands('FROM a\nRUN a 1 && b 2 || c; d | e\n');
  assert.deepEqual(cmds.map((c) => c.argv[0]), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(cmds.map((c) => c.separatorBefore), [null, '&&', '||', ';', '|']);
  assert.deepEqual(cmds.map((c) => c.separatorAfter), ['&&', '||', ';', '|', null]);
});

test('shell: joins Docker line continuations and drops comment lines inside them', () => {
  const text = 'FROM a\nRUN apt-get update \\\n # a comment && rm -rf /\n\n    && apt-get install -y \\\n      curl\n';
  assert.deepEqual(argvs(text), ['apt-get update', 'apt-get install -y curl']);
});

test('shell: word ranges point into the document across continuations', () => {
  const text = 'FROM a\nRUN apt-get install -y \\\n      "curl"\n';
  const [cmd] = commands(text);
  assert.deepEqual(cmd.words[3].range, { start: { line: 2, character: 6 }, end: { line: 2, character: 12 } });
  assert.equal(cmd.words[3].text, 'curl');
});

test('shell: honours the escape directive (backtick continuations)', () => {
  const text = '# escape=`\nFROM a\nRUN apt-get update `\n    && apt-get install -y curl\n';
  assert.deepEqual(argvs(text), ['apt-get update', 'apt-get install -y curl']);
});

test('shell: quotes, escapes and expansions stay inside one word; operators inside quotes are text', () => {
  const cmds = commands('FROM a\nRUN echo "a && b" \'c; d\' $(x && y) `p | q` ${V:-z} a\\ b\n');
  assert.equal(cmds.length, 1);
  assert.deepEqual(cmds[0].argv, ['echo', 'a && b', 'c; d', '$(x && y)', '`p | q`', '${V:-z}', 'a b']);
});

test('shell: redirections and their targets are not arguments', () => {
  assert.deepEqual(argvs('FROM a\nRUN make install 2>&1 >/dev/null &>log <in\n'), ['make install']);
});

test('shell: env prefixes become the env, wrappers are peeled', () => {
  const cmds = commands('FROM a\nRUN CGO_ENABLED=0 GOOS=linux go build . && sudo -u app env -i NODE_ENV=production nohup npm ci\n');
  assert.deepEqual(cmds[0].argv, ['go', 'build', '.']);
  assert.deepEqual(cmds[0].env, { CGO_ENABLED: '0', GOOS: 'linux' });
  assert.deepEqual(cmds[1].argv, ['npm', 'ci']);
  assert.deepEqual(cmds[1].env, { NODE_ENV: 'production' });
});

test('shell: exec-form RUN is one command; sh -c bodies inside it are parsed', () => {
  const cmds = commands('FROM a\nRUN ["/bin/sh", "-c", "apt-get update && apt-get install -y \\"curl\\""]\n');
  assert.deepEqual(cmds.map((c) => c.argv.join(' ')), ['/bin/sh -c apt-get update && apt-get install -y "curl"', 'apt-get update', 'apt-get install -y curl']);
  assert.deepEqual(cmds.map((c) => c.depth), [0, 1, 1]);
  const plain = commands('FROM a\nRUN ["apt-get", "install", "-y", "curl"]\n');
  assert.deepEqual(plain.map((c) => c.argv), [['apt-get', 'install', '-y', 'curl']]);
});

test('shell: sh -c and bash -ec bodies are parsed with document ranges', () => {
  const text = "FROM a\nRUN bash -euo pipefail -c 'npm ci --omit=dev && npm cache clean --force'\n";
  const cmds = commands(text);
  assert.deepEqual(cmds.map((c) => c.argv.join(' ')).slice(1), ['npm ci --omit=dev', 'npm cache clean --force']);
  const npm = cmds[1];
  assert.equal(text.slice(npm.words[2].start, npm.words[2].end), '--omit=dev');
});

test('shell: RUN <<EOF here-document bodies are the script; other here-documents are data', () => {
  const text = 'FROM a\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\nRUN python3 <<PY\nimport os; os.system("x")\nPY\nRUN bash <<-SH\n\tnpm ci\n\tSH\n';
  assert.deepEqual(commands(text, 0).filter((c) => c.depth === 1).map((c) => c.argv.join(' ')), ['set -e', 'apt-get update', 'apt-get install -y curl']);
  assert.deepEqual(commands(text, 1).map((c) => c.argv[0]), ['python3']);
  assert.deepEqual(commands(text, 2).map((c) => c.argv.join(' ')), ['bash', 'npm ci']);
});

test('shell: if/then/fi, loops, case arms and subshells are flattened; conditions are marked', () => {
  const text = 'FROM a\nRUN if [ -f x ]; then apt-get install -y a; else echo no; fi; for f in a b; do rm $f; done; case "$ARCH" in amd64) A=1 ;; *) exit 1 ;; esac; (cd /x && make)\n';
  const cmds = commands(text);
  assert.deepEqual(cmds.map((c) => c.argv.join(' ')), ['[ -f x ]', 'apt-get install -y a', 'echo no', 'rm $f', '', 'exit 1', 'cd /x', 'make']);
  assert.deepEqual(cmds.map((c) => c.inCondition), [true, false, false, false, false, false, false, false]);
  assert.deepEqual(cmds.map((c) => c.inBranch), [true, true, true, false, true, true, false, false]);
});

test('shell: comments end at the line; # inside a word is text', () => {
  assert.deepEqual(argvs('FROM a\nRUN echo a#b # and && rm -rf /\n'), ['echo a#b']);
});

test('shell: isCommand finds the subcommand whatever flags come first', () => {
  const [a, b, c, d, e] = commands('FROM a\nRUN apt-get -y -o Dpkg::Options::=--force-confold --no-install-recommends install curl; apt-get install -qq x; /usr/bin/apt-get -q update; python3 -m pip install x; pip3.11 --disable-pip-version-check install y\n');
  assert.ok(isCommand(a, 'apt-get', 'install'));
  assert.ok(isCommand(b, 'apt-get', ['install']));
  assert.ok(isCommand(c, 'apt-get', 'update'));
  assert.ok(!isCommand(c, 'apt-get', 'install'));
  assert.ok(isCommand(d, 'pip', 'install'));
  assert.ok(isCommand(e, 'pip', 'install'));
  assert.equal(subcommandOf(a)?.text, 'install');
  assert.deepEqual(positionalArgs(a).map((w) => w.text), ['install', 'curl']);
});

test('shell: hasFlag matches long flags with values and short flags inside clusters', () => {
  const [cmd] = commands('FROM a\nRUN npm ci --omit=dev -qy --include optional\n');
  assert.ok(hasFlag(cmd, '--omit'));
  assert.ok(hasFlag(cmd, '-y'));
  assert.ok(!hasFlag(cmd, '--production'));
  assert.deepEqual(flagValues(cmd, '--omit'), ['dev']);
  assert.deepEqual(flagValues(cmd, '--include'), ['optional']);
});

test('shell: runMounts parses cache, bind and secret mounts', () => {
  const { runs } = runsOf('FROM a\nRUN --mount=type=cache,target=/root/.cache/pip,sharing=locked --mount=type=secret,id=npmrc --mount=from=x,source=/a,target=/b pip install x\n');
  const mounts = runMounts(runs[0]);
  assert.deepEqual(mounts.map((m) => [m.type, m.target ?? m.id]), [['cache', '/root/.cache/pip'], ['secret', 'npmrc'], ['bind', '/b']]);
});

test('shell: env at a command sees ENV, ARG defaults, base stages, exports and prefixes', () => {
  const text = 'ARG MODE=production\nFROM node AS base\nENV NODE_ENV=production\nFROM base\nARG MODE\nRUN export A=1; B=2 npm ci\n';
  const { model, runs } = runsOf(text);
  const stage = model.stages[1];
  const stageEnv = stageEnvAt(model, stage, runs[0]);
  assert.equal(stageEnv.get('NODE_ENV'), 'production');
  assert.equal(stageEnv.get('MODE'), 'production');
  const cmds = shellCommandsOf(model, runs[0]);
  const env = envAt(cmds, cmds[1], stageEnv);
  assert.equal(env.get('A'), '1');
  assert.equal(env.get('B'), '2');
});

test('shell: appendToRunEdit keeps the author style and stays in the same RUN', () => {
  const cases: [string, string][] = [
    ['FROM a\nRUN apt-get install -y x\n', 'FROM a\nRUN apt-get install -y x && rm -rf /l\n'],
    ['FROM a\nRUN apt-get install -y x # keep me\n', 'FROM a\nRUN apt-get install -y x && rm -rf /l # keep me\n'],
    ['FROM a\nRUN apt-get update && \\\n    apt-get install -y x\n', 'FROM a\nRUN apt-get update && \\\n    apt-get install -y x && \\\n    rm -rf /l\n'],
    ['FROM a\nRUN apt-get update \\\n  && apt-get install -y x\n', 'FROM a\nRUN apt-get update \\\n  && apt-get install -y x \\\n  && rm -rf /l\n'],
    ['FROM a\nRUN apt-get install -y x;\n', 'FROM a\nRUN apt-get install -y x; rm -rf /l\n'],
    ['FROM a\nRUN <<EOF\napt-get install -y x\nEOF\n', 'FROM a\nRUN <<EOF\napt-get install -y x\nrm -rf /l\nEOF\n'],
  ];
  for (const [before, after] of cases) {
    const { model, runs } = runsOf(before);
    const edit = appendToRunEdit(model, runs[0], 'rm -rf /l');
    assert.ok(edit, before);
    assert.equal(applyEdits(before, [edit]), after);
  }
  for (const text of ['FROM a\nRUN ["apt-get", "install", "x"]\n', 'FROM a\nRUN sleep 1 &\n', 'FROM a\nRUN cat <<EOF > /x\nhi\nEOF\n']) {
    const { model, runs } = runsOf(text);
    assert.equal(appendToRunEdit(model, runs[0], 'rm -rf /l'), undefined, text);
  }
});

test('shell: never throws on half-typed or hostile input', () => {
  const inputs = ['RUN', 'RUN "unterminated', "RUN 'x", 'RUN $(', 'RUN `', 'RUN <<', 'RUN <<EOF\nno end', 'RUN ["a", ', 'RUN if; then; fi; esac )))', 'RUN \\', 'RUN ${{{', 'RUN case x in', 'RUN for', 'RUN a &&', 'RUN \u0000\u0001\uffff'];
  for (const input of inputs) {
    const { model, runs } = runsOf(`FROM a\n${input}\n`);
    for (const run of runs) {
      const cmds = shellCommandsOf(model, run);
      assert.ok(Array.isArray(cmds));
      appendToRunEdit(model, run, 'x');
    }
  }
});

test('shell: caches per RUN instruction', () => {
  const { model, runs } = runsOf('FROM a\nRUN a && b\n');
  assert.equal(shellCommandsOf(model, runs[0]), shellCommandsOf(model, runs[0]));
});

test('shell: records the user sudo -u switches to', () => {
  const cmds = commands('FROM a\nRUN sudo -u app npm ci && sudo --user=web ls && sudo ls\n');
  assert.deepEqual(cmds.map((c) => c.runAs), ['app', 'web', undefined]);
});

test('shell: CRLF files and the backtick escape keep fixes on the right line and style', () => {
  const crlf = 'FROM a\r\nRUN apt-get update \\\r\n    && apt-get install -y x\r\n';
  const r1 = runsOf(crlf);
  const e1 = appendToRunEdit(r1.model, r1.runs[0], 'rm -rf /l')!;
  assert.equal(applyEdits(crlf, [e1]), 'FROM a\r\nRUN apt-get update \\\r\n    && apt-get install -y x \\\r\n    && rm -rf /l\r\n');
  assert.deepEqual(shellCommandsOf(r1.model, r1.runs[0]).map((c) => c.argv.join(' ')), ['apt-get update', 'apt-get install -y x']);
  const tick = '# escape=`\nFROM a\nRUN apt-get update `\n    && apt-get install -y x\n';
  const r2 = runsOf(tick);
  const e2 = appendToRunEdit(r2.model, r2.runs[0], 'rm -rf /l')!;
  assert.equal(applyEdits(tick, [e2]), '# escape=`\nFROM a\nRUN apt-get update `\n    && apt-get install -y x `\n    && rm -rf /l\n');
});

test('shell: RUN flags on continued lines (with comment lines between) are skipped before the command', () => {
  const text = 'FROM a\nRUN --mount=type=cache,target=/root/.npm \\\n    # cache\n    --network=default \\\n    npm ci && echo "--not-a-flag"\n';
  assert.deepEqual(argvs(text), ['npm ci', 'echo --not-a-flag']);
  assert.deepEqual(argvs('FROM a\nRUN --network=none ["echo", "hi"]\n'), ['echo hi']);
  assert.deepEqual(argvs('FROM a\nRUN --mount=type=secret,id=x\n'), []);
});

test('shell: never throws and keeps every range inside the document on 3,000 random scripts', () => {
  // Deterministic LCG so a failure reproduces; the alphabet is the shell's special characters.
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const alphabet = ['a', 'b', ' ', '\t', '\n', '\\', '\\\n', "'", '"', '$', '(', ')', '{', '}', '`', '&', '&&', '|', '||', ';', ';;', '<', '<<', '<<-', '>', '#', '=', '-c', 'sh', 'EOF', 'if', 'then', 'fi', 'case', 'in', 'esac', 'for', 'do', 'done', '[', ']', '--', 'apt-get install'];
  for (let n = 0; n < 3000; n++) {
    let script = '';
    const length = 1 + Math.floor(random() * 30);
    for (let k = 0; k < length; k++) script += alphabet[Math.floor(random() * alphabet.length)];
    const text = `FROM a\nRUN ${script}\nCMD x\n`;
    const { model, runs } = runsOf(text);
    for (const run of runs) {
      for (const c of shellCommandsOf(model, run)) {
        for (const r of [c.range, ...c.words.map((w) => w.range)]) {
          assert.ok(r.start.line >= 0 && r.end.line < model.lineStarts.length, JSON.stringify(script));
          assert.ok(c.start <= c.end && c.end <= text.length, JSON.stringify(script));
        }
      }
      appendToRunEdit(model, run, 'x');
    }
  }
});

test('shell-based rules: never throw on 1,000 random Dockerfiles built from RUN/COPY/ENV/USER fragments', async () => {
  const { analyze } = await import('../../server/src/analysis/analyze');
  const { allRules } = await import('../../server/src/analysis/rules');
  let seed = 777;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const lines = [
    'FROM golang:1.22 AS b', 'FROM scratch', 'FROM alpine', 'FROM node:20', 'FROM b', 'WORKDIR /app', 'WORKDIR sub', 'USER node', 'USER root',
    'ENV NODE_ENV=production', 'ARG CGO_ENABLED', 'COPY . .', 'COPY --from=b /out/app /app', 'COPY app.tar.gz /tmp/', 'ADD src /src',
    'RUN apt-get update', 'RUN apt-get install -y x', 'RUN rm -rf /var/lib/apt/lists/*', 'RUN apk update && apk add y', 'RUN npm ci',
    'RUN yarn', 'RUN pip install -r requirements-dev.txt', 'RUN go build -o /out/app .', 'RUN chown -R node /app', 'RUN rm /tmp/app.tar.gz',
    'RUN <<EOF\napt-get update\nEOF', 'RUN sh -c "npm ci && npm cache clean --force"', 'RUN ["sh", "-c", "pip install x"]', 'RUN \\', 'RUN if', 'RUN "',
    'RUN --mount=type=cache,target=/root/.npm npm ci', 'RUN apk del .deps', 'RUN apt-get purge -y x', 'RUN rm -rf node_modules',
  ];
  const mine = ['copy-before-dependency-install', 'dev-dependencies-in-final-stage', 'apt-lists-not-removed', 'apt-recommends-installed',
    'apt-update-in-separate-layer', 'apk-cache-kept', 'pip-cache-kept', 'package-cache-kept', 'cleanup-in-later-layer',
    'chown-in-separate-layer', 'prefer-cache-mount', 'cgo-binary-on-minimal-base'];
  const shellRules = allRules.filter((r) => mine.includes(r.id));
  assert.equal(shellRules.length, mine.length);
  for (let n = 0; n < 1000; n++) {
    const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(lines)).join('\n') + '\n';
    const result = analyze(text, {}, shellRules);
    assert.deepEqual(result.ruleErrors.map((e) => `${e.rule}: ${String(e.error)}`), [], text);
  }
});

test('shell: dependencyInstallOf classifies installs by manager, what they need, and whether they download', async () => {
  const { dependencyInstallOf } = await import('../../server/src/analysis/shell/installs');
  const cases: [string, string | undefined][] = [
    ['npm ci --omit=dev', 'npm manifests'],
    ['npm install -g pm2', 'npm manifests named'],
    ['yarn --frozen-lockfile', 'yarn manifests'],
    ['yarn --version', undefined],
    ['pnpm fetch', 'pnpm manifests'],
    ['pip install -r requirements.txt', 'pip manifests'],
    ['python3 -m pip install flask', 'pip manifests named'],
    ['pip install -e .', 'pip sources'],
    ['uv pip install -r requirements.txt', 'uv manifests'],
    ['uv sync --frozen', 'uv sources'],
    ['poetry install --no-root', 'poetry manifests'],
    ['go mod download', 'go manifests'],
    ['go mod tidy', undefined],
    ['CGO_ENABLED=0 go build -o /app .', 'go sources'],
    ['go install github.com/x/y@latest', 'go sources named'],
    ['go build -mod=vendor .', 'go sources offline'],
    ['cargo fetch', 'cargo manifests'],
    ['mvn -B dependency:go-offline', 'maven manifests'],
    ['./mvnw -o package', 'maven sources offline'],
    ['./gradlew assembleRelease', 'gradle sources'],
    ['gradle --version', undefined],
    ['bundle install', 'bundler manifests'],
    ['composer install --no-dev', 'composer manifests'],
    ['dotnet restore', 'dotnet manifests'],
    ['dotnet publish --no-restore -o /app', 'dotnet sources offline'],
    ['apt-get install -y curl', undefined],
  ];
  for (const [run, expected] of cases) {
    const [c] = commands(`FROM a\nRUN ${run}\n`);
    const i = dependencyInstallOf(c);
    const got = i && [i.manager, i.needs, ...(i.named ? ['named'] : []), ...(i.downloads ? [] : ['offline'])].join(' ');
    assert.equal(got, expected, run);
  }
});

test('shell: commands, wrappers, packages, tags and variables named like Object.prototype members are plain names', () => {
  const text = [
    'FROM debian:toString AS constructor',
    'ARG __proto__=1',
    'ENV hasOwnProperty=2',
    'RUN toString -u x && constructor -n 1 y && hasOwnProperty --z && __proto__=3 valueOf',
    'RUN apt-get install -y constructor toString-dev && pip install -r toString',
    'FROM debian:constructor',
    'COPY --from=constructor /out /out',
  ].join('\n');
  const result = analyze(text);
  assert.deepEqual(result.ruleErrors.map((e) => `${e.rule}: ${(e.error as Error).message}`), []);
  const run = result.model!.stages[0].instructions.find((i) => i.getKeyword() === 'RUN') as Run;
  assert.deepEqual(shellCommandsOf(result.model!, run).map((c) => c.argv.join(' ')), ['toString -u x', 'constructor -n 1 y', 'hasOwnProperty --z', 'valueOf']);
  assert.doesNotThrow(() => refactorActions(result.model!, { settings: DEFAULT_SETTINGS }));
});
