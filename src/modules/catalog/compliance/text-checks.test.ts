import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanListing } from './compliance.fixtures.ts';
import { compileWordList } from './phrase-match.ts';
import {
  ABSOLUTE_CLAIM_CHECK,
  COUNTERFEIT_HINT_CHECK,
  MEDICAL_CLAIM_CHECK,
  PROHIBITED_ITEM_CHECK,
  checkContactInfo,
  checkWordList,
  collectTextFields,
  findContacts,
  textField,
  type WordCheckSpec,
} from './text-checks.ts';
import { WORD_LISTS } from './word-lists.ts';
import type { WordListName } from './compliance.types.ts';

function words(name: WordListName, spec: WordCheckSpec, text: string, html = false): string[] {
  const f = textField('description', text, html);
  return checkWordList([f], compileWordList(WORD_LISTS[name]), spec).map((x) => x.details.word as string);
}
const absolute = (text: string, html = false) => words('absolute_claim', ABSOLUTE_CLAIM_CHECK, text, html);
const medical = (text: string) => words('medical_claim', MEDICAL_CLAIM_CHECK, text);
const prohibited = (text: string) => words('prohibited_item', PROHIBITED_ITEM_CHECK, text);
const counterfeit = (text: string) => words('counterfeit_hint', COUNTERFEIT_HINT_CHECK, text);
const contacts = (text: string) => findContacts(textField('description', text)).map((c) => [c.kind, c.text]);

describe('collectTextFields', () => {
  it('covers title, subtitle, description, attribute values and SKU spec values', () => {
    const fields = collectTextFields(cleanListing()).map((f) => f.field);
    assert.deepEqual(fields, [
      'title', 'subtitle', 'description', 'attributes.material', 'attributes.weight_g',
      'skus[0].spec.颜色', 'skus[0].spec.尺码', 'skus[1].spec.颜色', 'skus[1].spec.尺码',
    ]);
  });
});

describe('absolute claims (广告法极限词)', () => {
  it('blocks superlatives with the word and its offsets in the original text', () => {
    const f = textField('title', '全网最 低价 顶级品质');
    const found = checkWordList([f], compileWordList(WORD_LISTS.absolute_claim), ABSOLUTE_CLAIM_CHECK);
    assert.deepEqual(found.map((x) => [x.severity, x.details.word]), [['block', '全网最低'], ['block', '最低价'], ['block', '顶级']]);
    assert.deepEqual(found[0].details.matches, [{ start: 0, end: 5, text: '全网最 低' }]);
  });

  it('catches the open-ended 最 family and dodges with symbols or full-width digits', () => {
    assert.deepEqual(absolute('最强 性价比'), ['最强']);
    assert.deepEqual(absolute('最.便.宜'), ['最便宜']);
    assert.deepEqual(absolute('１００％好评'), ['100%']);
  });

  it('finds claims hidden in HTML markup and entities', () => {
    assert.deepEqual(absolute('<p>品质<b>绝</b>&#23545;保证</p>', true), ['绝对']);
  });

  it('allows time, ordinal, quantity and parameter words', () => {
    assert.deepEqual(absolute('最新款 最近上架 第一次购买 第一批现货 每人最多限购2件 最大承重150kg 最高温度60℃'), []);
  });

  it('allows fibre-content percentages but not a bare 100% promise', () => {
    assert.deepEqual(absolute('面料：100% 纯棉，里料：100%聚酯纤维'), []);
    assert.deepEqual(absolute('100%正品'), ['100%']);
  });

  it('passes ordinary copy', () => {
    assert.deepEqual(absolute('精选纯棉面料，柔软亲肤，透气舒适'), []);
  });
});

describe('medical claims', () => {
  it('sends efficacy wording to review', () => {
    const f = textField('subtitle', '喝了能降血压，根治失眠');
    const found = checkWordList([f], compileWordList(WORD_LISTS.medical_claim), MEDICAL_CLAIM_CHECK);
    assert.deepEqual(found.map((x) => [x.severity, x.details.word]), [['review', '降血压'], ['review', '根治']]);
  });

  it('allows agricultural pest control and ordinary copy', () => {
    assert.deepEqual(medical('高效病虫害防治，保护果树'), []);
    assert.deepEqual(medical('舒适透气，久坐不累'), []);
  });
});

describe('prohibited items', () => {
  it('blocks weapons, drugs, spy gear, wildlife products and tobacco', () => {
    assert.deepEqual(prohibited('仿真手枪 子弹'), ['手枪', '子弹']);
    assert.deepEqual(prohibited('窃 听 器'), ['窃听器']);
    assert.deepEqual(prohibited('天然象牙手串'), ['象牙']);
    assert.deepEqual(prohibited('电子烟套装'), ['电子烟']);
    assert.deepEqual(prohibited('代开发票'), ['代开发票']);
  });

  it('allows colour names and everyday objects that contain a prohibited word', () => {
    assert.deepEqual(prohibited('象牙白 子弹杯 手枪钻 香烟盒 毒品检测试纸'), []);
  });
});

describe('counterfeit slang', () => {
  it('blocks explicit replica wording anywhere', () => {
    assert.deepEqual(counterfeit('高仿 A货 原单'), ['高仿', 'a货', '原单']);
  });

  it('does not read a word that merely contains the letters as slang', () => {
    assert.deepEqual(counterfeit('DATA货架 原创设计'), []);
  });
});

describe('contact details', () => {
  it('blocks mobile numbers, including spaced or full-width ones', () => {
    assert.deepEqual(contacts('客服13800138000'), [['mobile_phone', '13800138000']]);
    assert.deepEqual(contacts('电话 138 0013 8000'), [['mobile_phone', '138 0013 8000']]);
    assert.deepEqual(contacts('１３８－００１３－８０００'), [['mobile_phone', '１３８－００１３－８０００']]);
  });

  it('does not read size runs, prices or barcodes as phone numbers', () => {
    assert.deepEqual(contacts('身高 150 160 170 180 cm，价格 1399 元，条码 6901234567892'), []);
  });

  it('blocks landlines and 400 hotlines written with separators', () => {
    assert.deepEqual(contacts('0755-12345678 400-123-4567'), [['landline_phone', '0755-12345678'], ['landline_phone', '400-123-4567']]);
  });

  it('blocks WeChat and QQ ids', () => {
    assert.deepEqual(contacts('微信号：shop_88'), [['messaging_id', '微信号：shop_88']]);
    assert.deepEqual(contacts('VX abc123'), [['messaging_id', 'VX abc123']]);
    assert.deepEqual(contacts('qq 12345678'), [['messaging_id', 'qq 12345678']]);
  });

  it('blocks solicitations to add a contact, with or without an id', () => {
    assert.deepEqual(contacts('加V了解更多'), [['solicitation', '加V']]);
    assert.deepEqual(contacts('+vx：xd_2024'), [['solicitation', '+vx：xd_2024']]);
    assert.deepEqual(contacts('加微信好友'), [['solicitation', '加微信']]);
  });

  it('allows payment mentions and words that only look like solicitations', () => {
    assert.deepEqual(contacts('支持微信支付 wechat payment 加VIP会员 添加微量元素 口感Q弹 微信扫码下单'), []);
  });

  it('blocks URLs and e-mail addresses', () => {
    assert.deepEqual(contacts('详见 https://shop.example.com/x 或 www.abc.cn'), [['url', 'https://shop.example.com/x'], ['url', 'www.abc.cn']]);
    assert.deepEqual(contacts('t.cn/abc'), [['url', 't.cn']]);
    assert.deepEqual(contacts('abc@qq.com'), [['email', 'abc@qq.com']]);
  });

  it('allows decimals, model numbers and version strings', () => {
    assert.deepEqual(contacts('3.5mm耳机孔 Type-C 2.0版 型号WX-2000'), []);
  });

  it('reports each contact as a block finding on its field', () => {
    const found = checkContactInfo([textField('title', '好物 vx abc123')]);
    assert.deepEqual(found.map((x) => [x.code, x.severity, x.field]), [['contact_info', 'block', 'title']]);
    assert.deepEqual(found[0].details.matches, [{ start: 3, end: 12, text: 'vx abc123' }]);
  });
});
