// compare and xray share one reaction to Ctrl-C and SIGTERM (server/src/cli/stopSignals.ts): both cancel
// the run; only SIGTERM turns the cancelled exit code 130 into 143; nothing stays registered afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenForStopSignals } from '../../server/src/cli/stopSignals';
import { engineFailureExitCode, EXIT_BUILD_FAILED, EXIT_CANCELLED, EXIT_DOCKER_UNAVAILABLE, EXIT_TERMINATED } from '../../server/src/cli/exitCodes';

for (const [name, expected] of [['SIGINT', EXIT_CANCELLED], ['SIGTERM', EXIT_TERMINATED]] as const) {
  test(`stop signals: ${name} cancels the run and a cancelled run exits ${expected}`, () => {
    const before = process.listenerCount(name);
    const stop = listenForStopSignals();
    try {
      assert.equal(stop.signal.aborted, false);
      assert.equal(stop.exitCode(EXIT_CANCELLED), EXIT_CANCELLED, 'no signal yet');
      process.emit(name, name);
      assert.equal(stop.signal.aborted, true);
      assert.equal(stop.exitCode(EXIT_CANCELLED), expected);
      assert.equal(stop.exitCode(EXIT_BUILD_FAILED), EXIT_BUILD_FAILED, 'other codes pass through');
    } finally {
      stop.dispose();
    }
    assert.equal(process.listenerCount(name), before);
  });
}

test('stop signals: dispose removes both listeners when no signal came', () => {
  const [int, term] = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
  const stop = listenForStopSignals();
  assert.equal(process.listenerCount('SIGINT'), int + 1);
  assert.equal(process.listenerCount('SIGTERM'), term + 1);
  stop.dispose();
  assert.deepEqual([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')], [int, term]);
});

test('engine failures: missing or unreachable engine 3, cancelled 130, anything else 1', () => {
  assert.equal(engineFailureExitCode('cli-missing'), EXIT_DOCKER_UNAVAILABLE);
  assert.equal(engineFailureExitCode('daemon-unreachable'), EXIT_DOCKER_UNAVAILABLE);
  assert.equal(engineFailureExitCode('cancelled'), EXIT_CANCELLED);
  for (const kind of ['build-failed', 'no-such-image', 'docker-error']) assert.equal(engineFailureExitCode(kind), EXIT_BUILD_FAILED, kind);
});
