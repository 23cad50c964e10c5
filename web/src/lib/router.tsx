import { useEffect, useState, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny history router: path + query, <Link>, navigate(), and `match` for route patterns. */
const subs = new Set<() => void>();
const notify = () => subs.forEach((f) => f());
window.addEventListener('popstate', notify);

function subscribe(f: () => void) {
  subs.add(f);
  return () => subs.delete(f);
}
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

export interface Location { path: string; query: URLSearchParams }
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const i = href.indexOf('?');
  return { path: i < 0 ? href : href.slice(0, i), query: new URLSearchParams(i < 0 ? '' : href.slice(i)) };
}

/** `/product/:id` against `/product/prd_1` → { id: 'prd_1' }; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return out;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/** Moves focus to the page heading after navigation so screen readers announce the new page. */
export function useFocusHeading(dep: string): void {
  const [first, setFirst] = useState(true);
  useEffect(() => {
    if (first) {
      setFirst(false);
      return;
    }
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      h.tabIndex = -1;
      h.focus({ preventScroll: true });
    }
  }, [dep]);
}
