import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBuilderWord } from '../../server/src/analysis/builderWords';

test('builderWords: quotes are removed as the builder removes them', () => {
  assert.deepEqual(readBuilderWord('"app.tar.gz"'), { text: 'app.tar.gz', expands: false, invalid: false });
  assert.deepEqual(readBuilderWord("'a b'"), { text: 'a b', expands: false, invalid: false });
  assert.equal(readBuilderWord('a"b"\'c\'').text, 'abc');
});

test('builderWords: the escape character escapes any character outside quotes, and only " $ and itself inside double quotes', () => {
  assert.equal(readBuilderWord('app\\.tar').text, 'app.tar');
  assert.equal(readBuilderWord('"a\\"b"').text, 'a"b');
  assert.equal(readBuilderWord('"a\\nb"').text, 'a\\nb');
  assert.equal(readBuilderWord('"\\$HOME"').text, '$HOME');
  assert.equal(readBuilderWord('"\\$HOME"').expands, false);
  assert.equal(readBuilderWord("'\\x'").text, '\\x');
  // With `# escape=\``, the backtick escapes and the backslash is a plain character (Windows paths).
  assert.equal(readBuilderWord('C:\\app`.tar', '`').text, 'C:\\app.tar');
});

test('builderWords: variables expand outside single quotes, and an unterminated quote is invalid', () => {
  assert.equal(readBuilderWord('$SRC').expands, true);
  assert.equal(readBuilderWord('"${SRC:-a}.tgz"').expands, true);
  assert.equal(readBuilderWord("'$SRC'").expands, false);
  assert.equal(readBuilderWord("'$SRC'").text, '$SRC');
  assert.equal(readBuilderWord('cost$').text, 'cost$');
  assert.equal(readBuilderWord('"open').invalid, true);
  assert.equal(readBuilderWord('${open').invalid, true);
});
