// A tiny LSP client for protocol tests: spawns the bundled server over stdio, frames JSON-RPC,
// answers the server's own requests (workspace/configuration from `settings`), and lets tests wait
// for notifications by polling with a timeout.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SERVER_JS = join(__dirname, '..', '..', 'server', 'out', 'server.js');

type Message = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: any; result?: any; error?: any };

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  readonly notifications: Message[] = [];
  /** The `multistage` configuration section returned to workspace/configuration, per scope URI or '*'. */
  settings: Record<string, unknown> = {};
  configurationRequests = 0;
  stderr = '';
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();

  constructor(args: string[] = ['--stdio'], env: NodeJS.ProcessEnv = process.env) {
    this.process = spawn(process.execPath, [SERVER_JS, ...args], { stdio: 'pipe', env });
    this.process.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const match = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString());
      if (!match) throw new Error('bad header');
      const length = Number(match[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(JSON.parse(body) as Message);
    }
  }

  private onMessage(message: Message): void {
    if (message.id !== undefined && message.method) {
      this.answerServerRequest(message);
    } else if (message.id !== undefined) {
      const waiter = this.pending.get(message.id as number);
      this.pending.delete(message.id as number);
      if (message.error) waiter?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter?.resolve(message.result);
    } else {
      this.notifications.push(message);
    }
  }

  private answerServerRequest(message: Message): void {
    let result: unknown = null;
    if (message.method === 'workspace/configuration') {
      this.configurationRequests++;
      result = (message.params.items as { scopeUri?: string; section?: string }[]).map((item) =>
        this.settings[item.scopeUri ?? ''] ?? this.settings['*'] ?? {},
      );
    }
    this.write({ jsonrpc: '2.0', id: message.id, result });
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out after ${timeoutMs} ms`)), timeoutMs);
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

  async initialize(initializationOptions: unknown = {}, capabilities: unknown = { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } }) {
    const result = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    this.notify('initialized', {});
    return result;
  }

  /** initialize + initialized with one workspace folder, as an editor opening a folder does. */
  async initializeWorkspace(folder: string, workspaceCapabilities: Record<string, unknown> = {}) {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'ws' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, ...workspaceCapabilities }, textDocument: { publishDiagnostics: { versionSupport: true } } },
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

  /** Polls until a notification matches, or fails after the timeout. */
  async waitFor(predicate: (m: Message) => boolean, timeoutMs = 10_000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching notification within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The diagnostics published for a document version (the newest matching notification). */
  async diagnosticsFor(uri: string, version?: number, timeoutMs = 10_000): Promise<any[]> {
    const m = await this.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && (version === undefined || n.params.version === version),
      timeoutMs,
    );
    return m.params.diagnostics;
  }

  async shutdown(): Promise<void> {
    try {
      await this.request('shutdown', null, 3000);
      this.notify('exit', null);
    } catch {
      // The server may already be gone; it is killed below either way.
    }
    await new Promise<void>((resolve) => {
      if (this.process.exitCode !== null) return resolve();
      const timer = setTimeout(() => (this.process.kill('SIGKILL'), resolve()), 2000);
      this.process.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }
}
