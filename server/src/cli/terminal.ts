// How `multistage lint` writes to a terminal: colour only where people read it, as established linters do.
// FORCE_COLOR (any value but 0/false) wins over NO_COLOR (any non-empty value), as in Node itself, and
// FORCE_COLOR=0 turns colour off;
// otherwise colour follows whether stdout is a terminal (and not TERM=dumb).

export interface TerminalStyle {
  /** ANSI colours. */
  color: boolean;
  /** Problems grouped under a header per file (a person reads it) instead of one `file:line:col` line each. */
  grouped: boolean;
}

export function terminalStyle(env: NodeJS.ProcessEnv, isTTY: boolean): TerminalStyle {
  const force = env.FORCE_COLOR;
  const forced = force !== undefined && force !== '0' && force !== 'false';
  const refused = force === '0' || force === 'false';
  const color = forced || (!refused && !env.NO_COLOR && isTTY && env.TERM !== 'dumb');
  return { color, grouped: isTTY || forced };
}

const CODES = { bold: [1, 22], dim: [2, 22], underline: [4, 24], red: [31, 39], yellow: [33, 39], blue: [34, 39], green: [32, 39], gray: [90, 39] } as const;
export type Paint = (style: keyof typeof CODES, text: string) => string;

export function painter(color: boolean): Paint {
  return (style, text) => (color && text ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text);
}
