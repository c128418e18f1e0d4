// hadolint codes that mean the same as a Multistage rule, so `# hadolint ignore=DLxxxx` written for
// hadolint also silences the matching Multistage rule. One table, read by the suppression code.
export const HADOLINT_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = {
  DL3002: ['runs-as-root'],
  DL3006: ['unpinned-base-image'],
  DL3007: ['unpinned-base-image'],
  DL3009: ['apt-lists-not-removed'],
  DL3015: ['apt-recommends-installed'],
  DL3019: ['apk-cache-kept'],
  DL3020: ['add-instead-of-copy'],
  DL3022: ['unknown-stage-reference'],
  DL3023: ['stage-referenced-before-defined'],
  DL3024: ['duplicate-stage-name'],
  DL3032: ['package-cache-kept'],
  DL3036: ['package-cache-kept'],
  DL3040: ['package-cache-kept'],
  DL3042: ['pip-cache-kept'],
  DL3060: ['package-cache-kept'],
};

/** Multistage rule ids silenced by a list of hadolint codes. */
export function rulesForHadolintCodes(codes: Iterable<string>): string[] {
  const rules: string[] = [];
  for (const code of codes) rules.push(...(HADOLINT_EQUIVALENTS[code.trim().toUpperCase()] ?? []));
  return rules;
}
