// Docker's variable substitution for the forms it supports in FROM and flags:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}.

export interface Substitution {
  text: string;
  /** True when a variable had no value and no default, so the result is a guess. */
  unresolved: boolean;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function substituteVariables(text: string, values: ReadonlyMap<string, string | undefined>): Substitution {
  if (!text.includes('$')) return { text, unresolved: false };
  let unresolved = false;
  const result = text.replace(VARIABLE, (_match, braced: string | undefined, op: string | undefined, word: string | undefined, plain: string | undefined) => {
    const name = (braced ?? plain)!;
    const value = values.get(name);
    const isSet = values.has(name) && value !== undefined;
    const isNonEmpty = isSet && value !== '';
    if (op === ':-') return isNonEmpty ? value! : word ?? '';
    if (op === '-') return isSet ? value! : word ?? '';
    if (op === ':+') return isNonEmpty ? word ?? '' : '';
    if (op === '+') return isSet ? word ?? '' : '';
    if (!isSet) {
      unresolved = true;
      return '';
    }
    return value!;
  });
  return { text: result, unresolved };
}
