// The runner's docker-registry as the registry test harness's push helpers expect it. The registry is
// open (no token auth), and the runner, not the caller, stops it.
import type { RunningRegistry } from '../../../registry/registryHarness';

export function runnerRegistry(host: string): RunningRegistry {
  const [, port] = host.split(':');
  return {
    host,
    port: Number(port),
    tokenRequests: [],
    tokenRefusals: 0,
    stop: async () => {},
    pushAuthorization: () => undefined,
  };
}
