// Word statistics for the CLI.
export function countWords(text) {
  const counts = new Map();
  for (const word of text.toLowerCase().split(/[^a-z0-9']+/).filter(Boolean)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
