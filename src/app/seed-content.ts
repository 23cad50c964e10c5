import type { AppContext } from './wire.ts';
import type { ContentInput, Owner } from '../modules/content/index.ts';

/** A few published videos and articles for the demo stores and the demo creator (Chinese-first). */
export async function seedDemoContent(ctx: AppContext, d: { creator: string; stores: { store: string; owner: string }[] }): Promise<void> {
  const productsOf = async (storeId: string) => (await ctx.catalog.listLiveProducts({ store_id: storeId, limit: 10 })).items;
  const publish = async (owner: Owner, author: string, input: ContentInput) => {
    const c = await ctx.content.createContent(owner, input, author);
    await ctx.content.publishContent(owner, c.id);
  };
  const [xinghe, yunshang, shanye] = d.stores;
  const xp = await productsOf(xinghe.store);
  const yp = await productsOf(yunshang.store);
  const sp = await productsOf(shanye.store);
  const phone = xp.find((p) => p.title.includes('手机'));
  const buds = xp.find((p) => p.title.includes('耳机'));
  const dress = yp.find((p) => p.title.includes('连衣裙')) ?? yp[0];
  const store = (s: { store: string }): Owner => ({ kind: 'store', store_id: s.store });

  if (phone) {
    await publish(store(xinghe), xinghe.owner, {
      kind: 'video', title: '星河 X5 开箱：夜景实拍对比', caption: '5000mAh 大电池，一天重度使用还剩 30%。#星河X5 #开箱', video_url: 'https://cdn.example.com/xiaodian-demo/x5-night.mp4',
      duration_ms: 52_000, product_ids: [phone.id, ...(buds ? [buds.id] : [])],
    });
  }
  if (buds) {
    await publish(store(xinghe), xinghe.owner, {
      kind: 'article', title: '通勤降噪耳机怎么选？三分钟看懂', caption: '地铁、办公室、跑步三种场景实测',
      body_html: '<h2>为什么需要主动降噪</h2><p>地铁车厢噪音常在 <strong>80 分贝</strong>以上，长时间通勤容易疲劳。</p><h3>实测结论</h3><ul><li>地铁：低频轰鸣基本消除</li><li>办公室：人声减弱明显</li><li>跑步：佩戴稳固不掉</li></ul>'
        + `<p><a data-product-id="${buds.id}" href="/products/${buds.id}">星河 Buds Pro 主动降噪蓝牙耳机</a></p>`,
      product_ids: [buds.id],
    });
  }
  if (dress) {
    await publish(store(yunshang), yunshang.owner, {
      kind: 'video', title: '夏日碎花裙 一衣三穿', caption: '158cm 小个子也能穿出高级感 #穿搭', video_url: 'https://cdn.example.com/xiaodian-demo/dress.mp4', duration_ms: 33_000, product_ids: [dress.id],
    });
  }
  if (sp.length) {
    await publish(store(shanye), shanye.owner, {
      kind: 'article', title: '大红袍的冲泡方法：水温、投茶量与出汤时间', caption: '陈师傅手把手教你泡好一杯岩茶',
      body_html: '<p>岩茶讲究“高温快出”。建议 <strong>100℃</strong> 沸水，投茶 8 克，前三泡出汤 5–10 秒。</p><blockquote>好茶不怕细品，慢慢喝出岩韵。</blockquote>',
      product_ids: [sp[0].id],
    });
  }
  // The creator's picks from several stores: those selected from the affiliate pool (seed-affiliate.ts).
  const candidates = [phone?.id, dress?.id, ...sp.map((p) => p.id)].filter((x): x is string => !!x);
  const allowed = await ctx.affiliate.creatorMayLink(d.creator, candidates);
  const picks = candidates.filter((id) => allowed.has(id)).slice(0, 3);
  if (picks.length) {
    await publish({ kind: 'creator', creator_id: d.creator }, d.creator, {
      kind: 'video', title: '阿杰的本周好物清单', caption: '手机、连衣裙、岩茶，一条视频全讲透 #好物推荐', video_url: 'https://cdn.example.com/xiaodian-demo/weekly-picks.mp4', duration_ms: 95_000, product_ids: picks,
    });
  }
}
