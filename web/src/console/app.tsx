import '../lib/backoffice-messages.ts'; // this face's strings (m.*, c.*), not part of the storefront's download
import { useI18n } from '../lib/i18n.tsx';
import { Link, match, useFocusHeading, useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import { LangSwitch } from '../ui/bits.tsx';
import { LoginForm } from '../ui/login.tsx';
import { Empty } from '../ui/states.tsx';
import { api } from './api.ts';
import { StoreApplicationPage, StoreApplicationsPage } from './stores.tsx';
import { ListingReviewsPage } from './listings.tsx';
import { DisputesPage } from './disputes.tsx';
import { ReconciliationPage } from './reconciliation.tsx';
import { BrandReviewsPage } from './brands.tsx';
import { CampaignPage, CampaignsPage } from './campaigns.tsx';
import { CampaignNewPage } from './campaign-form.tsx';

const NAV = [
  ['/console', 'c.nav.stores'],
  ['/console/listings', 'c.nav.listings'],
  ['/console/brands', 'c.nav.brands'],
  ['/console/campaigns', 'c.nav.campaigns'],
  ['/console/disputes', 'c.nav.disputes'],
  ['/console/reconciliation', 'c.nav.reconciliation'],
] as const;

/** The platform operators' console. */
export default function Console() {
  const { t } = useI18n();
  const { path } = useLocation();
  const session = useSession('console');
  useFocusHeading(path);
  let body;
  let m: Record<string, string> | null;
  if (!session) body = <LoginForm face="console" title={t('c.login')} hint={t('login.demoOperator')} />;
  else if (path === '/console' || path === '/console/') body = <StoreApplicationsPage />;
  else if ((m = match('/console/stores/:id', path))) body = <StoreApplicationPage id={m.id} />;
  else if (path === '/console/listings') body = <ListingReviewsPage />;
  else if (path === '/console/brands') body = <BrandReviewsPage />;
  else if (path === '/console/campaigns') body = <CampaignsPage />;
  else if (path === '/console/campaigns/new') body = <CampaignNewPage />;
  else if ((m = match('/console/campaigns/:id', path))) body = <CampaignPage id={m.id} />;
  else if (path === '/console/disputes') body = <DisputesPage />;
  else if (path === '/console/reconciliation') body = <ReconciliationPage />;
  else body = <Empty>{t('notFound')}</Empty>;
  return (
    <div className="face console">
      <a href="#main" className="skip">{t('skip')}</a>
      <header className="topbar dark">
        <Link to="/console" className="brand">{t('c.brand')}</Link>
        <span className="grow" />
        <LangSwitch />
        {session && <button type="button" className="linklike light" onClick={() => void api.logout()}>{t('logout')}</button>}
      </header>
      {session && (
        <nav className="sidenav" aria-label={t('nav.main')}>
          {NAV.map(([to, key]) => {
            const on = to === '/console' ? path === '/console' || path.startsWith('/console/stores') : path === to || path.startsWith(`${to}/`);
            return <Link key={to} to={to} className={on ? 'active' : ''} aria-current={on ? 'page' : undefined}>{t(key)}</Link>;
          })}
        </nav>
      )}
      <main id="main" className="wide">{body}</main>
    </div>
  );
}
