// OCI platforms ("linux/arm64/v8") and how an index entry is matched against the one wanted.

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const NODE_ARCH_TO_OCI: Record<string, string> = {
  x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64',
};

export function parsePlatform(text: string | undefined): Platform | undefined {
  if (!text) return undefined;
  const [os, architecture, variant] = text.trim().toLowerCase().split('/');
  if (!os || !architecture || /[$\s]/.test(text)) return undefined;
  return { os, architecture: architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture, variant: variant || undefined };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** The machine's own platform, as Docker would pick it when FROM has no --platform. */
export function hostPlatform(nodeArch: string = process.arch): Platform {
  const architecture = NODE_ARCH_TO_OCI[nodeArch] ?? nodeArch;
  return { os: 'linux', architecture, variant: architecture === 'arm' ? 'v7' : undefined };
}

/**
 * Whether an index entry serves the wanted platform. arm64 images are published without a variant or
 * with "v8", which mean the same thing; a wanted variant otherwise has to match exactly.
 */
export function platformMatches(entry: Partial<Platform> | undefined, wanted: Platform): boolean {
  if (!entry || entry.os !== wanted.os || entry.architecture !== wanted.architecture) return false;
  if (!wanted.variant) return true;
  const have = entry.variant ?? (entry.architecture === 'arm64' ? 'v8' : undefined);
  return have === wanted.variant;
}

/** The platform a FROM line is built for: its --platform, else the setting, else the host's. */
export function effectivePlatform(fromFlag: string | undefined, setting: string | undefined): Platform {
  return parsePlatform(fromFlag) ?? parsePlatform(setting) ?? hostPlatform();
}
