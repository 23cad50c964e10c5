import { useI18n } from '../lib/i18n.tsx';
import { Link, useFocusHeading, useLocation } from '../lib/router.tsx';
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

const NAV = [
  ['/merchant', 'm.nav.dashboard'],
  ['/merchant/products', 'm.nav.products'],
  ['/merchant/orders', 'm.nav.orders'],
  ['/merchant/aftersales', 'm.nav.aftersales'],
  ['/merchant/finance', 'm.nav.finance'],
] as const;

/** 小店助手: the merchant's assistant, usable on a phone. */
export default function Merchant() {
  const { t } = useI18n();
  const { path } = useLocation();
  const session = useSession('merchant');
  useFocusHeading(path);
  const stores = useAsync((s) => (session ? api.get<{ items: Store[] }>('/merchant/stores', undefined, s) : Promise.resolve(null)), [session?.account_id]);

  let body;
  let store: Store | undefined;
  if (!session) body = <LoginForm face="merchant" title={t('m.login')} hint={t('login.demoMerchant')} />;
  else if (stores.error) body = <ErrorView error={stores.error} retry={stores.reload} />;
  else if (!stores.data) body = <Loading />;
  else if (stores.data.items.length === 0) body = <Empty>{t('m.noStores')}</Empty>;
  else {
    store = stores.data.items.find((s) => s.id === rememberedStore()) ?? stores.data.items[0];
    const sid = store.id;
    if (path === '/merchant' || path === '/merchant/') body = <Dashboard storeId={sid} />;
    else if (path === '/merchant/products') body = <ProductsPage storeId={sid} role={store.my_role ?? ''} />;
    else if (path === '/merchant/orders') body = <OrdersPage storeId={sid} />;
    else if (path === '/merchant/aftersales') body = <AftersalesPage storeId={sid} />;
    else if (path === '/merchant/finance') body = <FinancePage storeId={sid} />;
    else body = <Empty>{t('notFound')}</Empty>;
  }
  return (
    <div className="face merchant">
      <a href="#main" className="skip">{t('skip')}</a>
      <header className="topbar dark">
        <Link to="/merchant" className="brand">{t('m.brand')}</Link>
        {stores.data && stores.data.items.length > 0 && store && (
          <>
            <label htmlFor="store-pick" className="sr-only">{t('m.store')}</label>
            <select id="store-pick" className="store-pick" value={store.id} onChange={(e) => { rememberStore(e.target.value); stores.reload(); }}>
              {stores.data.items.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
          </>
        )}
        <span className="grow" />
        <LangSwitch />
        {session && <button type="button" className="linklike light" onClick={() => void api.logout()}>{t('logout')}</button>}
      </header>
      {session && store && (
        <nav className="sidenav" aria-label={t('nav.main')}>
          {NAV.map(([to, key]) => (
            <Link key={to} to={to} className={path === to ? 'active' : ''} aria-current={path === to ? 'page' : undefined}>{t(key)}</Link>
          ))}
        </nav>
      )}
      <main id="main" className="wide">{body}</main>
    </div>
  );
}
