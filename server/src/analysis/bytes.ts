// Every byte count Multistage prints goes through one of these three, so one size reads the same in the
// hover, the diagnostics, the CLI, the compare panel and the X-ray. They differ on purpose:
// - image and layer sizes use decimal units, as Docker Hub and `docker images` show them (1 MB = 10^6 bytes);
//   - formatBytes scales the unit (B, kB, MB, GB, TB): a layer list or a before/after pair;
//   - formatMegabytes stays in MB, so the figures in one table or one message compare at a glance;
// - formatBinaryBytes is for file-size limits, which are set in binary units (32 * 1024 * 1024).

/** "999 B", "74.9 MB", "1.1 GB", "-3.0 kB": decimal units, one decimal, the unit scaled to the size. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  const abs = Math.abs(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = abs;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${sign}${abs} B` : `${sign}${value.toFixed(1)} ${units[unit]}`;
}

/**
 * "48.1 MB", "1,234.6 MB": decimal megabytes, one decimal, also above 1,000 MB so sizes in one table
 * compare at a glance. Below 0.1 MB, kB ("3.3 kB") keeps tiny images from reading "0.0 MB".
 */
export function formatMegabytes(bytes: number): string {
  if (bytes >= 100_000 || bytes === 0) {
    return `${(bytes / 1e6).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
  }
  return `${(bytes / 1e3).toFixed(1)} kB`;
}

/** "32 MB", "512 KB", "100 bytes": binary units (1 KB = 1,024 bytes), at most one decimal, for file-size limits. */
export function formatBinaryBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
