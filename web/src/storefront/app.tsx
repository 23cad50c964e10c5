import { lazy, Suspense, useState, type FormEvent } from 'react';
import { client } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { Link, match, navigate, useFocusHeading, useLocation } from '../lib/router.tsx';
import { useSession } from '../lib/session.ts';
import { LangSwitch } from '../ui/bits.tsx';
import { LoginForm } from '../ui/login.tsx';
import { Empty, Loading } from '../ui/states.tsx';
import { HomePage } from './home.tsx';
import { SearchPage } from './search.tsx';
import { StorePage } from './store.tsx';
import { ProductPage } from './product.tsx';
import { CartPage } from './cart.tsx';
import { CheckoutPage } from './checkout.tsx';
import { PayPage } from './pay.tsx';
import { OrderPage, OrdersPage } from './orders.tsx';
import { AftersalesListPage, AftersalesNewPage } from './aftersales.tsx';
import { LiveListPage, LiveRoomPage } from './live.tsx';
import { ContentPage } from './content.tsx';
import { CampaignPage } from './campaign.tsx';
import { ChatPage, ConversationsPage, StartChatPage } from './chat.tsx';

const api = client('buyer');
// Pre-sale screens load on demand: they stay out of the storefront's first download.
const PresaleDepositPage = lazy(() => import('./presale-deposit.tsx'));
const PresaleOrdersPage = lazy(() => import('./presale-orders.tsx').then((m) => ({ default: m.PresaleOrdersPage })));
const PresaleOrderPage = lazy(() => import('./presale-orders.tsx').then((m) => ({ default: m.PresaleOrderPage })));

function SearchBox() {
  const { t } = useI18n();
  const { path, query } = useLocation();
  const [q, setQ] = useState(path === '/search' ? query.get('q') ?? '' : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <form role="search" className="searchbox" onSubmit={submit}>
      <label htmlFor="q" className="sr-only">{t('search.label')}</label>
      <input id="q" type="search" enterKeyHint="search" placeholder={t('search.placeholder')} value={q} onChange={(e) => setQ(e.target.value)} />
      <button type="submit" className="btn primary">{t('search.go')}</button>
    </form>
  );
}

function NeedLogin({ next }: { next: string }) {
  const { t } = useI18n();
  return <LoginForm face="buyer" title={t('login.buyerTitle')} hint={t('login.demoBuyer')} onDone={() => navigate(next, { replace: true })} />;
}

export default function Storefront() {
  const { t } = useI18n();
  const { path, query } = useLocation();
  const session = useSession('buyer');
  useFocusHeading(path);
  const here = path + (query.toString() ? `?${query}` : '');
  const needsLogin = ['/cart', '/checkout', '/orders', '/presale', '/aftersales', '/messages'].some((p) => path === p || path.startsWith(`${p}/`)) || path.startsWith('/pay/');

  let page;
  let m: Record<string, string> | null;
  if (path === '/login') page = <NeedLogin next={query.get('next') || '/'} />;
  else if (needsLogin && !session) page = <NeedLogin next={here} />;
  else if (path === '/') page = <HomePage />;
  else if (path === '/search') page = <SearchPage />;
  else if ((m = match('/store/:id', path))) page = <StorePage id={m.id} />;
  else if ((m = match('/product/:id', path))) page = <ProductPage id={m.id} />;
  else if (path === '/cart') page = <CartPage />;
  else if (path === '/checkout') page = <CheckoutPage />;
  else if ((m = match('/pay/:id', path))) page = <PayPage checkoutId={m.id} />;
  else if (path === '/orders') page = <OrdersPage />;
  else if ((m = match('/orders/:id', path))) page = <OrderPage id={m.id} />;
  else if ((m = match('/orders/:id/aftersales/:lineId', path))) page = <AftersalesNewPage orderId={m.id} lineId={m.lineId} />;
  else if (path === '/presale') page = <PresaleOrdersPage />;
  else if (path === '/presale/new') page = <PresaleDepositPage />;
  else if ((m = match('/presale/:id', path))) page = <PresaleOrderPage id={m.id} />;
  else if (path === '/aftersales') page = <AftersalesListPage />;
  else if (path === '/messages') page = <ConversationsPage />;
  else if (path === '/messages/new') page = <StartChatPage />;
  else if ((m = match('/messages/:id', path))) page = <ChatPage id={m.id} />;
  else if (path === '/live') page = <LiveListPage />;
  else if ((m = match('/contents/:id', path))) page = <ContentPage id={m.id} />;
  else if ((m = match('/campaigns/:id', path))) page = <CampaignPage id={m.id} />;
  else if ((m = match('/live/:id', path))) page = <LiveRoomPage id={m.id} />;
  else page = <Empty action={<Link className="btn" to="/">{t('nav.home')}</Link>}>{t('notFound')}</Empty>;

  const tab = (to: string, label: string, active: boolean) => (
    <Link to={to} className={active ? 'active' : ''} aria-current={active ? 'page' : undefined}>{label}</Link>
  );
  return (
    <div className="face buyer">
      <a href="#main" className="skip">{t('skip')}</a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label={t('brand.home')}>小店</Link>
        <SearchBox />
        <LangSwitch />
      </header>
      <main id="main"><Suspense fallback={<Loading />}>{page}</Suspense></main>
      <nav className="tabbar" aria-label={t('nav.main')}>
        {tab('/', t('nav.home'), path === '/')}
        {tab('/search', t('nav.search'), path === '/search')}
        {tab('/cart', t('nav.cart'), path === '/cart')}
        {tab('/orders', t('nav.orders'), path.startsWith('/orders') || path.startsWith('/presale') || path === '/aftersales')}
        {session ? (
          <button type="button" className="linklike" onClick={() => void api.logout()}>{t('logout')}</button>
        ) : (
          tab(`/login?next=${encodeURIComponent(here)}`, t('login.submit'), path === '/login')
        )}
      </nav>
    </div>
  );
}
