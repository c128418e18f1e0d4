// Build and Compare overhead: wall time of one comparison against its peer, the slower of the two plain
// `docker build`s run alone (what a user would wait for building by hand, one build at a time, at best).
// A ratio under 1 means comparing costs less than the slower build alone would. The sum of the two plain
// builds (building both by hand, one after the other) is printed as a second reference.
//
//   node --import tsx bench/compareOverhead.ts [go|busybox] [--rounds N] [--warm]
//
// Cold (default): every build passes --no-cache, so the ratio includes two builds sharing the CPU.
// --warm: cached builds, so the difference is the runner's own fixed cost (preflight, inspect, history,
// cleanup). Plain builds use the same Docker CLI, the same DOCKER_BUILDKIT=1 and a throwaway tag.
import { join } from 'node:path';
import { runComparison } from '../server/src/docker/compare';
import { runDocker } from '../server/src/docker/runner';

const DOCKER = process.env.MULTISTAGE_TEST_DOCKER ?? '/usr/bin/docker';
const fixtures = join(__dirname, '..', 'test', 'fixtures');
const cases = {
  go: { dir: join(fixtures, 'compare-go'), before: 'Dockerfile.single', after: 'Dockerfile' },
  busybox: { dir: join(fixtures, 'compare-busybox'), before: 'Dockerfile.before', after: 'Dockerfile.after' },
};

const args = process.argv.slice(2);
const caseName = (args.find((a) => a in cases) ?? 'busybox') as keyof typeof cases;
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;
const warm = args.includes('--warm');
const chosen = cases[caseName];

async function plainBuild(file: string): Promise<number> {
  const tag = `multistage-compare/bench-plain:${Date.now()}`;
  const started = performance.now();
  const r = await runDocker(
    ['build', '--progress=plain', ...(warm ? [] : ['--no-cache']), '-f', join(chosen.dir, file), '-t', tag, chosen.dir],
    { dockerPath: DOCKER, env: { DOCKER_BUILDKIT: '1' } },
  );
  const seconds = (performance.now() - started) / 1000;
  await runDocker(['image', 'rm', tag], { dockerPath: DOCKER });
  if (r.code !== 0) throw new Error(`plain build of ${file} failed:\n${r.stderr.slice(-2000)}`);
  return seconds;
}

async function compare(): Promise<number> {
  const started = performance.now();
  const outcome = await runComparison(
    { label: chosen.before, dockerfilePath: join(chosen.dir, chosen.before), context: chosen.dir },
    { label: chosen.after, dockerfilePath: join(chosen.dir, chosen.after), context: chosen.dir },
    { dockerPath: DOCKER, noCache: !warm },
  );
  if (!outcome.ok) throw new Error(`compare failed: ${outcome.failure.message}\n${outcome.failure.lastLines.join('\n')}`);
  return (performance.now() - started) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  if ((await runDocker(['version'], { dockerPath: DOCKER })).code !== 0) {
    console.error('No Docker engine: run test/setup/docker.sh first.');
    process.exit(2);
  }
  // --warm: one untimed comparison fills the build cache first (cold runs pass --no-cache anyway).
  if (warm) await compare();
  const peers: number[] = [];
  const sums: number[] = [];
  const ours: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order so neither side always runs on a warmer machine.
    const plainFirst = round % 2 === 1;
    if (!plainFirst) ours.push(await compare());
    const before = await plainBuild(chosen.before);
    const after = await plainBuild(chosen.after);
    peers.push(Math.max(before, after));
    sums.push(before + after);
    if (plainFirst) ours.push(await compare());
    const latest = ours[ours.length - 1];
    console.log(
      `round ${round}: plain before ${before.toFixed(2)} s, after ${after.toFixed(2)} s; compare ${latest.toFixed(2)} s ` +
        `(ratio ${(latest / Math.max(before, after)).toFixed(2)} vs the slower, ${(latest / (before + after)).toFixed(2)} vs both in a row)`,
    );
  }
  const ratio = median(ours) / median(peers);
  console.log(
    `\ncompareOverhead (${caseName}, ${warm ? 'warm cache' : 'cold, --no-cache'}, ${rounds} rounds, medians): ` +
      `compare ${median(ours).toFixed(2)} s vs slower plain build ${median(peers).toFixed(2)} s → ratio ${ratio.toFixed(2)}, ` +
      `overhead ${(median(ours) - median(peers)).toFixed(2)} s; vs both plain builds in a row ${median(sums).toFixed(2)} s → ` +
      `ratio ${(median(ours) / median(sums)).toFixed(2)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
