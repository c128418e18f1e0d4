// Renderers of `multistage xray`: the text table per Dockerfile line, Markdown for a pull-request comment and
// SARIF with the measured findings on the Dockerfile lines, all from one XrayReport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBudgets } from '../../server/src/cli/xrayBudgets';
import { formatXrayMarkdown, formatXrayText, instructionSource, mdCode, mdText, xrayDifference } from '../../server/src/cli/xrayFormat';
import { formatTable } from '../../server/src/cli/compare';
import { sampleResult } from '../fixtures/compare-panel/sampleResult';
import { formatXraySarif, MEASURED_RULES } from '../../server/src/cli/xraySarif';
import { SAMPLE_DOCKERFILE, sampleReport } from '../fixtures/xray-report/sampleReport';

const ESC = '\u001b';

test('instructionSource: continuation lines joined, comments inside skipped, out of range undefined', () => {
  assert.equal(instructionSource(SAMPLE_DOCKERFILE, 2), 'RUN apt-get update && apt-get install -y curl');
  assert.equal(instructionSource('RUN a \\\n# note\n  b\nCMD x\n', 1), 'RUN a b');
  assert.equal(instructionSource(SAMPLE_DOCKERFILE, 0), undefined);
  assert.equal(instructionSource(SAMPLE_DOCKERFILE, 99), undefined);
});

test('text: a row per Dockerfile line with what it added and wasted, then layers, findings and budgets', () => {
  const report = sampleReport();
  const budgets = checkBudgets(report, { maxSizeBytes: 200_000_000, maxWastedBytes: 5_000_000 });
  const text = formatXrayText(report, { dockerfileText: SAMPLE_DOCKERFILE, budgets });
  const lines = text.split('\n');
  assert.match(lines[0], /^multistage-test\/xcli\/sample:1 {2}0123456789ab {2}\(docker, docker-archive, read in 1\.3 s\)$/);
  assert.equal(lines[1], 'Dockerfile: app/Dockerfile');
  assert.ok(text.includes('size 126.9 MB · wasted 10.0 MB (19.2% of your layers) · efficiency 92.1% · final filesystem 116.9 MB · 5 layers'));
  const header = lines.findIndex((l) => /^Line +Added +Wasted +Instruction$/.test(l));
  assert.ok(header > 0, text);
  assert.deepEqual(lines.slice(header + 1, header + 6).map((l) => l.trim().split(/ {2,}/).map((c) => c.trim())), [
    ['1', '74.8 MB', '0 B', 'FROM debian:bookworm-slim'],
    ['2', '42.1 MB', '0 B', 'RUN apt-get update && apt-get install -y curl'],
    ['4', '10.0 MB', '10.0 MB', 'COPY big.bin /data/big.bin'],
    ['5', '0 B', '0 B', 'RUN rm /data/big.bin'],
    ['6', '1.5 kB', '0 B', 'COPY app /app'],
  ]);
  assert.match(text, /^ {2}2 +4 +10\.0 MB +10\.0 MB +0 B {2}COPY big\.bin \/data\/big\.bin$/m, 'layer row');
  assert.match(text, /^ {2}0 +1 +74\.8 MB .*ADD file:4a3b in \/ \(base image\)$/m);
  assert.match(text, /^ {2}line 2 +18\.0 MB {2}18\.0 MB of apt lists stay in this layer {2}\[apt-lists-not-removed\]$/m);
  assert.match(text, /^ {2}line 4 +10\.0 MB {2}10\.0 MB added here are deleted on line 5$/m);
  assert.match(text, /^Budgets:\n {2}✔ size 126\.9 MB ≤ 200\.0 MB\n {2}✘ wasted 10\.0 MB > 5\.0 MB$/m);
  assert.ok(!text.includes(ESC), 'no colour unless asked');
  assert.ok(formatXrayText(report, { budgets, color: true }).includes(`${ESC}[31m✘`), 'a failed budget in red');
});

test('text: without the Dockerfile the rows use the history text; without lines it says how to get them', () => {
  const report = sampleReport();
  assert.match(formatXrayText(report), /^ +2 +42\.1 MB +0 B +RUN apt-get update && apt-get install -y curl$/m);
  const bare = formatXrayText(sampleReport({ lines: [], dockerfile: undefined, layers: report.layers.map((l) => ({ ...l, line: undefined })) }));
  assert.match(bare, /No Dockerfile lines: name the Dockerfile \(--dockerfile FILE, or --build FILE\)/);
  assert.ok(!bare.includes('Dockerfile: '));
});

test('text: layers no line maps to are summed in a "?" row; terminal escapes in history texts are dropped', () => {
  const report = sampleReport();
  report.layers[4] = { ...report.layers[4], line: undefined, createdBy: `COPY evil${ESC}]0;pwned${ESC}\\ /x` };
  report.lines = report.lines.filter((l) => l.line !== 6);
  const text = formatXrayText(report);
  assert.match(text, /^ +\? +1\.5 kB +0 B +1 layer not mapped to a line$/m);
  assert.ok(!text.includes(ESC), 'no escape character reaches the terminal');
  assert.match(text, /COPY evil \]0;pwned \\ \/x/);
});

test('markdown: summary, budget table, a row per line, findings and the layers folded away', () => {
  const report = sampleReport();
  const md = formatXrayMarkdown(report, { dockerfileText: SAMPLE_DOCKERFILE, budgets: checkBudgets(report, { maxWastedBytes: 5_000_000, minEfficiency: 0.9 }) });
  assert.match(md, /^### Image X-ray: `multistage-test\/xcli\/sample:1` — over budget\n/);
  assert.ok(md.includes('**126.9 MB** in 5 layers · **10.0 MB wasted** (19.2% of your layers) · efficiency **92.1%** · final filesystem 116.9 MB · `app/Dockerfile`'));
  assert.ok(md.includes('| max-wasted | 5.0 MB | 10.0 MB | ❌ |'));
  assert.ok(md.includes('| min-efficiency | 90.0% | 92.1% | ✅ |'));
  assert.ok(md.includes('| 2 | `RUN apt-get update && apt-get install -y curl` | 42.1 MB | 0 B |'));
  assert.ok(md.includes('| 4 | `COPY big.bin /data/big.bin` | 10.0 MB | **10.0 MB** |'));
  assert.ok(md.includes('- Line 2: 18.0 MB of apt lists stay in this layer (fix: `apt-lists-not-removed`)'));
  assert.match(md, /<details><summary>5 layers<\/summary>\n\n\| # \| Line \| Added \| Wasted \| Created by \|/);
  assert.ok(md.trimEnd().endsWith('</details>'));
  assert.ok(md.includes('| 0 | 1 | 74.8 MB | 0 B | `ADD file:4a3b in /` (base image) |'));
  // What --build leaves: an image id, shortened; a base layer without history text has no empty code span.
  const built = sampleReport({ image: sampleReport().imageId });
  built.layers[0] = { ...built.layers[0], createdBy: '' };
  const builtMd = formatXrayMarkdown(built);
  assert.match(builtMd, /^### Image X-ray: `0123456789ab`\n/);
  assert.ok(builtMd.includes('| 0 | 1 | 74.8 MB | 0 B | (base image) |'), builtMd);
  assert.match(formatXrayText(built), /^0123456789ab {2}\(docker, docker-archive/);
  // Within budget: no alarm in the title.
  assert.match(formatXrayMarkdown(report, { budgets: checkBudgets(report, { maxWastedBytes: 50_000_000 }) }), /^### Image X-ray: `multistage-test\/xcli\/sample:1`\n/);
});

test('markdown: text from the image cannot break the table, open HTML or close a code span', () => {
  assert.equal(mdCode('a|b`c'), "`a\\|b'c`");
  assert.equal(mdText('<img src=x onerror=alert(1)> *bold* [x](y) | #'), '&lt;img src=x onerror=alert(1)&gt; \\*bold\\* \\[x\\](y) \\| \\#');
  const report = sampleReport({ image: 'evil`|<b>' });
  report.findings[0] = { ...report.findings[0], message: 'lists in <script>alert(1)</script> | x' } as typeof report.findings[0];
  report.layers[1] = { ...report.layers[1], createdBy: 'RUN echo `x` | tee\nsecond line' };
  const md = formatXrayMarkdown(report);
  const outsideCode = md.replace(/`(?:[^`\\]|\\.)*`/g, '').replace(/<\/?(details|summary)>/g, '');
  assert.ok(!outsideCode.includes('<'), `no raw HTML outside code spans: ${outsideCode}`);
  assert.ok(md.includes("### Image X-ray: `evil'\\|<b>`"), 'inside a code span HTML is literal');
  assert.ok(md.includes("`RUN echo 'x' \\| tee second line`"));
  for (const row of md.split('\n').filter((l) => l.startsWith('| '))) {
    const cells = row.replace(/\\\|/g, '').split('|').length;
    assert.ok(cells === 6 || cells === 7 || cells === 5, `row keeps its columns: ${row}`);
  }
});

test('sarif: measured findings on their Dockerfile lines, repository-relative, with the deleting line related', () => {
  const report = sampleReport();
  const budgets = checkBudgets(report, { maxWastedBytes: 1_000_000, maxSizeBytes: 1_000_000_000 });
  const sarif = JSON.parse(formatXraySarif(report, '9.9.9', { cwd: '/repo/sub', root: '/repo', dockerfilePath: 'app/Dockerfile', budgets, commandLine: 'multistage xray x' }));
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.version, '9.9.9');
  assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), MEASURED_RULES.map((r) => r.id));
  assert.equal(run.originalUriBaseIds.SRCROOT.uri, 'file:///repo/');
  assert.equal(run.invocations[0].commandLine, 'multistage xray x');
  const helpOf = (id: string) => run.tool.driver.rules.find((r: { id: string }) => r.id === id).helpUri;
  assert.match(helpOf('measured-deleted'), /\/docs\/xray\.md#findings$/);
  assert.match(helpOf('budget-max-size'), /\/README\.md#image-x-ray$/);
  const results = run.results as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[]; relatedLocations?: { physicalLocation: { region: { startLine: number } } }[]; properties: Record<string, unknown> }[];
  assert.deepEqual(results.map((r) => [r.ruleId, r.level, r.locations?.[0].physicalLocation.region.startLine]), [
    ['measured-known-waste', 'warning', 2],
    ['measured-deleted', 'warning', 4],
    ['budget-max-wasted', 'error', 4],
  ], 'the passing size budget is no result; the wasted budget points at the line that wasted most');
  for (const r of results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.deepEqual(r.locations?.[0].physicalLocation.artifactLocation, { uri: 'sub/app/Dockerfile', uriBaseId: 'SRCROOT' });
  }
  assert.match(results[0].message.text, /^18\.0 MB of apt lists stay in this layer — measured \(the fix of apt-lists-not-removed removes it: https:.*#apt-lists-not-removed\)$/);
  assert.deepEqual(results[0].properties, { bytes: 18_000_000, files: 12, layerIndex: 1, waste: 'apt-lists', path: '/var/lib/apt/lists', staticRule: 'apt-lists-not-removed' });
  assert.equal(results[1].relatedLocations?.[0].physicalLocation.region.startLine, 5);
  assert.match(results[2].message.text, /^Over budget: wasted 10\.0 MB > 1\.0 MB/);
});

test('sarif: an image without a Dockerfile gives results without locations', () => {
  const report = sampleReport({ dockerfile: undefined });
  const sarif = JSON.parse(formatXraySarif(report, '1', { cwd: '/repo', root: '/repo' }));
  assert.equal(sarif.runs[0].results.length, 2);
  for (const r of sarif.runs[0].results) assert.equal(r.locations, undefined);
});

test('compare --xray: wasted and efficiency rows for both sides and one line with the differences', () => {
  const before = sampleReport();
  const after = sampleReport({ totalBytes: 20_000_000, wastedBytes: 0, efficiency: 1 });
  assert.equal(
    xrayDifference(before, after),
    'size 126.9 MB → 20.0 MB (−106.9 MB); wasted 10.0 MB → 0 B (−10.0 MB); efficiency 92.1% → 100.0% (+7.9 points)',
  );
  assert.equal(xrayDifference(before, before), 'size 126.9 MB → 126.9 MB (±0); wasted 10.0 MB → 10.0 MB (±0); efficiency 92.1% → 92.1% (±0.0 points)');
  const result = structuredClone(sampleResult);
  const plainTable = formatTable(result);
  assert.doesNotMatch(plainTable, /Efficiency|X-ray/, 'nothing about the x-ray unless it ran');
  result.before.xray = before;
  result.after.xray = after;
  const table = formatTable(result);
  assert.match(table, /^Wasted +10\.0 MB +0 B$/m);
  assert.match(table, /^Efficiency +92\.1% +100\.0%$/m);
  assert.match(table, /^X-ray: size 126\.9 MB → 20\.0 MB .*\(\+7\.9 points\)\.$/m);
  result.after.xray = undefined;
  result.after.xrayError = 'The export of sha256:ab could not be read';
  const failed = formatTable(result);
  assert.match(failed, /^X-ray of after failed: The export of sha256:ab could not be read$/m);
  assert.doesNotMatch(failed, /^X-ray: /m);
});

test('text and Markdown: when the base image wastes bytes too, the parenthesis gives the bytes in your layers', () => {
  const report = sampleReport();
  report.layers[0] = { ...report.layers[0], wastedBytes: 1_700_000 };
  report.wastedBytes += 1_700_000;
  const text = formatXrayText(report, { dockerfileText: SAMPLE_DOCKERFILE });
  assert.ok(text.includes('wasted 11.7 MB (your layers: 10.0 MB, 19.2%)'), text);
  assert.ok(formatXrayMarkdown(report).includes('**11.7 MB wasted** (your layers: 10.0 MB, 19.2%)'));
});
