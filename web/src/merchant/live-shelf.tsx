import { useState, type FormEvent } from 'react';
import { parseYuan, specText, yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MerchantProduct, Page } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { Field, Money, Thumb } from '../ui/bits.tsx';
import { api } from './api.ts';
import { ErrorNotice, useAction } from './bits.tsx';
import type { RoomDetail, ShelfItem } from './types.ts';

/** 小黄车: put the store's live products on the shelf, pin one while live (讲解中), give SKUs a live price and stock. */
export function LiveShelf({ storeId, room, onChanged, readOnly = false }: { storeId: string; room: RoomDetail; onChanged: () => void; readOnly?: boolean }) {
  const { t } = useI18n();
  const products = useAsync((s) => api.get<Page<MerchantProduct>>(`/merchant/stores/${storeId}/products`, { status: 'live', limit: 100 }, s), [storeId]);
  const [pick, setPick] = useState('');
  const a = useAction();
  const onShelf = new Set(room.shelf.map((i) => i.product_id));
  const candidates = (products.data?.items ?? []).filter((p) => !onShelf.has(p.id));
  const chosen = pick && candidates.some((p) => p.id === pick) ? pick : candidates[0]?.id ?? '';
  // Ended rooms and customer-service staff: look, do not touch.
  const ended = room.status === 'ended' || readOnly;
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (chosen && (await a.run(() => api.post(`/live/rooms/${room.id}/shelf`, { product_id: chosen })))) onChanged();
  };
  const pin = (item: ShelfItem | null) => a.run(() => api.put(`/live/rooms/${room.id}/pinned`, { item_id: item?.id ?? null }));
  const remove = (item: ShelfItem) => a.run(() => api.del(`/live/rooms/${room.id}/shelf/${item.id}`)).then((r) => r && onChanged());
  const shelf = [...room.shelf].sort((x, y) => x.position - y.position);
  return (
    <section className="card" aria-labelledby="h-shelf">
      <h2 id="h-shelf">{t('live.shelf', { n: room.shelf.length })}</h2>
      {!ended && (
        <form className="inline-form add-shelf" onSubmit={(e) => void add(e)}>
          <label htmlFor="shelf-pick" className="small">{t('m.live.addProduct')}</label>
          <select id="shelf-pick" value={chosen} onChange={(e) => setPick(e.target.value)} disabled={candidates.length === 0}>
            {candidates.length === 0 && <option value="">{t('m.live.noCandidates')}</option>}
            {candidates.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
          <button type="submit" className="btn small primary" disabled={!chosen || a.busy}>{t('m.live.putOnShelf')}</button>
        </form>
      )}
      {room.status !== 'live' && !ended && <p className="small muted">{t('m.live.pinWhenLive')}</p>}
      <ErrorNotice error={a.error} />
      {shelf.length === 0 ? <p className="muted">{t('live.emptyShelf')}</p> : (
        <ul className="lines">
          {shelf.map((item) => {
            const product = products.data?.items.find((p) => p.id === item.product_id);
            return (
              <li key={item.id} className={`shelf-item ${item.pinned ? 'pinned' : ''}`} data-item={item.id}>
                <div className="line">
                  <Thumb src={item.image} title={item.title} size="sm" />
                  <div className="grow">
                    <strong className="clamp2">{item.title}</strong>
                    <span className="small muted"><Money fen={item.price_minor} />{item.pinned && <> · <span className="live-price-tag">{t('live.pinned')}</span></>}</span>
                  </div>
                </div>
                <div className="actions wrap">
                  {room.status === 'live' && !readOnly && (
                    <button type="button" className={`btn small ${item.pinned ? '' : 'primary'}`} onClick={() => void pin(item.pinned ? null : item)} disabled={a.busy}
                      aria-label={`${item.pinned ? t('m.live.unpin') : t('m.live.pin')} ${item.title}`}>
                      {item.pinned ? t('m.live.unpin') : t('m.live.pin')}
                    </button>
                  )}
                  {!ended && <button type="button" className="btn small" onClick={() => void remove(item)} disabled={a.busy} aria-label={`${t('m.live.removeFromShelf')} ${item.title}`}>{t('m.live.removeFromShelf')}</button>}
                </div>
                <LivePrices roomId={room.id} item={item} product={product} ended={ended} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function LivePrices({ roomId, item, product, ended }: { roomId: string; item: ShelfItem; product: MerchantProduct | undefined; ended: boolean }) {
  const { t } = useI18n();
  const skus = product?.skus.filter((s) => s.status === 'active') ?? [];
  const [sku, setSku] = useState('');
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('');
  const [limit, setLimit] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  const a = useAction();
  const chosen = sku || skus[0]?.id || '';
  const label = (skuId: string) => specText(product?.skus.find((s) => s.id === skuId)?.spec ?? {}) || t('m.p.single');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fen = parseYuan(price);
    const n = Number(stock);
    const lim = limit.trim() ? Number(limit) : null;
    if (fen === null || fen <= 0) return setBad('m.p.badPrice');
    if (!Number.isInteger(n) || n < 1) return setBad('m.live.badStock');
    if (lim !== null && (!Number.isInteger(lim) || lim < 1)) return setBad('m.live.badLimit');
    setBad(null);
    if (await a.run(() => api.put(`/live/rooms/${roomId}/shelf/${item.id}/live-price`, { sku_id: chosen, price_minor: fen, live_stock: n, limit_per_buyer: lim }))) {
      setPrice('');
      setStock('');
    }
  };
  const stop = (skuId: string) => a.run(() => api.del(`/live/rooms/${roomId}/shelf/${item.id}/live-price/${skuId}`));
  const id = (f: string) => `lp-${item.id}-${f}`;
  return (
    <div className="live-prices">
      {item.live_prices.length > 0 && (
        <ul className="small" aria-label={t('m.live.livePricesOf', { title: item.title })}>
          {item.live_prices.map((p) => (
            <li key={p.sku_id} className="row between">
              <span>{label(p.sku_id)} · {t('live.livePrice')} <Money fen={p.price_minor} className="price" /> · {t('m.live.stockLeft', { n: p.stock_left })}{p.limit_per_buyer !== null && ` · ${t('m.live.limitEach', { n: p.limit_per_buyer })}`}</span>
              {!ended && <button type="button" className="linklike small" onClick={() => void stop(p.sku_id)} aria-label={`${t('m.live.stopPrice')} ${label(p.sku_id)}`}>{t('m.live.stopPrice')}</button>}
            </li>
          ))}
        </ul>
      )}
      {!ended && skus.length > 0 && (
        <details>
          <summary>{t('m.live.setPriceFor', { title: item.title })}</summary>
          <form className="form-grid" onSubmit={(e) => void submit(e)}>
            <Field id={id('sku')} label={t('m.sku')}>
              <select id={id('sku')} value={chosen} onChange={(e) => setSku(e.target.value)}>
                {skus.map((s) => <option key={s.id} value={s.id}>{specText(s.spec) || t('m.p.single')} · {yuan(s.price_minor)}</option>)}
              </select>
            </Field>
            <Field id={id('price')} label={t('m.live.price')}><input id={id('price')} inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} /></Field>
            <Field id={id('stock')} label={t('m.live.stock')}><input id={id('stock')} inputMode="numeric" required value={stock} onChange={(e) => setStock(e.target.value)} /></Field>
            <Field id={id('limit')} label={t('m.live.limit')}><input id={id('limit')} inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} /></Field>
            {bad && <p className="small error-text" role="alert">{t(bad as never)}</p>}
            <ErrorNotice error={a.error} />
            <button type="submit" className="btn small primary" disabled={a.busy || !chosen}>{t('m.live.setPrice')}</button>
          </form>
        </details>
      )}
    </div>
  );
}
