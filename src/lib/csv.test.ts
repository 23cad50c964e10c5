import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatCsv, parseCsv, unguardCell } from './csv.ts';

const cells = (text: string) => {
  const r = parseCsv(text);
  assert.ok(r.ok);
  return r.records.map((x) => x.cells);
};

describe('parseCsv', () => {
  it('reads plain, quoted and empty cells with CRLF or LF', () => {
    assert.deepEqual(cells('a,b,c\r\n1,"2,5",\n'), [['a', 'b', 'c'], ['1', '2,5', '']]);
  });
  it('reads escaped quotes and line breaks inside quotes, keeping each record’s first line', () => {
    const r = parseCsv('h\n"say ""hi""\nthere",x\nlast,y');
    assert.ok(r.ok);
    assert.deepEqual(r.records.map((x) => [x.line, x.cells]), [[1, ['h']], [2, ['say "hi"\nthere', 'x']], [4, ['last', 'y']]]);
  });
  it('drops a UTF-8 BOM and blank lines', () => {
    assert.deepEqual(cells('\uFEFF标题,价格\n\n连衣裙,100\n'), [['标题', '价格'], ['连衣裙', '100']]);
  });
  it('reports an unclosed quote and text after a closing quote with the line', () => {
    assert.deepEqual(parseCsv('a\n"open'), { ok: false, line: 2, message: 'a quoted field is never closed' });
    assert.equal(parseCsv('"a"b').ok, false);
  });
});

describe('formatCsv', () => {
  it('round-trips through parseCsv, quoting only when needed', () => {
    const rows = [['id', 'title'], ['1', '含,逗号'], ['2', 'say "hi"'], ['3', '两\n行']];
    const text = formatCsv(rows);
    assert.ok(text.startsWith('\uFEFFid,title\r\n1,"含,逗号"'));
    assert.deepEqual(cells(text), rows);
  });
  it('guards formula-like text but not negative numbers, and the guard is undone on import', () => {
    const text = formatCsv([['=HYPERLINK("x")', '-5', '@me']]);
    const [row] = cells(text);
    assert.deepEqual(row, [`'=HYPERLINK("x")`, '-5', "'@me"]);
    assert.deepEqual(row.map(unguardCell), ['=HYPERLINK("x")', '-5', '@me']);
  });
});
