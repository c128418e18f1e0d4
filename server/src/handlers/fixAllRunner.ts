// Runs fix-all jobs in a worker thread (server/out/fixAllWorker.js, see fixAllWorker.ts) so that the
// server answers other requests meanwhile. One worker, started on first use and kept; a job that is
// cancelled or whose document changed terminates it (the next job starts a fresh one). Where the worker
// bundle is missing (the sources run through tsx in unit tests), the steps run here, yielding to the
// event loop between them.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixAllSteps } from '../analysis/fixAll';
import type { RuleContext } from '../analysis/types';
import type { FixAllAnswer, FixAllJob } from '../fixAllWorker';

const WORKER = join(__dirname, 'fixAllWorker.js');

export class FixAllRunner {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly log: (message: string) => void) {}

  /** The fixed text, or undefined when `stale()` said to stop first. */
  run(text: string, ctx: RuleContext, stale: () => boolean): Promise<string | undefined> {
    // Jobs run one at a time: a second request waits for the first, then checks whether it is stale.
    const result = this.queue.then(() => (stale() ? undefined : existsSync(WORKER) ? this.inWorker(text, ctx, stale) : this.inSteps(text, ctx, stale)));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private inWorker(text: string, ctx: RuleContext, stale: () => boolean): Promise<string | undefined> {
    const job: FixAllJob = {
      text,
      settings: ctx.settings,
      context: ctx.context ? { root: ctx.context.root, dockerfile: ctx.context.dockerfile } : undefined,
      images: ctx.images ? [...ctx.images] : undefined,
    };
    const worker = (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      const poll = setInterval(() => {
        if (!stale()) return;
        finish();
        // Its answer would be for a text the user has moved on from: stop the work itself.
        void worker.terminate();
        if (this.worker === worker) this.worker = undefined;
        resolve(undefined);
      }, 20);
      const onMessage = (answer: FixAllAnswer) => {
        finish();
        if ('error' in answer) reject(new Error(answer.error));
        else resolve(answer.text);
      };
      const onExit = (code: number) => {
        finish();
        if (this.worker === worker) this.worker = undefined;
        reject(new Error(`the fix-all worker stopped (exit code ${code})`));
      };
      const finish = () => {
        clearInterval(poll);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER);
    worker.on('error', (error) => this.log(`The fix-all worker failed: ${error.stack ?? String(error)}`));
    worker.unref();
    return worker;
  }

  private async inSteps(text: string, ctx: RuleContext, stale: () => boolean): Promise<string | undefined> {
    const steps = fixAllSteps(text, ctx);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value.text;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stale()) return undefined;
    }
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
