import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../lib/csv.ts';
import { parsePairs, readProductCsv } from './catalog-csv.ts';

const read = (text: string) => {
  const p = parseCsv(text);
  assert.ok(p.ok);
  return readProductCsv(p.records);
};
const HEADER = 'product_ref,category,title,brand,attributes,spec,price,list_price,barcode,stock';

describe('readProductCsv', () => {
  it('groups rows by product_ref into one product with a SKU per row, prices in yuan → fen', () => {
    const { groups, errors } = read(`${HEADER}\nA,apparel.women,法式连衣裙 夏季,,材质=雪纺,颜色=蓝;尺码=S,159.9,199,,30\nA,,,,,颜色=蓝;尺码=M,159.90,,6901234567890,20\n`);
    assert.deepEqual(errors, []);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].lines, [2, 3]);
    assert.deepEqual(groups[0].input.attributes, { 材质: '雪纺' });
    assert.deepEqual(groups[0].input.skus.map((s) => [s.price_minor, s.list_price_minor, s.barcode]), [[15990, 19900, null], [15990, null, '6901234567890']]);
    assert.deepEqual(groups[0].stock, [30, 20]);
  });
  it('a bad row holds back its own product (every row reported) but not the others', () => {
    const { groups, errors } = read(`${HEADER}\nA,c,好商品标题,,,颜色=红,9.9,,,1\nA,c,,,,颜色=蓝,abc,,,1\nB,c,另一个商品,,,,19,,,5\n`);
    assert.deepEqual(groups.map((g) => g.ref), ['B']);
    assert.deepEqual(errors.map((e) => [e.line, e.code]), [[2, 'product_not_created'], [3, 'invalid_price']]);
    assert.match(errors[1].message_zh, /售价/);
  });
  it('reports missing columns, conflicting product fields, existing product ids and bad stock', () => {
    assert.equal(read('product_ref,title\nA,x\n').errors[0].code, 'missing_columns');
    const r = read(`${HEADER},product_id\nA,c,标题一二三,,,颜色=红,1,,,1,\nA,c,不同的标题,,,颜色=蓝,1,,,1,\nC,c,标题三四五,,,,1,,,x,\nD,c,标题六七八,,,,1,,,1,prd_X\n`);
    assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[2, 'product_not_created'], [3, 'conflicting_product_fields'], [4, 'invalid_stock'], [5, 'product_exists']]);
  });
});

describe('parsePairs', () => {
  it('reads name=value pairs separated by semicolons and refuses malformed ones', () => {
    assert.deepEqual(parsePairs(' 颜色 = 黑 ; 尺码=M;', 'spec'), { 颜色: '黑', 尺码: 'M' });
    assert.throws(() => parsePairs('颜色', 'spec'));
    assert.throws(() => parsePairs('a=1;a=2', 'attributes'));
  });
});
