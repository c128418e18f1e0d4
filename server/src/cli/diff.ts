// Unified diff of two texts, for `multistage fix` without --write. Line-based LCS; large inputs fall
// back to one hunk that replaces everything (still a correct diff, just not a minimal one).
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  // Lines the two sides share at the start and end are context as they are; only the middle needs the
  // table, and when the middles share no line at all (fix-all rewrites every line of a region), none.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) (endA--, endB--);
  const same = (lines: string[]) => lines.map((line) => ({ kind: ' ' as const, line }));
  return [...same(a.slice(0, start)), ...diffMiddle(a.slice(start, endA), b.slice(start, endB)), ...same(a.slice(endA))];
}

function diffMiddle(a: string[], b: string[]): Op[] {
  const inB = new Set(b);
  if (!a.some((line) => inB.has(line)) || a.length * b.length > MAX_CELLS) return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  const m = a.length;
  const n = b.length;
  const lcs = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (a[i] === b[j]) ops.push({ kind: ' ', line: a[i++] }), j++;
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) ops.push({ kind: '-', line: a[i++] });
    else ops.push({ kind: '+', line: b[j++] });
  }
  while (i < m) ops.push({ kind: '-', line: a[i++] });
  while (j < n) ops.push({ kind: '+', line: b[j++] });
  return ops;
}

export function unifiedDiff(before: string, after: string, name: string, context = 3): string {
  if (before === after) return '';
  let a = 1;
  let b = 1;
  const ops = diffLines(before.split(/\r?\n/), after.split(/\r?\n/)).map((op) => {
    const at = { ...op, a, b };
    if (op.kind !== '+') a++;
    if (op.kind !== '-') b++;
    return at;
  });
  const out = [`--- a/${name}`, `+++ b/${name}`];
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  let c = 0;
  while (c < changed.length) {
    const start = Math.max(0, changed[c] - context);
    let end = Math.min(ops.length, changed[c] + context + 1);
    while (c + 1 < changed.length && changed[c + 1] - context <= end) {
      c++;
      end = Math.min(ops.length, changed[c] + context + 1);
    }
    c++;
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aCount === 0 ? hunk[0].a - 1 : hunk[0].a},${aCount} +${bCount === 0 ? hunk[0].b - 1 : hunk[0].b},${bCount} @@`);
    for (const o of hunk) out.push(o.kind + o.line);
  }
  return out.join('\n') + '\n';
}
