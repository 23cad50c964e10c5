import { useI18n } from '../lib/i18n.tsx';
import type { Pricing } from '../lib/types.ts';
import { Money } from '../ui/bits.tsx';

/** Goods, every discount step that applied (with its reason), shipping and the total. */
export function Breakdown({ pricing, compact }: { pricing: Pricing; compact?: boolean }) {
  const { t, tx, lang } = useI18n();
  const e = pricing.explanation;
  const steps = e.steps.filter((s) => s.stage !== 'shipping' && s.amount_minor > 0);
  const ship = e.steps.find((s) => s.stage === 'shipping');
  return (
    <dl className={`breakdown ${compact ? 'compact' : ''}`} aria-label={t('price.breakdown')}>
      <div><dt>{t('price.goods')}</dt><dd><Money fen={e.goods_minor} /></dd></div>
      {steps.map((s) => (
        <div key={s.seq} className="discount">
          <dt>{tx(`discount.${s.source_kind}`, s.source_kind)}<span className="muted small"> {lang === 'zh' ? s.message_zh : s.message}</span></dt>
          <dd>-<Money fen={s.amount_minor} /></dd>
        </div>
      ))}
      <div>
        <dt>{t('price.shipping')}{ship && <span className="muted small"> {lang === 'zh' ? ship.message_zh : ship.message}</span>}</dt>
        <dd><Money fen={e.shipping_minor} /></dd>
      </div>
      <div className="total"><dt>{t('price.total')}</dt><dd><Money fen={pricing.total_minor} /></dd></div>
      {e.discount_minor > 0 && <div className="saved"><dt>{t('price.saved')}</dt><dd><Money fen={e.discount_minor} /></dd></div>}
    </dl>
  );
}
