// Character codes the hand-written scanners compare with charCodeAt() (argumentScanner.ts and the
// shell tokenizer and script extractor): comparing numbers avoids a one-character string per read.
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const DOUBLE_QUOTE = 34;
export const HASH = 35;
export const DOLLAR = 36;
export const AMPERSAND = 38;
export const SINGLE_QUOTE = 39;
export const OPEN_PAREN = 40;
export const CLOSE_PAREN = 41;
export const DIGIT_0 = 48;
export const DIGIT_9 = 57;
export const SEMICOLON = 59;
export const LESS = 60;
export const GREATER = 62;
export const BACKSLASH = 92;
export const BACKTICK = 96;
export const OPEN_BRACE = 123;
export const PIPE = 124;
