import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './lib/i18n.tsx';
import { useLocation } from './lib/router.tsx';
import { Loading } from './ui/states.tsx';
import './styles.css';

// One chunk per face: a buyer's phone never downloads the merchant or console code.
const Storefront = lazy(() => import('./storefront/app.tsx'));
const Merchant = lazy(() => import('./merchant/app.tsx'));
const Console = lazy(() => import('./console/app.tsx'));

function Faces() {
  const { path } = useLocation();
  const face = path === '/merchant' || path.startsWith('/merchant/') ? 'merchant' : path === '/console' || path.startsWith('/console/') ? 'console' : 'buyer';
  return (
    <Suspense fallback={<Loading />}>
      {face === 'merchant' ? <Merchant /> : face === 'console' ? <Console /> : <Storefront />}
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Faces />
    </I18nProvider>
  </StrictMode>,
);
