// What the Docker integration tests share: is an engine there, are the base images there, and the
// checks that a comparison left nothing behind.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocker } from '../../server/src/docker/runner';

/** Debian's client; /usr/local/bin/docker on the development box is another build. */
export const DOCKER = process.env.MULTISTAGE_TEST_DOCKER ?? '/usr/bin/docker';
export const FIXTURES = join(__dirname, '..', 'fixtures');
export const SETUP_HINT = 'run test/setup/docker.sh (installs docker.io, starts dockerd, makes the base images)';

export async function engineAvailable(): Promise<boolean> {
  const info = await runDocker(['version', '--format', '{{.Server.Version}}'], { dockerPath: DOCKER, timeoutMs: 20_000 });
  return info.code === 0;
}

export async function imagesAvailable(refs: string[]): Promise<boolean> {
  for (const ref of refs) {
    const r = await runDocker(['image', 'inspect', '--format', '{{.Id}}', ref], { dockerPath: DOCKER });
    if (r.code !== 0) return false;
  }
  return true;
}

/** Every `multistage-compare/*` tag on the engine. */
export async function compareTags(): Promise<string[]> {
  const r = await runDocker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { dockerPath: DOCKER });
  return r.stdout.split('\n').filter((l) => l.startsWith('multistage-compare/'));
}

/**
 * Containers, running or not, whose command holds the fragment. Tests look only for their own fixture's
 * commands (other suites may be running containers on the same engine at the same time).
 */
export async function containersRunning(commandFragment: string): Promise<string[]> {
  const r = await runDocker(['container', 'ls', '--all', '--no-trunc', '--format', '{{.ID}} {{.Command}}'], { dockerPath: DOCKER });
  return r.stdout.split('\n').filter((l) => l.includes(commandFragment));
}

/** A temp folder for the runner's own temp dir, so a test can see it is gone; removed after the test. */
export function freshTempRoot(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'multistage-compare-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function entriesIn(dir: string): string[] {
  return readdirSync(dir);
}

export async function imageSize(ref: string): Promise<number> {
  const r = await runDocker(['image', 'inspect', '--format', '{{.Size}}', ref], { dockerPath: DOCKER });
  if (r.code !== 0) throw new Error(`inspect ${ref}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

export async function removeTags(tags: string[]): Promise<void> {
  for (const tag of tags) await runDocker(['image', 'rm', tag], { dockerPath: DOCKER });
}
