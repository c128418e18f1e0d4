// Shared libraries that packages the app depends on load at run time. A full language image (python:3.11,
// ruby:3.3, rust:1.79, all built on buildpack-deps) already carries libpq, libmariadb, libssl and the CA
// certificates, so the single-stage original never installed them; the slim runtime does not have them.
// Read from the manifests the build context holds; Debian bookworm package names.
import type { ContextFiles } from '../types';

export interface RuntimeNeed {
  packages: string[];
  /** Why, for the comment above the install line. */
  reason: string;
}

/** Python distributions that link a system library instead of bundling it in their wheel. */
const PYTHON: Array<[RegExp, string[]]> = [
  [/^psycopg$/, ['libpq5']],
  [/^psycopg2$/, ['libpq5']],
  [/^mysqlclient$/, ['libmariadb3']],
  [/^python-ldap$/, ['libldap-2.5-0', 'libsasl2-2']],
  [/^pyodbc$/, ['unixodbc']],
  [/^python-magic$/, ['libmagic1']],
  [/^(?:cairosvg|cairocffi|pycairo)$/, ['libcairo2']],
  [/^weasyprint$/, ['libpango-1.0-0', 'libpangoft2-1.0-0']],
  [/^gdal$/, ['libgdal32']],
  [/^pyvips$/, ['libvips42']],
];

const RUBY: Array<[RegExp, string[]]> = [
  [/^pg$/, ['libpq5']],
  [/^mysql2$/, ['libmariadb3']],
  [/^rmagick$/, ['libmagickwand-6.q16-6']],
  [/^ruby-vips$/, ['libvips42']],
];

/** Requirement names from requirements*.txt (also under requirements/), pyproject.toml and Pipfile. */
export function pythonRequirements(context: ContextFiles): Array<{ name: string; extras: string }> {
  const files = [
    ...context.list('').filter((f) => /^requirements[^/]*\.(?:txt|in)$/.test(f)),
    ...(context.isDirectory('requirements') ? context.list('requirements').filter((f) => /\.(?:txt|in)$/.test(f)).map((f) => `requirements/${f}`) : []),
  ];
  const out: Array<{ name: string; extras: string }> = [];
  const push = (spec: string) => {
    const m = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?/.exec(spec);
    if (m) out.push({ name: m[1].toLowerCase().replace(/_/g, '-'), extras: (m[2] ?? '').toLowerCase() });
  };
  for (const file of files) {
    for (const line of (context.read(file) ?? '').split('\n')) if (!/^\s*(?:#|-)/.test(line)) push(line);
  }
  const pyproject = context.read('pyproject.toml') ?? '';
  const deps = /\bdependencies\s*=\s*\[([\s\S]*?)\]/.exec(pyproject)?.[1];
  if (deps) for (const m of deps.matchAll(/["']([^"']+)["']/g)) push(m[1]);
  const poetry = /\[tool\.poetry\.dependencies\]([\s\S]*?)(?:\n\[|$)/.exec(pyproject)?.[1] ?? '';
  const pipfile = /\[packages\]([\s\S]*?)(?:\n\[|$)/.exec(context.read('Pipfile') ?? '')?.[1] ?? '';
  for (const line of `${poetry}\n${pipfile}`.split('\n')) if (/^\s*[A-Za-z]/.test(line)) push(line.split('=')[0]);
  return out;
}

function gems(context: ContextFiles): string[] {
  const gemfile = context.read('Gemfile') ?? '';
  return [...gemfile.matchAll(/^\s*gem\s+["']([\w-]+)["']/gm)].map((m) => m[1].toLowerCase());
}

function cargoDependencies(context: ContextFiles): string {
  const manifest = context.read('Cargo.toml') ?? '';
  return /\[dependencies\]([\s\S]*?)(?:\n\[(?!dependencies\.)|$)/.exec(manifest)?.[1] ?? '';
}

export function runtimeNeeds(ecosystem: 'python' | 'ruby' | 'rust', context: ContextFiles | undefined): RuntimeNeed[] {
  if (!context) return [];
  const out: RuntimeNeed[] = [];
  if (ecosystem === 'python') {
    const reqs = pythonRequirements(context);
    const names = new Set(reqs.map((r) => r.name));
    for (const req of reqs) {
      // psycopg[binary] and psycopg-binary bring their own libpq.
      if (req.name === 'psycopg' && (/binary/.test(req.extras) || names.has('psycopg-binary'))) continue;
      const hit = PYTHON.find(([pattern]) => pattern.test(req.name));
      if (hit) out.push({ packages: hit[1], reason: `${req.name} loads ${hit[1].join(', ')}` });
    }
  } else if (ecosystem === 'ruby') {
    for (const gem of gems(context)) {
      const hit = RUBY.find(([pattern]) => pattern.test(gem));
      if (hit) out.push({ packages: hit[1], reason: `the ${gem} gem links ${hit[1].join(', ')}` });
    }
  } else {
    const deps = cargoDependencies(context);
    const openssl = /^\s*(?:openssl|native-tls|hyper-tls)\b/m.test(deps) || /^\s*reqwest\b(?![^\n]*default-features\s*=\s*false)/m.test(deps);
    if (openssl) out.push({ packages: ['libssl3', 'ca-certificates'], reason: 'TLS through OpenSSL needs libssl3 and the CA certificates' });
    else if (/^\s*(?:reqwest|ureq|rustls-native-certs|hyper-rustls|tokio-rustls)\b/m.test(deps)) out.push({ packages: ['ca-certificates'], reason: 'TLS clients read the system CA certificates' });
  }
  return out;
}
