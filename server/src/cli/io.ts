// What a CLI command writes to and knows about its run; every command (lint, fix, images, compare)
// takes one, so tests drive them without a process.
import type { ReportOptions } from './report';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  version: string;
  /** Colour, layout and where the run happened (the text and SARIF formats use them). */
  report?: ReportOptions;
}
