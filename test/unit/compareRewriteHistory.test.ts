// "Before the last Multistage rewrite": the code-action middleware and the history it fills, run outside
// VS Code against a minimal stand-in for the few `vscode` members they use (CodeAction, CodeActionKind,
// commands.registerCommand, Memento). The stand-in is installed for the `vscode` request only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';

class CodeActionKind {
  constructor(readonly value: string) {}
}
class CodeAction {
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(readonly title: string, readonly kind?: CodeActionKind) {}
}
const registered = new Map<string, (...args: unknown[]) => unknown>();
const vscodeStandIn = {
  CodeAction,
  CodeActionKind,
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      registered.set(id, handler);
      return { dispose: () => registered.delete(id) };
    },
  },
};
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? vscodeStandIn : originalLoad.call(this, request, ...rest);
};
// Loaded after the stand-in is in place.
const history = require('../../client/src/compare/rewriteHistory') as typeof import('../../client/src/compare/rewriteHistory');

class MemoryMemento {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

const document = (text: string) => ({ uri: { toString: () => 'file:///w/Dockerfile' }, getText: () => text });
type Middleware = typeof history.rememberTextBeforeRewrites;
const callMiddleware = (text: string, actions: unknown[]) =>
  (history.rememberTextBeforeRewrites as unknown as (...a: unknown[]) => Promise<CodeAction[]>)(
    document(text), {}, {}, {}, async () => actions,
  ) as ReturnType<Middleware>;

test('rewrite history: the middleware attaches the remember command to Multistage rewrites only', async () => {
  const split = new CodeAction('Split into builder and runtime stages', new CodeActionKind('refactor.rewrite.multistage.split'));
  const fixAll = new CodeAction('Fix all auto-fixable problems', new CodeActionKind('source.fixAll.multistage'));
  const splitAsQuickFix = new CodeAction('Split into builder and runtime stages', new CodeActionKind('quickfix'));
  const oneLine = new CodeAction('Add --no-install-recommends', new CodeActionKind('quickfix'));
  const other = new CodeAction('Extract variable', new CodeActionKind('refactor.extract'));
  const withCommand = new CodeAction('Reorder for layer cache', new CodeActionKind('refactor.rewrite.multistage.reorder'));
  withCommand.command = { command: 'someone.else', title: 'x' };
  const result = (await callMiddleware('FROM golang\nRUN go build\n', [split, fixAll, splitAsQuickFix, oneLine, other, withCommand]))!;
  assert.equal(result.length, 6);
  for (const action of [split, fixAll, splitAsQuickFix]) {
    assert.equal(action.command?.command, history.REMEMBER_REWRITE_COMMAND);
    assert.deepEqual(action.command?.arguments, ['file:///w/Dockerfile', 'FROM golang\nRUN go build\n', action.title]);
  }
  assert.equal(oneLine.command, undefined);
  assert.equal(other.command, undefined);
  assert.equal(withCommand.command?.command, 'someone.else', 'an existing command is left alone');
});

test('rewrite history: running the command stores the text; textBefore answers per file', async () => {
  const state = new MemoryMemento();
  const store = new history.RewriteHistory(state as never);
  const disposable = history.registerRewriteHistory(store);
  await registered.get(history.REMEMBER_REWRITE_COMMAND)!('file:///w/Dockerfile', 'FROM golang\n', 'Split into builder and runtime stages');
  const remembered = store.textBefore({ toString: () => 'file:///w/Dockerfile' } as never);
  assert.equal(remembered?.text, 'FROM golang\n');
  assert.equal(remembered?.title, 'Split into builder and runtime stages');
  assert.equal(store.textBefore({ toString: () => 'file:///w/other' } as never), undefined);
  disposable.dispose();
});

test('rewrite history: keeps the 20 most recent files and ignores malformed or huge arguments', async () => {
  const state = new MemoryMemento();
  const store = new history.RewriteHistory(state as never);
  for (let i = 0; i < 25; i++) {
    store.remember(`file:///w/${i}`, `text ${i}`, 't');
    await new Promise((r) => setTimeout(r, 2)); // distinct timestamps
  }
  assert.equal(store.textBefore({ toString: () => 'file:///w/0' } as never), undefined, 'oldest dropped');
  assert.equal(store.textBefore({ toString: () => 'file:///w/24' } as never)?.text, 'text 24');
  store.remember('file:///w/big', 'x'.repeat(1_000_001), 't');
  store.remember(42 as never, 'text', 't');
  assert.equal(store.textBefore({ toString: () => 'file:///w/big' } as never), undefined);
  assert.equal(Object.keys(state.get<Record<string, unknown>>('multistage.compare.textBeforeRewrite')!).length, 20);
});
