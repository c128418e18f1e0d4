// Image X-ray speed and memory on a ~1 GB image, against the floor: `docker save IMAGE > /dev/null`, what
// any analysis of the engine's export must wait for. Same image, same run, alternating, medians of 3.
//
//   node --import tsx bench/xray.ts [--rounds N] [--keep] [--image TAG]     (npm run bench:xray)
//
// The image (built here with the legacy builder, so no BuildKit cache outlives it): busybox plus three
// 250 MB layers of random data, a layer of 20,000 files of 4 KB, and a last layer overwriting the first
// 250 MB file with 150 MB (so 250 MB of it is waste). It is removed at the end unless --keep.
// Each X-ray runs in a child process, so its peak RSS (getrusage maxrss) is the analysis' alone; the
// child's RSS before the X-ray (Node + tsx + modules) is printed beside it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDocker } from '../server/src/docker/runner';
import { BuildLeftovers } from '../server/src/docker/leftovers';
import { xrayImage } from '../server/src/xray/xray';
import { median } from './stats';

const DOCKER = process.env.MULTISTAGE_TEST_DOCKER ?? '/usr/bin/docker';
const args = process.argv.slice(2);
const MB = 1024 * 1024;

const DOCKERFILE = [
  'FROM busybox:latest',
  'RUN mkdir -p /data/small && dd if=/dev/urandom of=/data/a bs=1M count=250 2>/dev/null',
  'RUN dd if=/dev/urandom of=/data/b bs=1M count=250 2>/dev/null',
  'RUN dd if=/dev/urandom of=/data/c bs=1M count=250 2>/dev/null',
  // 20,000 files of ~4 KB from one awk process (a process per file would take minutes); distinct contents.
  'RUN head -c 3000 /dev/urandom | base64 > /tmp/seed && awk \'BEGIN { while ((getline line < "/tmp/seed") > 0) s = s line "\\n"; for (i = 0; i < 20000; i++) { f = "/data/small/f" i; printf "%s%d\\n", s, i > f; close(f) } }\' && rm /tmp/seed',
  'RUN dd if=/dev/urandom of=/data/a bs=1M count=150 2>/dev/null',
  '',
].join('\n');

interface ChildResult {
  seconds: number;
  /** CPU seconds (user + system) of the X-ray process. */
  cpuSeconds: number;
  maxRssMb: number;
  rssBeforeMb: number;
  totalBytes: number;
  wastedBytes: number;
  efficiency: number;
  layers: number;
}

/** In the child: one X-ray, then its numbers as JSON on stdout. */
async function child(image: string, dockerfile: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const outcome = await xrayImage(image, { enginePath: DOCKER, dockerfileText: dockerfile });
  const seconds = (performance.now() - started) / 1000;
  if (!outcome.ok) throw new Error(`${outcome.failure.kind}: ${outcome.failure.message}\n${outcome.failure.lastLines.join('\n')}`);
  const r = outcome.report;
  const result: ChildResult = {
    seconds,
    cpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuBefore)),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    rssBeforeMb: rssBefore / MB,
    totalBytes: r.totalBytes,
    wastedBytes: r.wastedBytes,
    efficiency: r.efficiency,
    layers: r.layers.length,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runChild(image: string, dockerfilePath: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', image, dockerfilePath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult) : reject(new Error(`X-ray child exited ${code}`))));
  });
}

/**
 * CPU seconds dockerd has used so far, when it runs on this machine (the daemon does most of a save's work:
 * reading the layers and writing the tar). Lets the run say what each side costs in CPU, which a loaded
 * machine does not blur the way it blurs wall time.
 */
function daemonCpuSeconds(): number | undefined {
  try {
    const pid = execFileSync('pgrep', ['-o', '-x', 'dockerd'], { encoding: 'utf8' }).trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // utime and stime are fields 14 and 15 of stat: indexes 11 and 12 once "pid (comm) " is cut off.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function withDaemonCpu<T>(run: () => Promise<T>): Promise<[T, number | undefined]> {
  const before = daemonCpuSeconds();
  const result = await run();
  const after = daemonCpuSeconds();
  return [result, before === undefined || after === undefined ? undefined : after - before];
}

/** The floor: the CLI writing the export to /dev/null, nothing reading it. */
function saveToDevNull(image: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const started = performance.now();
    const p = spawn(DOCKER, ['image', 'save', image], { stdio: ['ignore', devNull, 'pipe'] });
    let err = '';
    p.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      closeSync(devNull);
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`docker save failed: ${err}`));
    });
  });
}

async function buildBenchImage(tag: string, dir: string): Promise<void> {
  process.stdout.write(`building ${tag} (~1 GB, legacy builder)… `);
  const buildStarted = performance.now();
  const leftovers = new BuildLeftovers();
  await leftovers.recordExisting({ dockerPath: DOCKER });
  const build = await runDocker(['build', '--force-rm', '-t', tag, dir], {
    dockerPath: DOCKER,
    env: { DOCKER_BUILDKIT: '0' },
    onLine: (line) => leftovers.observe(line),
  });
  if (build.code !== 0) {
    // The legacy builder keeps the step images of a failed build: hundreds of MB here.
    await leftovers.remove({ dockerPath: DOCKER });
    throw new Error(`build failed:\n${build.stdout.slice(-2000)}${build.stderr.slice(-2000)}`);
  }
  process.stdout.write(`${((performance.now() - buildStarted) / 1000).toFixed(1)} s\n`);
}

async function main(): Promise<void> {
  const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;
  const keep = args.includes('--keep');
  // --image TAG: measure an image built by an earlier --keep run instead of building one.
  const given = args.includes('--image') ? args[args.indexOf('--image') + 1] : undefined;
  const tag = given ?? `multistage-bench/xray:${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'multistage-xray-bench-'));
  const dockerfilePath = join(dir, 'Dockerfile');
  writeFileSync(dockerfilePath, DOCKERFILE);
  try {
    if (!given) await buildBenchImage(tag, dir);
    const size = Number((await runDocker(['image', 'inspect', '--format', '{{.Size}}', tag], { dockerPath: DOCKER })).stdout.trim());
    process.stdout.write(`image size (docker inspect): ${(size / 1e9).toFixed(3)} GB\n`);

    // One unmeasured pass of each, so both read the layers from the page cache alike.
    await saveToDevNull(tag);
    await runChild(tag, dockerfilePath);
    const floor: number[] = [];
    const xray: ChildResult[] = [];
    const floorDaemonCpu: number[] = [];
    const xrayDaemonCpu: number[] = [];
    const cpu = (s: number | undefined) => (s === undefined ? 'n/a' : `${s.toFixed(2)} s`);
    for (let i = 0; i < rounds; i++) {
      const [f, fd] = await withDaemonCpu(() => saveToDevNull(tag));
      const [x, xd] = await withDaemonCpu(() => runChild(tag, dockerfilePath));
      floor.push(f);
      xray.push(x);
      if (fd !== undefined && xd !== undefined) {
        floorDaemonCpu.push(fd);
        xrayDaemonCpu.push(xd);
      }
      process.stdout.write(
        `round ${i + 1}: save > /dev/null ${f.toFixed(2)} s (dockerd CPU ${cpu(fd)}), ` +
          `xrayImage ${x.seconds.toFixed(2)} s (dockerd CPU ${cpu(xd)}, X-ray process CPU ${x.cpuSeconds.toFixed(2)} s), peak RSS ${x.maxRssMb.toFixed(0)} MB\n`,
      );
    }
    const floorMedian = median(floor);
    const xrayMedian = median(xray.map((x) => x.seconds));
    const last = xray[xray.length - 1];
    const ratio = xrayMedian / floorMedian;
    process.stdout.write(
      [
        '',
        `image: ${last.layers} layers, ${(last.totalBytes / 1e9).toFixed(3)} GB of files, ${(last.wastedBytes / 1e6).toFixed(1)} MB wasted, efficiency ${last.efficiency.toFixed(4)}`,
        `docker save > /dev/null: median ${floorMedian.toFixed(2)} s (${(last.totalBytes / 1e6 / floorMedian).toFixed(0)} MB/s of files)`,
        `xrayImage (inspect + save + analysis): median ${xrayMedian.toFixed(2)} s`,
        `ratio xrayImage / floor: ${ratio.toFixed(2)}× (goal ≤ 1.5×: ${ratio <= 1.5 ? 'MET' : 'NOT MET'})`,
        ...(floorDaemonCpu.length > 0
          ? [
              `CPU: floor ${median(floorDaemonCpu).toFixed(2)} s in dockerd; X-ray ${median(xrayDaemonCpu).toFixed(2)} s in dockerd + ` +
                `${median(xray.map((x) => x.cpuSeconds)).toFixed(2)} s in the X-ray process (the CLIs' own CPU not counted; medians)`,
            ]
          : []),
        `peak RSS of the X-ray process: max ${Math.max(...xray.map((x) => x.maxRssMb)).toFixed(0)} MB over the rounds (Node + modules before the X-ray: ${last.rssBeforeMb.toFixed(0)} MB)`,
        `load average: ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim()}`,
        '',
      ].join('\n'),
    );
  } finally {
    if (!keep && !given) await runDocker(['image', 'rm', tag], { dockerPath: DOCKER });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args[0] === '--child') {
  child(args[1], readFileSync(args[2], 'utf8')).catch((error) => {
    process.stderr.write(String(error?.stack ?? error) + '\n');
    process.exit(1);
  });
} else {
  main().catch((error) => {
    process.stderr.write(String(error?.stack ?? error) + '\n');
    process.exit(1);
  });
}
