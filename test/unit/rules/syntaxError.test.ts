// syntax-error reports what the Docker builder's parser rejects before any step runs. Each malformed
// input below is paired with the nearest well-formed spelling, which must stay quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catches, catchesNot } from '../../support/ruleSpec';

const RULE = 'syntax-error';

/** [malformed, the builder's complaint, the line it is on (0-based), the same intent spelled right]. */
const MALFORMED: [string, RegExp, number, string][] = [
  ['FROM alpine\nFROOM x\n', /Unknown instruction: FROOM/, 1, 'FROM alpine\nFROM x\n'],
  ['FROM\n', /has no arguments/, 0, 'FROM alpine\n'],
  ['RUN echo hi\nFROM alpine\n', /No source image provided with `FROM`/, 0, 'FROM alpine\nRUN echo hi\n'],
  ['FROM alpine AS\n', /FROM requires either one or three arguments/, 0, 'FROM alpine AS build\n'],
  ['FROM alpine:\n', /invalid reference format/, 0, 'FROM alpine:3.20\n'],
  ['FROM alpine\nCOPY onlyone\n', /COPY requires at least two arguments/, 1, 'FROM alpine\nCOPY onlyone /dst/\n'],
  ['FROM alpine\nADD onlyone\n', /ADD requires at least two arguments/, 1, 'FROM alpine\nADD onlyone /dst/\n'],
  ['FROM alpine\nCOPY --frm=build a b\n', /Unknown flag: frm/, 1, 'FROM alpine AS build\nFROM alpine\nCOPY --from=build a b\n'],
  ['FROM alpine\nCOPY --from= a b\n', /invalid from flag value/, 1, 'FROM alpine\nCOPY --from=nginx:1.27 a b\n'],
  ['FROM alpine\nENV A\n', /ENV must have two arguments/, 1, 'FROM alpine\nENV A=1\n'],
  ['FROM alpine\nENV A=1 B\n', /can't find = in "B"/, 1, 'FROM alpine\nENV A=1 B=2\n'],
  ['FROM alpine\nEXPOSE abc\n', /Invalid containerPort: abc/, 1, 'FROM alpine\nEXPOSE 8080\n'],
  ['FROM alpine\nEXPOSE 80/xyz\n', /Invalid proto: xyz/, 1, 'FROM alpine\nEXPOSE 80/udp\n'],
  ['FROM alpine\nHEALTHCHECK --interval=abc CMD true\n', /invalid duration abc/, 1, 'FROM alpine\nHEALTHCHECK --interval=30s CMD true\n'],
  ['FROM alpine\nHEALTHCHECK NONE x\n', /HEALTHCHECK NONE takes no arguments/, 1, 'FROM alpine\nHEALTHCHECK NONE\n'],
  ['FROM alpine\nSHELL /bin/bash\n', /SHELL requires the arguments to be in JSON form/, 1, 'FROM alpine\nSHELL ["/bin/bash", "-c"]\n'],
  ['FROM alpine\nSTOPSIGNAL a b\n', /extra argument/, 1, 'FROM alpine\nSTOPSIGNAL SIGTERM\n'],
  ['FROM alpine\nONBUILD ONBUILD RUN x\n', /Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed/, 1, 'FROM alpine\nONBUILD RUN x\n'],
  ['FROM alpine\nONBUILD FROM x\n', /FROM isn't allowed as an ONBUILD trigger/, 1, 'FROM alpine\nONBUILD COPY x /x\n'],
  ['FROM alpine\nWORKDIR\n', /has no arguments/, 1, 'FROM alpine\nWORKDIR /app\n'],
  ['# escape=x\nFROM alpine\n', /invalid ESCAPE 'x'/, 0, '# escape=`\nFROM alpine\n'],
];

test('syntax-error: fires on what the builder rejects', () => {
  const problems = catches(RULE, 'FROM alpine\nFROOM x\nCOPY onlyone\nEXPOSE abc\n', { count: 3 });
  assert.deepEqual(problems.map((p) => p.range.start.line), [1, 2, 3]);
  assert.match(problems[0].message, /Unknown instruction: FROOM/);
  assert.equal(problems[0].severity, 'error');
});

test('syntax-error: each malformed instruction is caught on its line with the builder\'s complaint, and its well-formed spelling is not', () => {
  for (const [malformed, complaint, line, wellFormed] of MALFORMED) {
    const [p] = catches(RULE, malformed);
    assert.match(p.message, complaint, malformed);
    assert.equal(p.range.start.line, line, malformed);
    catchesNot(RULE, wellFormed);
  }
});

test('syntax-error: does not fire on style issues or valid files, nor on duplicate stage names', () => {
  catchesNot(RULE, 'from alpine\nmaintainer me\nWORKDIR app\nFROM alpine AS a\nFROM alpine AS a\n');
});

test('syntax-error: duplicate stage names are left to duplicate-stage-name, which reports them more precisely', () => {
  const text = 'FROM alpine AS a\nFROM alpine AS a\n';
  catchesNot(RULE, text);
  catches('duplicate-stage-name', text);
});

test('syntax-error: turned off with syntaxDiagnostics false', () => {
  catches(RULE, 'FROOM x\n', { count: 2 }); // the unknown instruction, and no FROM before it
  catchesNot(RULE, 'FROOM x\n', { settings: { rules: {}, syntaxDiagnostics: false } });
});
