// The .dockerignore matcher against Docker's own algorithm and against patterns built to make a
// backtracking matcher explode. The reference below is moby/patternmatcher's compile() transcribed
// (regexp string and the exact/prefix/suffix shortcuts), run by JavaScript's RegExp on inputs small
// enough that backtracking does not matter; the product's matcher must agree with it everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerignoreMatcher } from '../../server/src/analysis/dockerignore';
import { cleanPath, IgnorePattern } from '../../server/src/analysis/ignorePattern';

/** moby/patternmatcher Pattern.compile + match, for `/` as separator. */
function mobyMatch(cleaned: string, path: string): boolean {
  let re = '^';
  let type = 'exact';
  const chars = [...cleaned];
  let at = 0;
  for (let i = 0; at < chars.length; i++) {
    const ch = chars[at++];
    if (ch === '*') {
      if (chars[at] === '*') {
        at++;
        if (chars[at] === '/') at++;
        if (at >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else { re += '.*'; type = 'regexp'; }
        } else { re += '(.*/)?'; type = 'regexp'; }
        if (i === 0) type = 'suffix';
      } else { re += '[^/]*'; type = 'regexp'; }
    } else if (ch === '?') { re += '[^/]'; type = 'regexp'; }
    else if ('.+()|{}$'.includes(ch)) re += `\\${ch}`;
    else if (ch === '\\') re += at < chars.length ? `\\${chars[at++]}` : '\\\\';
    else if (ch === '[' || ch === ']') { re += ch; type = 'regexp'; }
    else re += ch;
  }
  if (type === 'exact') return path === cleaned;
  if (type === 'prefix') return path.startsWith(cleaned.slice(0, -2));
  if (type === 'suffix') {
    const suffix = cleaned.slice(2);
    return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
  }
  return new RegExp(`${re}$`, 's').test(path);
}

/** moby's MatchesOrParentMatches over a list of raw lines (reading as dockerignore.ReadAll does). */
function mobyIgnores(lines: string[], file: string): boolean {
  const patterns = lines.map((l) => new IgnorePattern(l));
  const parent = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
  const dirs = parent.split('/');
  let matched = false;
  for (const p of patterns) {
    if (p.exclusion !== matched) continue;
    let match = mobyMatch(p.cleaned, file);
    if (!match && parent !== '.') for (let i = 0; i < dirs.length && !match; i++) match = mobyMatch(p.cleaned, dirs.slice(0, i + 1).join('/'));
    if (match) matched = !p.exclusion;
  }
  return matched;
}

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const PATTERN_PARTS = ['a', 'b', 'ab', '/', '*', '**', '**/', '?', '.', '[ab]', '[^a]', '[a-c]', '\\*', 'x.y', '/**', '..', './'];
const PATH_PARTS = ['a', 'b', 'ab', 'ba', 'x.y', '*', 'c', 'aab'];

export const FUZZ_PAIRS = 4000;

test(`dockerignore matching: agrees with moby's regexp compile on ${FUZZ_PAIRS} random pattern/path pairs`, () => {
  const next = random(15);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  let regexpCases = 0;
  for (let n = 0; n < FUZZ_PAIRS; n++) {
    const pattern = Array.from({ length: 1 + Math.floor(next() * 5) }, () => pick(PATTERN_PARTS)).join('');
    const path = Array.from({ length: 1 + Math.floor(next() * 4) }, () => Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(PATH_PARTS)).join('')).join('/');
    const compiled = new IgnorePattern(pattern);
    if (!compiled.valid) continue;
    if (/[*?[]/.test(compiled.cleaned)) regexpCases++;
    assert.equal(compiled.matches(path), mobyMatch(compiled.cleaned, path), `pattern ${JSON.stringify(pattern)} (cleaned ${JSON.stringify(compiled.cleaned)}) path ${JSON.stringify(path)} (case ${n})`);
  }
  assert.ok(regexpCases > FUZZ_PAIRS / 2, `only ${regexpCases} cases used wildcards`);
});

test('dockerignore matching: whole files with exceptions agree with moby\'s MatchesOrParentMatches (1,000 random files × 10 paths)', () => {
  const next = random(99);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  for (let n = 0; n < 1000; n++) {
    const lines = Array.from({ length: 1 + Math.floor(next() * 4) }, () => (next() < 0.3 ? '!' : '') + Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PATTERN_PARTS)).join(''));
    if (lines.some((l) => !new IgnorePattern(l).valid)) continue;
    const matcher = new DockerignoreMatcher(lines.join('\n'));
    for (let k = 0; k < 10; k++) {
      const path = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PATH_PARTS)).join('/');
      // The product also applies Docker's walk (an excluded folder is not entered without a literal
      // exception under it); compare on the files where the walk does not decide.
      const parents = path.split('/').slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join('/'));
      if (parents.some((p) => mobyIgnores(lines, p))) continue;
      assert.equal(matcher.ignores(path), mobyIgnores(lines, path), `${JSON.stringify(lines)} ${path}`);
    }
  }
});

test('dockerignore matching: Docker\'s reading and cleaning (leading /, trailing /, .., ./, spaces after !, # only at line start)', () => {
  const m = (content: string, path: string) => new DockerignoreMatcher(content).ignores(path);
  assert.equal(m('/dist/\n', 'dist/app.js'), true);
  assert.equal(m('a/../dist\n', 'dist'), true);
  assert.equal(m('./node_modules\n', 'node_modules/x'), true);
  assert.equal(m('/../secret\n', 'secret'), true, 'a cleaned leading /.. stays in the context');
  assert.equal(m('*.md\n!  README.md\n', 'README.md'), false);
  assert.equal(m(' # not a comment\n', '# not a comment'), true, 'Docker drops # lines before trimming');
  assert.equal(m('\uFEFFdist\n', 'dist'), true, 'a BOM is dropped');
  assert.equal(m('Dist\n', 'dist'), false, 'case-sensitive, as Docker on Linux');
  assert.equal(m('**foo\n', 'barfoo'), true, 'Docker\'s suffix shortcut: **foo is a plain suffix');
  assert.equal(m('**/foo\n', 'barfoo'), false);
  assert.equal(m('a[\n', 'a['), false, 'a pattern Docker rejects matches nothing');
  assert.equal(m('file[0-9].txt\n', 'file7.txt'), true);
  assert.equal(m('file[^0-9].txt\n', 'file7.txt'), false);
  assert.equal(m('a?c\n', 'a/c'), false, '? never matches /');
  assert.equal(m('a*\n', 'ab/c'), true, 'a parent match excludes what is inside');
  assert.equal(cleanPath('a//b/./c/..'), 'a/b');
});

test('dockerignore matching: adversarial patterns against long names finish in linear time', () => {
  const adversarial = ['**/**/**/**/*a*a*a*a*a*b', '*a*a*a*a*a*a*a*a*b', '**/a/**/a/**/a/**/a/**/b', '?*?*?*?*?*?*?*b', '**/*[ab]*[ab]*[ab]*[ab]*c'];
  const names = [
    'a'.repeat(60),
    'a'.repeat(5000),
    Array.from({ length: 400 }, () => 'a').join('/'),
    `${'a/'.repeat(200)}${'a'.repeat(2000)}`,
  ];
  const matcher = new DockerignoreMatcher(adversarial.join('\n'));
  const started = performance.now();
  for (const name of names) assert.equal(matcher.ignores(name), false, name.slice(0, 40));
  const ms = performance.now() - started;
  // A backtracking regexp took 288 ms at 60 characters and grew ~n^7; linear matching of all of
  // these (about 20,000 characters × 5 patterns) takes a few ms.
  assert.ok(ms < 1500, `${ms.toFixed(0)} ms`);
  const longName = 'a'.repeat(20_000);
  const single = new IgnorePattern(adversarial[0]);
  const t0 = performance.now();
  single.matches(longName.slice(0, 10_000));
  const t1 = performance.now();
  single.matches(longName);
  const t2 = performance.now();
  assert.ok(t2 - t1 < 500, `${(t2 - t1).toFixed(0)} ms for 20,000 characters (10,000: ${(t1 - t0).toFixed(0)} ms)`);
});
