import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkQualifications, checkRequiredAttributes } from './category-checks.ts';
import type { RequiredAttribute } from './compliance.types.ts';

const REQUIRED: RequiredAttribute[] = [
  { key: 'material', label_zh: '材质', type: 'text' },
  { key: 'season', label_zh: '适用季节', type: 'enum', options: ['春季', '夏季', '秋季', '冬季', '四季通用'] },
  { key: 'weight_g', label_zh: '克重', type: 'number' },
];

describe('required attributes', () => {
  it('accepts present, valid values (full-width digits and padded options included)', () => {
    assert.deepEqual(checkRequiredAttributes({ material: '纯棉', season: ' 夏季 ', weight_g: '１８０.5' }, REQUIRED), []);
  });

  it('blocks a missing or blank attribute, naming it by its Chinese label', () => {
    const found = checkRequiredAttributes({ material: '  ', season: '夏季' }, REQUIRED);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.field]), [
      ['missing_required_attribute', 'block', 'attributes.material'],
      ['missing_required_attribute', 'block', 'attributes.weight_g'],
    ]);
    assert.equal(found[0].message_zh, '缺少必填属性「材质」');
    assert.match(found[1].message, /克重/);
  });

  it('blocks an enum value outside the options', () => {
    const [f] = checkRequiredAttributes({ material: '纯棉', season: '雨季', weight_g: '180' }, REQUIRED);
    assert.deepEqual([f.code, f.field, f.details.value], ['invalid_enum_attribute', 'attributes.season', '雨季']);
    assert.match(f.message_zh, /适用季节/);
  });

  it('blocks a number attribute that is not numeric', () => {
    for (const value of ['180g', '约180', '1.2.3', '']) {
      const found = checkRequiredAttributes({ material: '纯棉', season: '夏季', weight_g: value }, REQUIRED);
      assert.equal(found.length, 1, value);
      assert.equal(found[0].code, value === '' ? 'missing_required_attribute' : 'invalid_number_attribute');
    }
  });

  it('does not read inherited object properties as attribute values', () => {
    const found = checkRequiredAttributes({}, [{ key: 'constructor', label_zh: '构造', type: 'text' }]);
    assert.equal(found[0].code, 'missing_required_attribute');
  });

  it('crashes on an enum configured without options, a category configuration bug', () => {
    assert.throws(() => checkRequiredAttributes({ x: 'a' }, [{ key: 'x', label_zh: 'X', type: 'enum' }]), /without options/);
  });
});

describe('required qualifications', () => {
  it('accepts a store holding every qualification the category needs', () => {
    assert.deepEqual(checkQualifications(['food_business_licence'], ['food_business_licence', 'icp']), []);
  });

  it('blocks once per missing qualification', () => {
    const found = checkQualifications(['food_business_licence', 'food_business_licence', 'health_food_record'], []);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.details.qualification]), [
      ['missing_qualification', 'block', 'food_business_licence'],
      ['missing_qualification', 'block', 'health_food_record'],
    ]);
  });
});
