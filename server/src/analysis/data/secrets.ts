// Which ARG/ENV names hold secrets. Names are split into words on `_`, `-` and `.`; a name is secret-looking
// when one word (or a pair of adjacent words) says so and no word says it is only *about* a secret
// (a file path, a URL, a length, a public key...). `GPG_KEY` in the official images is a public key
// fingerprint, not a secret, so a bare KEY word is not enough.

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pword', 'pass', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials', 'privatekey', 'accesskey', 'secretkey']);

const SECRET_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'], ['access', 'key'], ['private', 'key'], ['secret', 'key'], ['client', 'secret'],
  ['auth', 'key'], ['signing', 'key'], ['encryption', 'key'], ['master', 'key'], ['license', 'key'],
  ['account', 'key'], ['storage', 'key'], ['sas', 'key'], ['auth', 'token'],
];

/** Words that make the variable a reference to, or a property of, a secret rather than the secret itself. */
const NOT_THE_SECRET = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'url', 'uri', 'endpoint', 'host', 'hostname', 'port', 'length', 'len',
  'min', 'max', 'enabled', 'enable', 'disable', 'disabled', 'type', 'mode', 'policy', 'header', 'name', 'format',
  'expiry', 'expires', 'ttl', 'timeout', 'hash', 'algorithm', 'algo', 'public', 'pub', 'gpg', 'pgp', 'fingerprint',
  'method', 'reset', 'field', 'prefix', 'version', 'ver', 'location', 'store',
  'manager', 'provider', 'helper', 'env', 'var', 'required', 'keyring', 'keyserver',
  // Settings about a secret rather than the secret (MYSQL_ALLOW_EMPTY_PASSWORD=yes, *_CREDENTIAL_*_CONFIG).
  'config', 'cfg', 'conf', 'allow', 'empty', 'random', 'generate', 'skip', 'require', 'use',
]);

/** Splits SOME_API-Key.name into lower-case words; also splits camelCase. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-.]+/)
    .filter(Boolean);
}

/**
 * False when no name in `text` can look secret: each of SECRET_WORDS and SECRET_PAIRS' second words
 * contains one of these (case-insensitively), and a name's words are substrings of the name.
 */
const SECRET_SUBSTRING = /pass|pwd|pword|secret|token|key|credential/i;
export function mayNameSecret(text: string): boolean {
  return SECRET_SUBSTRING.test(text);
}

/** The part of the name that makes it look secret ("PASSWORD", "API_KEY"), or undefined. */
export function secretWordIn(name: string): string | undefined {
  const w = words(name);
  // $PWD is the working directory, not a password.
  if (w.length === 1 && w[0] === 'pwd') return undefined;
  if (w.some((x) => NOT_THE_SECRET.has(x))) return undefined;
  const single = w.find((x) => SECRET_WORDS.has(x));
  if (single) return single.toUpperCase();
  for (let i = 0; i + 1 < w.length; i++) {
    if (SECRET_PAIRS.some(([a, b]) => w[i] === a && w[i + 1] === b)) return `${w[i]}_${w[i + 1]}`.toUpperCase();
  }
  return undefined;
}
