// The VSIX a user installs: its Details page is the user-facing page (docs/extension-page.md), not the
// developer README, with images and links made absolute; the repository README keeps its two set-up
// commands first. Builds the VSIX with the package script's own vsce arguments into a temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const page = readFileSync(join(ROOT, 'docs', 'extension-page.md'), 'utf8');

test('the user page covers every setting and command, the CLI and privacy', () => {
  for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(page.includes(`\`${key}\``), `${key} missing from the user page`);
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
  for (const command of pkg.contributes.commands) {
    const title = nls[command.title.slice(1, -1)];
    assert.ok(page.includes(`Multistage: ${title}`), `command "${title}" missing from the user page`);
  }
  assert.match(page, /^## Privacy: what goes over the network, and when$/m);
  assert.match(page, /^## Command line$/m);
  assert.doesNotMatch(page, /npm ci|npm test|bench/, 'no developer instructions on the user page');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /^# .+\n\n```bash\nnpm ci && npm run demo .*\nbash test\/setup\/all\.sh && npm test /, 'the repository README opens with its two set-up commands');
});

test('vsce package: the VSIX README is the user page, with absolute image URLs', () => {
  const script: string = pkg.scripts.package;
  const args = script.slice(script.indexOf('vsce package') + 'vsce '.length).split(/\s+/);
  const out = join(mkdtempSync(join(tmpdir(), 'multistage-vsix-')), 'multistage.vsix');
  args.splice(args.indexOf('-o'), 2, '-o', out);
  assert.ok(args.includes('--readme-path'), script);
  spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT });
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'), args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const list = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).split('\n');
  const readmes = list.filter((f) => /^extension\/readme\.md$/i.test(f));
  assert.equal(readmes.length, 1, list.join(' '));
  const shipped = execFileSync('unzip', ['-p', out, readmes[0]], { encoding: 'utf8' });
  assert.equal(shipped.split('\n')[0], page.split('\n')[0]);
  assert.match(shipped, /## Privacy: what goes over the network, and when/);
  assert.doesNotMatch(shipped, /npm ci && npm run demo/);
  for (const image of shipped.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) assert.match(image[1], /^https:\/\/github\.com\/multistage-dev\/multistage\/raw\/HEAD\/docs\/images\//);
  for (const file of ['extension/package.nls.json', 'extension/docs/walkthrough/open.md', 'extension/docs/rules.md']) assert.ok(list.includes(file), `${file} in the VSIX`);
  const manifest = execFileSync('unzip', ['-p', out, 'extension.vsixmanifest'], { encoding: 'utf8' });
  assert.match(manifest, /Microsoft\.VisualStudio\.Services\.Content\.Details" Path="extension\/readme\.md"/);
});
