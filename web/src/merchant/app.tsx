import '../lib/backoffice-messages.ts'; // this face's strings (m.*, c.*), not part of the storefront's download
import { useI18n } from '../lib/i18n.tsx';
import { Link, match, navigate, useFocusHeading, useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import type { Store } from '../lib/types.ts';
import { useAsync } from '../lib/use-async.ts';
import { LangSwitch } from '../ui/bits.tsx';
import { LoginForm } from '../ui/login.tsx';
import { Empty, ErrorView, Loading } from '../ui/states.tsx';
import { api, rememberedStore, rememberStore } from './api.ts';
import { Dashboard } from './dashboard.tsx';
import { ProductsPage } from './products.tsx';
import { OrdersPage } from './orders.tsx';
import { AftersalesPage } from './aftersales.tsx';
import { FinancePage } from './finance.tsx';
import { InboxPage } from './inbox.tsx';
import { ApplicationPage } from './application.tsx';
import { ONBOARDING_STATUSES, OpenStorePage } from './onboarding.tsx';
import { EditProductPage, NewProductPage } from './product-editor.tsx';
import { ProductCsvPage } from './product-csv.tsx';
import { LiveRoomsPage } from './live-rooms.tsx';
import { LiveConsolePage } from './live-console.tsx';
import { AffiliatePage } from './affiliate.tsx';
import { CampaignsPage } from './campaigns.tsx';
import { PromotionsPage } from './promotions.tsx';
import { StorePage } from './store-page.tsx';

const NAV = [
  ['/merchant', 'm.nav.dashboard'],
  ['/merchant/products', 'm.nav.products'],
  ['/merchant/orders', 'm.nav.orders'],
  ['/merchant/aftersales', 'm.nav.aftersales'],
  ['/merchant/inbox', 'm.nav.inbox'],
  ['/merchant/live', 'm.nav.live'],
  ['/merchant/promotions', 'm.nav.promotions'],
  ['/merchant/affiliate', 'm.nav.affiliate'],
  ['/merchant/campaigns', 'm.nav.campaigns'],
  ['/merchant/finance', 'm.nav.finance'],
  ['/merchant/store', 'm.nav.store'],
  ['/merchant/open-store', 'm.nav.openStore'],
] as const;
// A store still being opened has only its application (and the way to open another).
const ONBOARDING_NAV = [
  ['/merchant/application', 'm.nav.application'],
  ['/merchant/open-store', 'm.nav.openStore'],
] as const;
const isActive = (to: string, path: string) => path === to || (to !== '/merchant' && path.startsWith(`${to}/`));

function route(path: string, query: URLSearchParams, storeId: string, role: string, onStoreChanged: () => void) {
  const product = match('/merchant/products/:id', path);
  const room = match('/merchant/live/:id', path);
  if (path === '/merchant' || path === '/merchant/') return <Dashboard storeId={storeId} />;
  if (path === '/merchant/products') return <ProductsPage storeId={storeId} role={role} />;
  if (path === '/merchant/products/new') return <NewProductPage storeId={storeId} />;
  if (path === '/merchant/products/import') return <ProductCsvPage storeId={storeId} />;
  if (product) return <EditProductPage storeId={storeId} productId={product.id} role={role} saved={query.get('saved')} />;
  if (path === '/merchant/orders') return <OrdersPage storeId={storeId} />;
  if (path === '/merchant/aftersales') return <AftersalesPage storeId={storeId} />;
  if (path === '/merchant/inbox') return <InboxPage storeId={storeId} />;
  if (path === '/merchant/live') return <LiveRoomsPage storeId={storeId} role={role} />;
  if (room) return <LiveConsolePage storeId={storeId} roomId={room.id} role={role} />;
  if (path === '/merchant/promotions') return <PromotionsPage storeId={storeId} role={role} />;
  if (path === '/merchant/affiliate') return <AffiliatePage storeId={storeId} role={role} />;
  if (path === '/merchant/campaigns') return <CampaignsPage storeId={storeId} role={role} />;
  if (path === '/merchant/finance') return <FinancePage storeId={storeId} role={role} />;
  if (path === '/merchant/store') return <StorePage key={storeId} storeId={storeId} role={role} onChanged={onStoreChanged} />;
  return null;
}

/** 小店助手: the merchant's assistant, usable on a phone. */
export default function Merchant() {
  const { t, tx } = useI18n();
  const { path, query } = useLocation();
  const session = useSession('merchant');
  useFocusHeading(path);
  const stores = useAsync((s) => (session ? api.get<{ items: Store[] }>('/merchant/stores', undefined, s) : Promise.resolve(null)), [session?.account_id]);

  let body;
  let store: Store | undefined;
  const opened = (id: string) => {
    rememberStore(id);
    stores.reload();
    navigate('/merchant/application');
  };
  if (!session) body = <LoginForm face="merchant" title={t('m.login')} hint={t('login.demoMerchant')} />;
  else if (stores.error) body = <ErrorView error={stores.error} retry={stores.reload} />;
  else if (!stores.data) body = <Loading />;
  else if (stores.data.items.length === 0) body = <OpenStorePage first onCreated={opened} />;
  else {
    store = stores.data.items.find((s) => s.id === rememberedStore()) ?? stores.data.items[0];
    const sid = store.id;
    if (path === '/merchant/open-store') body = <OpenStorePage first={false} onCreated={opened} />;
    else if (path === '/merchant/application' || ONBOARDING_STATUSES.has(store.status)) body = <ApplicationPage key={sid} storeId={sid} onChanged={stores.reload} />;
    else body = route(path, query, sid, store.my_role ?? '', stores.reload) ?? <Empty>{t('notFound')}</Empty>;
  }
  const nav = store && ONBOARDING_STATUSES.has(store.status) ? ONBOARDING_NAV : NAV;
  return (
    <div className="face merchant">
      <a href="#main" className="skip">{t('skip')}</a>
      <header className="topbar dark">
        <Link to="/merchant" className="brand">{t('m.brand')}</Link>
        {stores.data && stores.data.items.length > 0 && store && (
          <>
            <label htmlFor="store-pick" className="sr-only">{t('m.store')}</label>
            <select id="store-pick" className="store-pick" value={store.id} onChange={(e) => { rememberStore(e.target.value); stores.reload(); }}>
              {stores.data.items.map((s) => <option key={s.id} value={s.id}>{s.name}{s.status !== 'open' ? ` (${tx(`status.store.${s.status}`, tx(`status.${s.status}`, s.status))})` : ''}</option>)}
            </select>
          </>
        )}
        <span className="grow" />
        <LangSwitch />
        {session && <button type="button" className="linklike light" onClick={() => void api.logout()}>{t('logout')}</button>}
      </header>
      {session && store && (
        <nav className="sidenav" aria-label={t('nav.main')}>
          {nav.map(([to, key]) => (
            <Link key={to} to={to} className={isActive(to, path) ? 'active' : ''} aria-current={isActive(to, path) ? 'page' : undefined}>{t(key)}</Link>
          ))}
        </nav>
      )}
      <main id="main" className="wide">{body}</main>
    </div>
  );
}
