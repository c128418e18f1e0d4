// Item 5 (bounded time): pathological single lines of about a million characters, one per shape that
// stresses a different part (one huge word, thousands of commands, quotes, escapes, variables, JSON,
// here-documents, continuations), plus a 10 MB file. CPU ms of one analysis each, and whether any rule
// failed. A super-linear rule shows up here first (one took a minute on "50,000 installs" before its fix).
import type { analyze } from '../server/src/analysis/analyze';
import { cpuNowMs } from './clock';
import { round } from './stats';

const M = 1_000_000;
const FROM = 'FROM alpine:3.20\n';

export const LARGE_INPUTS: Record<string, () => string> = {
  'RUN with one 1M-char word': () => FROM + 'RUN echo ' + 'a'.repeat(M) + '\n',
  'RUN with 50,000 apt-get installs': () => FROM + 'RUN ' + 'apt-get install x && '.repeat(M / 20) + 'true\n',
  '1M-char comment': () => FROM + '# ' + 'x'.repeat(M) + '\n',
  'RUN of 1M backslashes': () => FROM + 'RUN ' + '\\'.repeat(M) + '\n',
  'RUN of 1M quotes': () => FROM + 'RUN ' + '"'.repeat(M) + '\n',
  'ENV with 250,000 pairs': () => FROM + 'ENV ' + 'A=b '.repeat(M / 4) + '\n',
  'COPY with 500,000 sources': () => FROM + 'COPY ' + 'a '.repeat(M / 2) + '/dst/\n',
  'CMD JSON array of 250,000': () => FROM + 'CMD [' + '"a",'.repeat(M / 4) + '"b"]\n',
  'RUN of 250,000 ${A}': () => FROM + 'RUN ' + '${A}'.repeat(M / 4) + '\n',
  '1M-char FROM image': () => 'FROM ' + 'a'.repeat(M) + '\n',
  'here-document of 125,000 lines': () => FROM + 'RUN <<EOF\n' + 'echo hi\n'.repeat(M / 8) + 'EOF\n',
  'RUN of 250,000 unclosed $(': () => FROM + 'RUN ' + '$('.repeat(M / 4) + '\n',
  'RUN continued over 166,000 lines': () => FROM + 'RUN a \\\n' + ' b \\\n'.repeat(M / 6) + ' c\n',
  '10 MB file (over the limit)': () => FROM + 'RUN echo "padding the file to ten megabytes"\n'.repeat(230_000),
};

export interface LargeInputResult {
  input: string;
  chars: number;
  cpuMs: number;
  problems: number;
  ruleErrors: string[];
}

export function measureLargeInputs(analyzeText: typeof analyze): LargeInputResult[] {
  return Object.entries(LARGE_INPUTS).map(([input, make]) => {
    const text = make();
    const started = cpuNowMs();
    const result = analyzeText(text);
    return { input, chars: text.length, cpuMs: round(cpuNowMs() - started, 0), problems: result.problems.length, ruleErrors: result.ruleErrors.map((e) => e.rule) };
  });
}
