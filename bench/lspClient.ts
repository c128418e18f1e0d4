// A minimal LSP client over stdio for the server benchmarks and the latency protocol tests: spawns
// `node server/out/server.js --stdio` (argv array, own process group), frames JSON-RPC with
// Content-Length headers, answers the server's own requests with empty results, and always kills the
// server's process group on close, even when the server hangs.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_BUNDLE = join(__dirname, '..', 'server', 'out', 'server.js');

type Json = any; // JSON-RPC payloads are whatever the server sends; callers pick the fields they need.

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Json[];
  /** performance.now() when the notification was read. */
  receivedAt: number;
}

export class LspClient {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve(v: Json): void; reject(e: Error): void }>();
  private readonly diagnosticsListeners = new Set<(d: PublishedDiagnostics) => void>();
  readonly stderr: string[] = [];
  private exited = false;

  private constructor(readonly process: ChildProcess) {
    process.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
    process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    process.on('exit', () => {
      this.exited = true;
      for (const { reject } of this.pending.values()) reject(new Error(`server exited: ${this.stderr.join('').slice(-500)}`));
      this.pending.clear();
    });
  }

  /** Starts Multistage's bundled server, or `command` (argv: another language server, for comparisons). */
  static async start(options: { initializationOptions?: Json; command?: string[] } = {}): Promise<LspClient> {
    const [program, ...args] = options.command ?? [process.execPath, SERVER_BUNDLE, '--stdio'];
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const client = new LspClient(child);
    await client.request('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: options.initializationOptions ?? {},
    });
    client.notify('initialized', {});
    return client;
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Resident set size of the server process in MB, from /proc (Linux). */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  }

  request(method: string, params: Json): Promise<Json> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  onDiagnostics(listener: (d: PublishedDiagnostics) => void): () => void {
    this.diagnosticsListeners.add(listener);
    return () => this.diagnosticsListeners.delete(listener);
  }

  /** Resolves with the first publication for `uri` that matches, or rejects after `timeoutMs`. */
  waitForDiagnostics(uri: string, timeoutMs: number, matches: (d: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = this.onDiagnostics((d) => {
        if (d.uri !== uri || !matches(d)) return;
        clearTimeout(timer);
        stop();
        resolve(d);
      });
    });
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
  }

  /** Ends the server politely, then kills its process group whatever happened. */
  async close(): Promise<void> {
    try {
      if (!this.exited) {
        await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
        this.notify('exit', null);
        await Promise.race([new Promise((r) => this.process.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]);
      }
    } catch {
      // The server is gone or broken; the kill below is what matters.
    } finally {
      if (!this.exited) {
        try {
          process.kill(-this.pid, 'SIGKILL');
        } catch {
          // Already exited between the check and the kill.
        }
      }
    }
  }

  private send(message: Json): void {
    if (this.exited) throw new Error('server has exited');
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin!.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body), performance.now());
    }
  }

  private dispatch(message: Json, receivedAt: number): void {
    if (message.id !== undefined && message.method === undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.error) waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter.resolve(message.result);
    } else if (message.id !== undefined) {
      // A request from the server (configuration, registerCapability, …): empty answers mean defaults.
      const result = message.method === 'workspace/configuration' ? (message.params?.items ?? []).map(() => null) : null;
      this.send({ jsonrpc: '2.0', id: message.id, result });
    } else if (message.method === 'textDocument/publishDiagnostics') {
      const published = { ...message.params, receivedAt } as PublishedDiagnostics;
      for (const listener of [...this.diagnosticsListeners]) listener(published);
    }
  }
}
