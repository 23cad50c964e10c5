import { formatYuan } from '../../../lib/money.ts';
import type { SandboxTransaction } from './state.ts';

/** The sandbox "cashier": what the buyer would see in WeChat after scanning code_url. */

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f2f2f2;margin:0;display:flex;justify-content:center}
main{background:#fff;margin:48px 16px;padding:32px 24px;border-radius:12px;max-width:360px;width:100%;text-align:center}
.amount{font-size:40px;font-weight:600;margin:16px 0}.muted{color:#888;font-size:14px}
button{background:#07c160;color:#fff;border:0;border-radius:8px;font-size:17px;padding:12px;width:100%;margin-top:24px;cursor:pointer}
.tag{display:inline-block;background:#fff3cd;color:#8a6d3b;border-radius:4px;padding:2px 8px;font-size:12px}
</style></head><body><main><span class="tag">沙箱支付 · SANDBOX</span>${body}</main></body></html>`;
}

export function payPage(t: SandboxTransaction | undefined, confirmPath: string): string {
  if (!t) return page('订单不存在', '<h1>订单不存在</h1><p class="muted">No such order.</p>');
  const head = `<p class="muted">${esc(t.description)}</p><div class="amount">¥${formatYuan(t.total)}</div><p class="muted">商户订单号 ${esc(t.out_trade_no)}</p>`;
  if (t.trade_state === 'NOTPAY') {
    return page('确认支付', `${head}<form method="post" action="${esc(confirmPath)}"><button type="submit" id="confirm">确认支付</button></form>`);
  }
  const state = t.trade_state === 'CLOSED' ? '订单已关闭' : t.trade_state === 'SUCCESS' || t.trade_state === 'REFUND' ? '已支付' : t.trade_state;
  return page(state, `${head}<h2>${esc(state)}</h2>`);
}

export function resultPage(ok: boolean, message: string, t: SandboxTransaction | undefined): string {
  const amount = t ? `<div class="amount">¥${formatYuan(t.total)}</div>` : '';
  return page(ok ? '支付成功' : '支付失败', `<h1>${ok ? '支付成功' : '支付失败'}</h1>${amount}<p class="muted">${esc(message)}</p>`);
}
