// Reads `docker build` output line by line and keeps "where is this build now" for the progress
// notification. Understands BuildKit's --progress=plain (`#7 [builder 3/5] RUN go build`) and the
// legacy builder (`Step 3/5 : RUN go build`).

export interface BuildStep {
  /** 1-based step within its stage, when the builder says it. */
  current?: number;
  total?: number;
  /** Stage name as BuildKit prints it (`builder`, `stage-1`), when known. */
  stage?: string;
  /** The instruction (or internal action) being run, one line, shortened. */
  text: string;
}

const BUILDKIT_VERTEX = /^#(\d+) \[([^\]]*)\] (.*)$/;
const BUILDKIT_STAGE_STEP = /^(?:(.+) )?(\d+)\/(\d+)$/;
const LEGACY_STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const MAX_TEXT = 80;

export class BuildProgress {
  private latest: BuildStep | undefined;
  private readonly recent: string[] = [];
  /** BuildKit vertex ids whose step was shown, to count finished steps. */
  private readonly seenVertices = new Set<string>();

  constructor(private readonly keepLines = 40) {}

  /** Feeds one output line; returns the new current step when this line started one. */
  push(line: string): BuildStep | undefined {
    this.recent.push(line);
    if (this.recent.length > this.keepLines) this.recent.shift();
    const step = parseStepLine(line);
    if (!step) return undefined;
    const vertex = /^#(\d+) /.exec(line)?.[1];
    if (vertex !== undefined) {
      if (this.seenVertices.has(vertex)) return undefined;
      this.seenVertices.add(vertex);
    }
    this.latest = step;
    return step;
  }

  get current(): BuildStep | undefined {
    return this.latest;
  }

  /** The last lines of output, for a "build failed" message. Blank and timing-only lines are left out. */
  lastLines(count = 12): string[] {
    return this.recent.filter((l) => l.trim() !== '' && !/^#\d+ (DONE|CACHED)\b/.test(l)).slice(-count);
  }
}

export function parseStepLine(line: string): BuildStep | undefined {
  const buildkit = BUILDKIT_VERTEX.exec(line);
  if (buildkit) {
    const [, , bracket, rest] = buildkit;
    const stageStep = BUILDKIT_STAGE_STEP.exec(bracket);
    if (stageStep) {
      return {
        stage: stageStep[1],
        current: Number(stageStep[2]),
        total: Number(stageStep[3]),
        text: shorten(rest),
      };
    }
    return { stage: bracket, text: shorten(rest) };
  }
  const legacy = LEGACY_STEP.exec(line);
  if (legacy) return { current: Number(legacy[1]), total: Number(legacy[2]), text: shorten(legacy[3]) };
  return undefined;
}

export function describeStep(step: BuildStep | undefined): string {
  if (!step) return 'starting';
  const where =
    step.current !== undefined ? `${step.stage ? `${step.stage} ` : ''}${step.current}/${step.total}` : step.stage;
  return where ? `[${where}] ${step.text}` : step.text;
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT - 1)}…` : one;
}
