// The build context of a Dockerfile on disk, for the CLI: the Dockerfile's folder unless --context says otherwise.
import type { ContextFiles } from '../analysis/types';

export function contextForDockerfile(_file: string, _contextDir: string | undefined): ContextFiles | undefined {
  return undefined;
}
