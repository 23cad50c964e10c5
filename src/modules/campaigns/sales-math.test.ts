import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reverseSettledLine, settleLines } from '../payments/index.ts';
import { netOfRefunds, unitsRefunded, type SaleAmounts } from './sales-math.ts';

const sale = (o: Partial<SaleAmounts> = {}): SaleAmounts => ({
  quantity: 3, goods_minor: 30000, paid_minor: 27001, platform_discount_minor: 1500, merchant_discount_minor: 1499, campaign_discount_minor: 1500, fee_rate_bp: 100,
  refunded_minor: 0, refunded_after_settlement_minor: 0, ...o,
});

test('a line without refunds counts in full: the fee is settlement’s applyRateBp(paid)', () => {
  assert.deepEqual(netOfRefunds(sale()), { gmv_minor: 27001, goods_minor: 30000, fee_minor: 270, platform_discount_minor: 1500, merchant_discount_minor: 1499, campaign_discount_minor: 1500 });
});

test('a line refunded in full counts for nothing, before or after settlement', () => {
  const zero = { gmv_minor: 0, goods_minor: 0, fee_minor: 0, platform_discount_minor: 0, merchant_discount_minor: 0, campaign_discount_minor: 0 };
  assert.deepEqual(netOfRefunds(sale({ refunded_minor: 27001 })), zero);
  assert.deepEqual(netOfRefunds(sale({ refunded_minor: 27001, refunded_after_settlement_minor: 27001 })), zero);
  assert.deepEqual(netOfRefunds(sale({ refunded_minor: 27001, refunded_after_settlement_minor: 9000 })), zero);
});

/** What the ledger holds for a line: settlement's fee and subsidy, less every reversal of the refunds after it. */
function ledgerOf(paid: number, rate: number, subsidy: number, before: number[], after: number[]) {
  const pre = before.reduce((s, x) => s + x, 0);
  const [settled] = settleLines([{ line_id: 'l', paid_minor: paid, refunded_minor: pre, fee_rate_bp: rate, creator_id: null, subsidy_minor: subsidy }], () => 0).lines;
  let fee = settled.fee_minor, sub = settled.subsidy_minor, post = 0, revFee = 0, revSub = 0;
  for (const amount of after) {
    const r = reverseSettledLine({
      line_id: 'l', creator_id: null, settled_base_minor: settled.base_minor, settled_fee_minor: settled.fee_minor, settled_commission_minor: 0, settled_subsidy_minor: settled.subsidy_minor,
      post_refunded_minor: post, reversed_fee_minor: revFee, reversed_commission_minor: 0, reversed_subsidy_minor: revSub,
    }, amount);
    post += amount;
    revFee += r.fee_minor;
    revSub += r.subsidy_minor;
    fee -= r.fee_minor;
    sub -= r.subsidy_minor;
  }
  return { fee, subsidy: sub, refunded: pre + post, after: post };
}

test('partly refunded before and after settlement, in any split: fee and platform subsidy equal the ledger’s to the fen', () => {
  let seed = 7;
  const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n);
  for (let i = 0; i < 2000; i++) {
    const paid = 1 + rnd([300, 5000, 500_000][rnd(3)]);
    const rate = [0, 60, 100, 250, 500, 999][rnd(6)];
    const subsidy = rnd(paid + 1);
    const parts = (left: number) => {
      const out: number[] = [];
      for (let k = 1 + rnd(3); k > 0 && left > 0; k--) {
        const x = 1 + rnd(left);
        out.push(x);
        left -= x;
      }
      return out;
    };
    const before = parts(paid);
    const after = parts(paid - before.reduce((s, x) => s + x, 0));
    const l = ledgerOf(paid, rate, subsidy, before, after);
    const net = netOfRefunds(sale({ paid_minor: paid, fee_rate_bp: rate, platform_discount_minor: subsidy, refunded_minor: l.refunded, refunded_after_settlement_minor: l.after }));
    assert.equal(net.fee_minor, l.fee, `fee: paid ${paid} rate ${rate} before ${before} after ${after}`);
    assert.equal(net.platform_discount_minor, l.subsidy, `subsidy: paid ${paid} subsidy ${subsidy} before ${before} after ${after}`);
    assert.equal(net.gmv_minor, paid - l.refunded);
  }
});

test('units refunded are the whole units the amount covers at after-sales’ per-unit shares', () => {
  // 10001 over 3 units: shares 3334, 3334, 3333
  assert.equal(unitsRefunded(3, 10001, 3333), 0, 'less than the first unit’s share');
  assert.equal(unitsRefunded(3, 10001, 3334), 1);
  assert.equal(unitsRefunded(3, 10001, 6668), 2);
  assert.equal(unitsRefunded(3, 10001, 10000), 2);
  assert.equal(unitsRefunded(3, 10001, 10001), 3);
  assert.equal(unitsRefunded(1, 0, 0), 0);
  assert.equal(unitsRefunded(2, 5000, 0), 0);
});
