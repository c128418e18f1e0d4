// Plain data of the behaviour check (run two images the same way, ask them the same questions, compare the
// answers). JSON values only: the CLI prints it, the panel renders it, "Save JSON" writes it.

/** One request sent to both images. */
export interface ProbeSpec {
  method: string;
  /** Starts with '/'; sent as is (query string included). */
  path: string;
  /** Container port; default: the first exposed port (the "before" image's, then the "after" one's). */
  port?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Where the request came from: every exposed port's `/`, the image's HEALTHCHECK, the setting or --probe. */
  source?: 'default' | 'healthcheck' | 'user';
}

/** What one image answered to one request. */
export interface HttpAnswer {
  status?: number;
  /** Why there is no status: not listening, connection reset, timed out, the container exited… */
  error?: string;
  contentType?: string;
  bodyBytes?: number;
  /** sha256 of the whole body (hex), to tell identical bodies from different ones. */
  bodySha256?: string;
  /** The start of the body, one line, for showing side by side. */
  bodyExcerpt?: string;
  ms?: number;
}

/** What the default command of an image without an exposed port did. */
export interface RunAnswer {
  /** Set when the container exited within the time limit. */
  exitCode?: number;
  /** True when it was still running at the time limit (a server that exposes no port, a long job). */
  stillRunning?: boolean;
  seconds: number;
  /** The container's stdout and stderr (the last 64 kB of each). */
  stdout: string;
  stderr: string;
}

/** Everything observed of one image. */
export interface ImageBehaviour {
  image: string;
  /** Container ports that were published (on 127.0.0.1 only). */
  ports: number[];
  /** One answer per probe, in the probes' order (empty in run mode). */
  answers: HttpAnswer[];
  run?: RunAnswer;
  /** `docker run` itself failed (bad image config, port clash…). */
  startError?: string;
  /** Set when the container exited while it was being probed. */
  exitedEarly?: { exitCode: number };
  /** The container's last log lines, to explain a difference. */
  logTail: string[];
}

export interface BehaviourRequest {
  method: string;
  path: string;
  port: number;
  source: 'default' | 'healthcheck' | 'user';
  /** True for requests that carried a body (writes). */
  hasBody?: boolean;
  before: HttpAnswer;
  after: HttpAnswer;
  /** Same status, or both without an answer. */
  same: boolean;
  /** Same status but different bodies (shown, not counted as a difference: bodies often hold times or ids). */
  bodiesDiffer?: boolean;
}

export interface BehaviourReport {
  /** 'http': requests were sent; 'run': no port to ask, so the default command's exit code and output. */
  kind: 'http' | 'run';
  requests: BehaviourRequest[];
  run?: { before: RunAnswer; after: RunAnswer; sameExitCode: boolean; sameOutput: boolean };
  /** Requests (or, in run mode, 1 for the run) where After answered like Before, and how many there were. */
  matched: number;
  total: number;
  /** True when After behaved like Before on everything that was checked. */
  alike: boolean;
  /** One line: "After behaves like Before on 5 of 5 requests." or the differences. */
  verdict: string;
  /** Per image: whether it started, its last log lines. */
  sides: { before: SideSummary; after: SideSummary };
  /** Things worth knowing that are not differences (bodies differ, probes that could not be placed…). */
  notes: string[];
}

export interface SideSummary {
  image: string;
  startError?: string;
  exitedEarly?: { exitCode: number };
  logTail: string[];
}
