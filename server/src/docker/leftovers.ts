// Images a comparison made besides its tagged results. The legacy builder commits an image for every step,
// and a multi-stage build leaves the last one of each earlier stage behind as an untagged image (the
// builder stage with its whole toolchain); `--label` does not help, it reaches the last stage only.
// So the step images are read from the build output (` ---> 3eb45dfe6eea`) and, after the tags are gone,
// those that did not exist before the comparison started and still carry no tag are removed. An image that
// was there before (a cache hit on the user's own earlier build) is never touched; `--no-prune` keeps Docker
// from removing parents on its own judgement, and a removal Docker refuses (children, a container) is left.
import { runDocker, type RunDockerOptions } from './runner';

const STEP_IMAGE = /^ ---> ([0-9a-f]{12,64})\s*$/;

export class BuildLeftovers {
  private existing: string[] | undefined;
  /** Short ids of step images in order of appearance (parents before children within a stage). */
  private readonly steps: string[] = [];

  /** Records the ids present before any build starts. Without this record nothing is ever removed. */
  async recordExisting(run: RunDockerOptions): Promise<void> {
    const r = await runDocker(['image', 'ls', '--all', '--quiet', '--no-trunc'], { ...run, signal: undefined, timeoutMs: 60_000 });
    if (r.code === 0) this.existing = r.stdout.split('\n').map(hexOf).filter(Boolean);
  }

  /** Feed every build output line. */
  observe(line: string): void {
    const id = STEP_IMAGE.exec(line)?.[1];
    if (id && !this.steps.includes(id)) this.steps.push(id);
  }

  /** Step images this comparison made, children first. */
  made(): string[] {
    if (!this.existing) return [];
    const existing = this.existing;
    return this.steps.filter((id) => !existing.some((full) => full.startsWith(id))).reverse();
  }

  /** Removes the step images made here that are still untagged; returns the ids removed. */
  async remove(run: RunDockerOptions): Promise<string[]> {
    const opts = { ...run, signal: undefined, timeoutMs: 120_000 };
    const removed: string[] = [];
    let pending = this.made();
    // A few passes: with two builds at once, a child of another side's image may go later in the list.
    for (let pass = 0; pass < 3 && pending.length > 0; pass++) {
      const untagged = await untaggedOf(pending, opts);
      if (untagged.length === 0) break;
      await runDocker(['image', 'rm', '--no-prune', ...untagged], opts);
      const still = new Set(await untaggedOf(untagged, opts));
      removed.push(...untagged.filter((id) => !still.has(id)));
      if (still.size === untagged.length) break;
      pending = [...still];
    }
    return removed;
  }
}

/** The ids (as given) that exist and have no tag. */
async function untaggedOf(ids: string[], run: RunDockerOptions): Promise<string[]> {
  // inspect prints the images it found even when some are gone (and then exits 1).
  const r = await runDocker(['image', 'inspect', '--format', '{{.Id}} {{len .RepoTags}}', ...ids], run);
  const untagged = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const [id, tags] = line.trim().split(' ');
    if (id && tags === '0') untagged.add(hexOf(id));
  }
  return ids.filter((short) => [...untagged].some((full) => full.startsWith(short)));
}

function hexOf(id: string): string {
  return id.trim().replace(/^sha256:/, '');
}
