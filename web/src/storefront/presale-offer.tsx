import { useI18n } from '../lib/i18n.tsx';
import { Link } from '../lib/router.tsx';
import { useAsync } from '../lib/use-async.ts';
import { Money } from '../ui/bits.tsx';
import { ErrorView, Loading } from '../ui/states.tsx';
import { headline, Rules, Terms } from './presale-bits.tsx';
import { campaignOffers, type CampaignLite, type PresaleOffer } from './presale-data.ts';
import { VenueReservations } from './reservations.tsx';

/**
 * A pre-sale offer as the buyer weighs it (venue and product page): the deposit and what it
 * counts for, the final price, the balance and its window, the rules; 付定金 in warm-up.
 */
export function PresaleOfferCard({ offer, phase, onProductPage }: { offer: PresaleOffer; phase: string; onProductPage?: boolean }) {
  const { t } = useI18n();
  const left = offer.stock - offer.taken;
  const H = onProductPage ? 'h2' : 'h3';
  return (
    <article className="card presale-offer" aria-labelledby={`po-${offer.id}`} data-offer={offer.id}>
      <div className="row between">
        <span className="badge presale-badge">{t('presale.badge')}</span>
        <span className="muted small">{t('presale.taken', { n: offer.taken, total: offer.stock })} · {t('presale.limit', { n: offer.per_buyer_limit })}</span>
      </div>
      <H id={`po-${offer.id}`} className="presale-title">
        {onProductPage ? offer.title : <Link to={`/product/${offer.product_id}?ch=feed&camp=${offer.campaign_id}`}>{offer.title}</Link>}
      </H>
      <p className="presale-headline">{headline(t, offer)}</p>
      <Terms o={offer} />
      <p className="muted small">{t('presale.balanceNote')}</p>
      <p className="small deadline">{t('presale.forfeitShort')}</p>
      <Rules rules={offer.rules} />
      {phase === 'warmup' ? (
        left > 0 ? (
          <Link className="btn primary block" to={`/presale/new?camp=${offer.campaign_id}&offer=${offer.id}`} aria-label={`${t('presale.payDeposit')} ${offer.title}`}>
            {t('presale.payDeposit')} <Money fen={offer.deposit_minor} />
          </Link>
        ) : <p className="notice info">{t('presale.soldOut')}</p>
      ) : phase === 'selling' ? (
        <p className="notice info">{t('presale.depositClosed')} <Link to="/presale">{t('presale.mine')}</Link></p>
      ) : (
        <p className="notice info">{t('presale.notYet')}</p>
      )}
    </article>
  );
}

/** The product page: this product's pre-sale offers (usually one). */
export function ProductPresale({ items }: { items: { offer: PresaleOffer; campaign: CampaignLite }[] }) {
  return <>{items.map(({ offer, campaign }) => <PresaleOfferCard key={offer.id} offer={offer} phase={campaign.phase} onProductPage />)}</>;
}

function VenuePresale({ campaign }: { campaign: CampaignLite }) {
  const { t } = useI18n();
  const offers = useAsync(() => campaignOffers(campaign.id, true), [campaign.id]);
  if (offers.error) return <ErrorView error={offers.error} retry={offers.reload} />;
  if (!offers.data) return <Loading />;
  if (offers.data.length === 0) return null;
  return (
    <section aria-labelledby="h-presale">
      <h2 id="h-presale" className="section-title">{t('presale.section')}</h2>
      <div className="presale-list">
        {offers.data.map((o) => <PresaleOfferCard key={o.id} offer={o} phase={campaign.phase} />)}
      </div>
    </section>
  );
}

/** What the venue adds in warm-up and selling: reservation coupons (预约领券) and pre-sale offers. Loaded on demand. */
export default function CampaignExtras({ campaign }: { campaign: CampaignLite }) {
  return (
    <>
      <VenueReservations campaign={campaign} />
      <VenuePresale campaign={campaign} />
    </>
  );
}
