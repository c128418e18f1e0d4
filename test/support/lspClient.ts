// The one LSP client of the protocol tests and the server benchmarks: spawns Multistage's bundled server
// (`node server/out/server.js --stdio`, or another language server's argv for comparisons) as an argv
// array in its own process group, frames JSON-RPC with Content-Length headers, answers the server's own
// requests (workspace/configuration from `settings`, empty results otherwise), records notifications for
// tests to wait on, and on shutdown kills the server's process group whatever state it is in.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SERVER_BUNDLE = join(__dirname, '..', '..', 'server', 'out', 'server.js');

type Json = any; // JSON-RPC payloads are whatever the server sends; callers pick the fields they need.
export type Message = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: Json; result?: Json; error?: Json };

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Json[];
  /** performance.now() when the notification was read. */
  receivedAt: number;
}

/** What `start()` announces: diagnostics with versions, and no workspace/configuration (defaults apply). */
const PLAIN_CAPABILITIES = { textDocument: { publishDiagnostics: { versionSupport: true } } };
const EDITOR_CAPABILITIES = { workspace: { configuration: true }, ...PLAIN_CAPABILITIES };

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  readonly notifications: Message[] = [];
  /** The configuration section returned to workspace/configuration, per scope URI or '*' ({} when unset). */
  settings: Record<string, unknown> = {};
  configurationRequests = 0;
  stderr = '';
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private exited = false;
  private readonly pending = new Map<number, { resolve(v: Json): void; reject(e: Error): void }>();
  private readonly diagnosticsListeners = new Set<(d: PublishedDiagnostics) => void>();

  /**
   * Spawns the server; call initialize() or initializeWorkspace() next. `args` follow `command`, which
   * defaults to Node running the bundled server.
   */
  constructor(args: string[] = ['--stdio'], env: NodeJS.ProcessEnv = process.env, command: readonly string[] = [process.execPath, SERVER_BUNDLE]) {
    const [program, ...leading] = command;
    this.process = spawn(program, [...leading, ...args], { stdio: 'pipe', env, detached: true });
    this.process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.on('exit', () => {
      this.exited = true;
      for (const { reject } of this.pending.values()) reject(new Error(`server exited: ${this.stderr.slice(-500)}`));
      this.pending.clear();
    });
  }

  /** Starts and initializes Multistage's bundled server, or `command` (another language server's argv). */
  static async start(options: { initializationOptions?: Json; command?: string[] } = {}): Promise<LspClient> {
    const client = options.command ? new LspClient([], process.env, options.command) : new LspClient();
    await client.initialize(options.initializationOptions ?? {}, PLAIN_CAPABILITIES);
    return client;
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Resident set size of the server process in MB, from /proc (Linux). */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  }

  request<T = Json>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  async initialize(initializationOptions: unknown = {}, capabilities: unknown = EDITOR_CAPABILITIES): Promise<Json> {
    const result = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    this.notify('initialized', {});
    return result;
  }

  /** initialize + initialized with one workspace folder, as an editor opening a folder does. */
  async initializeWorkspace(folder: string, workspaceCapabilities: Record<string, unknown> = {}): Promise<Json> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'ws' }],
      capabilities: { ...EDITOR_CAPABILITIES, workspace: { configuration: true, workspaceFolders: true, ...workspaceCapabilities } },
      initializationOptions: {},
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
  }

  change(uri: string, version: number, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Calls `listener` with every diagnostics publication from now on; returns the function that stops it. */
  onDiagnostics(listener: (d: PublishedDiagnostics) => void): () => void {
    this.diagnosticsListeners.add(listener);
    return () => this.diagnosticsListeners.delete(listener);
  }

  /** Resolves with the first publication for `uri` from now on that matches, or rejects after `timeoutMs`. */
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

  /** Polls the recorded notifications (from index `from` on) until one matches, or fails after the timeout. */
  async waitFor(predicate: (m: Message) => boolean, timeoutMs = 10_000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching notification within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The diagnostics published for a document version (the first recorded notification that matches). */
  async diagnosticsFor(uri: string, version?: number, timeoutMs = 10_000): Promise<Json[]> {
    const m = await this.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && (version === undefined || n.params.version === version),
      timeoutMs,
    );
    return m.params.diagnostics;
  }

  /** Ends the server politely (shutdown, exit), then kills its process group whatever happened. */
  async shutdown(): Promise<void> {
    try {
      if (!this.exited) {
        await this.request('shutdown', null, 3000);
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

  private write(message: Message): void {
    if (this.exited) throw new Error('server has exited');
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const match = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!match) throw new Error('bad header');
      const length = Number(match[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(JSON.parse(body) as Message, performance.now());
    }
  }

  private onMessage(message: Message, receivedAt: number): void {
    if (message.id !== undefined && message.method) {
      this.answerServerRequest(message);
    } else if (message.id !== undefined) {
      const waiter = this.pending.get(message.id as number);
      this.pending.delete(message.id as number);
      if (message.error) waiter?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter?.resolve(message.result);
    } else {
      this.notifications.push(message);
      if (message.method === 'textDocument/publishDiagnostics') {
        const published: PublishedDiagnostics = { ...message.params, receivedAt };
        for (const listener of [...this.diagnosticsListeners]) listener(published);
      }
    }
  }

  /** workspace/configuration gets `settings` (per scope, then '*', else {}: defaults); anything else null. */
  private answerServerRequest(message: Message): void {
    let result: unknown = null;
    if (message.method === 'workspace/configuration') {
      this.configurationRequests++;
      result = ((message.params?.items ?? []) as { scopeUri?: string }[]).map((item) => this.settings[item.scopeUri ?? ''] ?? this.settings['*'] ?? {});
    }
    if (!this.exited) this.write({ jsonrpc: '2.0', id: message.id, result });
  }
}
