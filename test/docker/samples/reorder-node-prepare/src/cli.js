// wordtool count <text…> | wordtool note <file> <text…> (appends a line, then prints the file)
import { appendFileSync, readFileSync } from 'node:fs';
import { countWords } from './words.js';

const [command, ...args] = process.argv.slice(2);
if (command === 'count') {
  for (const [word, n] of countWords(args.join(' '))) console.log(`${n} ${word}`);
} else if (command === 'note') {
  const [file, ...text] = args;
  appendFileSync(file, `${text.join(' ')}\n`);
  process.stdout.write(readFileSync(file, 'utf8'));
} else {
  console.log('usage: wordtool count <text> | wordtool note <file> <text>');
}
