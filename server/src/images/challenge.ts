// WWW-Authenticate challenges (RFC 7235) as registries send them:
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"
// The token flow is driven entirely by what the registry says here, never by a table of known hosts.

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses one or more challenges; unknown syntax yields what could be read, never an exception. */
export function parseChallenges(header: string | null | undefined): AuthChallenge[] {
  if (!header) return [];
  const challenges: AuthChallenge[] = [];
  const re = /\s*([A-Za-z][\w-]*)(?:\s+|$)|\s*([\w-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,]*)\s*,?/gy;
  let current: AuthChallenge | undefined;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < header.length) {
    re.lastIndex = position;
    match = re.exec(header);
    if (!match || match[0].length === 0) {
      // Skip a stray character (comma, junk) rather than give up on the whole header.
      position++;
      continue;
    }
    position = re.lastIndex;
    if (match[1] && !match[2]) {
      // A bare word: either a new scheme or the next challenge after a comma.
      current = { scheme: match[1].toLowerCase(), params: {} };
      challenges.push(current);
    } else if (match[2] && current) {
      const value = match[4] !== undefined ? match[4].replace(/\\(.)/g, '$1') : match[3];
      current.params[match[2].toLowerCase()] = value;
    }
  }
  return challenges;
}
