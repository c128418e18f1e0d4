// The source of syntaxes/multistage.injection.tmLanguage.json: the shared pieces (shell names, delimiter,
// instruction end) are written once here and repeated in the JSON. Edit this file, then run
//   node syntaxes/build-grammar.mjs          (rewrites the JSON)
//   node syntaxes/build-grammar.mjs --check  (exit 1 when the JSON differs; test/grammar checks this)
// and review the snapshot changes (test/grammar/README.md).
import { readFileSync, writeFileSync } from 'node:fs';
const R = String.raw;
const SHELL = R`(?:/usr)?(?:/bin/)?(?:ba|da|a|z|k|mk)?sh(?:[ \t]+(?:-o[ \t]+\w+|[-+][A-Za-z]+))*`;
const DELIM = R`[^\s"'<>|&;()\\]+`;
const INSTRUCTION_END = R`(?<![\\\s])[ \t]*$`;
// keyword.control.heredoc-token: the long-standing TextMate name for heredoc delimiters, coloured by every theme.
const HEREDOC = 'keyword.control.heredoc-token.dockerfile';
const QUOTE = 'punctuation.definition.string.heredoc.quote.dockerfile';
const OP = 'keyword.operator.heredoc.dockerfile';
const TEXT = 'string.unquoted.heredoc.dockerfile';
// Default themes leave constant.other uncoloured (ids would look like the comment around them); this inner
// scope gives rule ids the colour themes use for named constants.
const RULE_ID_COLOR = 'variable.other.constant.rule-id.dockerfile';

function scriptHeredoc(dash) {
  const op = dash ? '<<-' : '<<(?!-)';
  const tabs = dash ? R`\t*` : '';
  return {
    comment: `RUN ${dash ? '<<-EOF' : '<<EOF'} whose body is the script itself (nothing but flags before it; at most a shell after it), or the stdin of a shell (RUN bash <<EOF): the body is shell. The outer rule scopes the terminator line; the inner begin/while rule holds the body, so an unbalanced quote in the shell cannot run past the terminator.`,
    begin: R`(?<!\S)(?=(?:${SHELL}[ \t]+)?${op}(["']?)(${DELIM})\1(?:[ \t]+${SHELL})?[ \t]*$)`,
    end: R`^${tabs}(\2)$`,
    endCaptures: { 1: { name: HEREDOC } },
    patterns: [
      {
        begin: R`\G(?:(${SHELL})[ \t]+)?(${dash ? '<<-' : '<<'})(["']?)(${DELIM})(\3)(?:[ \t]+(${SHELL}))?[ \t]*$`,
        beginCaptures: {
          2: { name: OP },
          3: { name: QUOTE },
          4: { name: HEREDOC },
          5: { name: QUOTE },
        },
        while: R`^(?!${tabs}\4$)`,
        contentName: 'meta.embedded.block.shellscript',
        patterns: [{ include: '#non-shell-script' }, { include: '#shell-script' }],
      },
    ],
  };
}

function dataHeredoc(dash) {
  const tabs = dash ? R`\t*` : '';
  return {
    comment: `${dash ? '<<-EOF' : '<<EOF'} whose body is data (COPY/ADD, or stdin of a command other than a shell): plain text, scoped as a heredoc string like the shell grammar does.`,
    begin: R`(?<![<\d])(?=\d*${dash ? '<<-' : '<<(?!-)'}(["']?)(${DELIM})\1)`,
    end: R`^${tabs}(\2)$`,
    endCaptures: { 1: { name: HEREDOC } },
    patterns: [
      {
        begin: R`\G(\d*${dash ? '<<-' : '<<'})(["']?)(${DELIM})(\2)(.*)$`,
        beginCaptures: {
          1: { name: OP },
          2: { name: QUOTE },
          3: { name: HEREDOC },
          4: { name: QUOTE },
          5: { patterns: [{ include: 'source.dockerfile' }] },
        },
        while: R`^(?!${tabs}\3$)`,
        contentName: TEXT,
      },
    ],
  };
}

const ruleIdList = (vendor) => [
  { match: R`[^,\s]+`, name: `constant.other.rule-id.${vendor}.dockerfile ${RULE_ID_COLOR}` },
  { match: ',', name: 'punctuation.separator.comma.dockerfile' },
];

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Multistage Dockerfile additions',
  scopeName: 'multistage.dockerfile.injection',
  comment: 'Injected into VS Code\'s built-in Dockerfile grammar (source.dockerfile). Adds: parser directives at the top of the file, Multistage and hadolint ignore comments, and heredoc bodies (shell for RUN scripts, plain text for data). Instruction keywords keep the base grammar\'s scopes. Tests: test/grammar/. A capture re-tokenized with `patterns` does not inherit the scopes of the capture around it (vscode-textmate), so those captures repeat the comment scope. Rule ids carry constant.other.rule-id plus variable.other.constant, which default themes colour (they leave constant.other plain).',
  injectionSelector: 'L:source.dockerfile -comment -string -meta.embedded -meta.directive.parser',
  patterns: [
    { include: '#parser-directives' },
    { include: '#multistage-ignore' },
    { include: '#hadolint-ignore' },
    { include: '#run-instruction' },
    { include: '#copy-instruction' },
  ],
  repository: {
    'parser-directives': {
      comment: 'BuildKit reads directives only in the unbroken run of `# name=value` lines that opens the file (\\A matches on the first line only); any other line ends it. The injection selector excludes this scope, so the injection does not re-enter the block it has just opened.',
      name: 'meta.directive.parser.dockerfile',
      begin: R`\A(?=[ \t]*#[ \t]*(?i:syntax|escape|check)[ \t]*=)`,
      while: R`^(?=[ \t]*#[ \t]*(?i:syntax|escape|check)[ \t]*=)`,
      patterns: [{ include: '#check-directive' }, { include: '#value-directive' }],
    },
    'value-directive': {
      match: R`^([ \t]*)((#)[ \t]*((?i:syntax|escape))[ \t]*(=)[ \t]*(.*?)[ \t]*$\n?)`,
      captures: {
        1: { name: 'punctuation.whitespace.comment.leading.dockerfile' },
        2: { name: 'comment.line.number-sign.dockerfile' },
        3: { name: 'punctuation.definition.comment.dockerfile' },
        4: { name: 'keyword.other.directive.dockerfile' },
        5: { name: 'keyword.operator.assignment.dockerfile' },
        6: { name: 'string.unquoted.directive-value.dockerfile' },
      },
    },
    'check-directive': {
      match: R`^([ \t]*)((#)[ \t]*((?i:check))[ \t]*(=)[ \t]*(.*?)[ \t]*$\n?)`,
      captures: {
        1: { name: 'punctuation.whitespace.comment.leading.dockerfile' },
        2: { name: 'comment.line.number-sign.dockerfile' },
        3: { name: 'punctuation.definition.comment.dockerfile' },
        4: { name: 'keyword.other.directive.dockerfile' },
        5: { name: 'keyword.operator.assignment.dockerfile' },
        6: { name: 'comment.line.number-sign.dockerfile', patterns: [{ include: '#check-options' }] },
      },
    },
    'check-options': {
      comment: '`skip=Rule1,Rule2;error=true`',
      patterns: [
        {
          match: R`([A-Za-z][\w-]*)[ \t]*(=)[ \t]*([^;]*)`,
          captures: {
            1: { name: 'entity.other.attribute-name.check-option.dockerfile' },
            2: { name: 'keyword.operator.assignment.dockerfile' },
            3: {
              patterns: [
                { match: R`\b(?i:true|false)\b`, name: 'constant.language.boolean.dockerfile' },
                { match: R`[^,;\s]+`, name: `constant.other.rule-id.buildkit.dockerfile ${RULE_ID_COLOR}` },
                { match: ',', name: 'punctuation.separator.comma.dockerfile' },
              ],
            },
          },
        },
        { match: ';', name: 'punctuation.separator.semicolon.dockerfile' },
      ],
    },
    'multistage-ignore': {
      comment: '`# multistage-ignore rule-id[,rule-id]` (next instruction) and `# multistage-ignore-file rule-id` (whole file); no ids means all rules.',
      match: R`^([ \t]*)((#)[ \t]*(multistage-ignore(?:-file)?)(?=[ \t]|$)(.*)$\n?)`,
      captures: {
        1: { name: 'punctuation.whitespace.comment.leading.dockerfile' },
        2: { name: 'comment.line.number-sign.dockerfile meta.directive.ignore.multistage.dockerfile' },
        3: { name: 'punctuation.definition.comment.dockerfile' },
        4: { name: 'keyword.other.directive.ignore.multistage.dockerfile' },
        5: { name: 'comment.line.number-sign.dockerfile meta.directive.ignore.multistage.dockerfile', patterns: ruleIdList('multistage') },
      },
    },
    'hadolint-ignore': {
      comment: '`# hadolint ignore=DL3008,DL3009` and `# hadolint global ignore=…`',
      match: R`^([ \t]*)((#)[ \t]*(hadolint)[ \t]+(?:(global)[ \t]+)?(ignore)[ \t]*(=)(.*)$\n?)`,
      captures: {
        1: { name: 'punctuation.whitespace.comment.leading.dockerfile' },
        2: { name: 'comment.line.number-sign.dockerfile meta.directive.ignore.hadolint.dockerfile' },
        3: { name: 'punctuation.definition.comment.dockerfile' },
        4: { name: 'keyword.other.directive.hadolint.dockerfile' },
        5: { name: 'storage.modifier.global.hadolint.dockerfile' },
        6: { name: 'keyword.other.directive.ignore.hadolint.dockerfile' },
        7: { name: 'keyword.operator.assignment.dockerfile' },
        8: { name: 'comment.line.number-sign.dockerfile meta.directive.ignore.hadolint.dockerfile', patterns: ruleIdList('hadolint') },
      },
    },
    'run-instruction': {
      comment: 'A RUN instruction up to its last continuation line. Flags come first; a heredoc met before the command is the script (shell). From the first command word on, #run-command takes over.',
      begin: R`^\s*(?i:(ONBUILD)\s+)?(?i:(RUN))(?=\s)`,
      beginCaptures: {
        1: { name: 'keyword.control.dockerfile' },
        2: { name: 'keyword.other.special-method.dockerfile' },
      },
      end: INSTRUCTION_END,
      applyEndPatternLast: true,
      patterns: [
        { include: '#continued-blank-line' },
        { include: '#script-heredoc-dash' },
        { include: '#script-heredoc' },
        { include: '#instruction-flag' },
        { include: '#continued-comment-line' },
        { include: '#run-command' },
        { include: 'source.dockerfile' },
      ],
    },
    'run-command': {
      begin: R`(?<!\S)(?=[^\s\\-]|-(?!-))`,
      end: R`(?<![\\\s])(?=[ \t]*$)`,
      applyEndPatternLast: true,
      patterns: [
        { include: '#continued-blank-line' },
        { include: '#data-heredoc-dash' },
        { include: '#data-heredoc' },
        { include: 'source.dockerfile' },
      ],
    },
    'copy-instruction': {
      begin: R`^\s*(?i:(ONBUILD)\s+)?(?i:(COPY|ADD))(?=\s)`,
      beginCaptures: {
        1: { name: 'keyword.control.dockerfile' },
        2: { name: 'keyword.other.special-method.dockerfile' },
      },
      end: INSTRUCTION_END,
      applyEndPatternLast: true,
      patterns: [
        { include: '#continued-blank-line' },
        { include: '#data-heredoc-dash' },
        { include: '#data-heredoc' },
        { include: 'source.dockerfile' },
      ],
    },
    'instruction-flag': {
      comment: 'The flag name only; its value (quotes included) is left to the base grammar.',
      match: R`(?<!\S)--[A-Za-z][\w-]*`,
    },
    'non-shell-script': {
      comment: 'A script heredoc whose first line is a shebang naming no shell (#!/usr/bin/env python3) is run by that interpreter: show it as text rather than as shell. `while: ^` keeps it open until the heredoc itself ends.',
      begin: R`^(#!)(?!.*\b(?:ba|da|a|z|k|mk)?sh\b)(.*)$`,
      beginCaptures: {
        0: { name: 'comment.line.shebang.dockerfile' },
        1: { name: 'punctuation.definition.comment.shebang.dockerfile' },
      },
      while: '^',
      contentName: TEXT,
    },
    'shell-script': {
      comment: 'Opens on the first body line when #non-shell-script does not, and stays open (`while: ^`) until the heredoc ends: so only the first line decides.',
      begin: '^',
      while: '^',
      patterns: [{ include: 'source.shell' }],
    },
    'continued-comment-line': {
      comment: 'The base grammar\'s comment rule, listed before #run-command so that a comment line between the flags and the command does not start the command.',
      match: R`^(\s*)((#).*$\n?)`,
      captures: {
        1: { name: 'punctuation.whitespace.comment.leading.dockerfile' },
        2: { name: 'comment.line.number-sign.dockerfile' },
        3: { name: 'punctuation.definition.comment.dockerfile' },
      },
    },
    'continued-blank-line': {
      comment: 'Docker skips blank lines inside a continued instruction; without this the instruction would end here.',
      match: R`^[ \t]*\n`,
    },
    'script-heredoc': scriptHeredoc(false),
    'script-heredoc-dash': scriptHeredoc(true),
    'data-heredoc': dataHeredoc(false),
    'data-heredoc-dash': dataHeredoc(true),
  },
};
// Pretty-print, but keep any object or array that fits in 110 columns on one line.
function format(value, indent = '') {
  const flat = JSON.stringify(value);
  if (typeof value !== 'object' || value === null || flat.length + indent.length <= 110) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  return `{\n${Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(',\n')}\n${indent}}`;
}
const target = new URL('./multistage.injection.tmLanguage.json', import.meta.url);
const text = format(grammar) + '\n';
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    process.stderr.write('syntaxes/multistage.injection.tmLanguage.json differs from syntaxes/build-grammar.mjs: run node syntaxes/build-grammar.mjs\n');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
