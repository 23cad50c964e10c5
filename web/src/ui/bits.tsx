import type { ReactNode } from 'react';
import { yuan } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';

export function Money({ fen, className, strike }: { fen: number; className?: string; strike?: boolean }) {
  const s = yuan(fen);
  return strike ? <s className={`money ${className ?? ''}`}>{s}</s> : <span className={`money ${className ?? ''}`}>{s}</span>;
}

/** A product picture, or a generated tile when the merchant uploaded none. */
export function Thumb({ src, title, size = 'md' }: { src?: string | null; title: string; size?: 'sm' | 'md' | 'lg' }) {
  if (src) return <img className={`thumb ${size}`} src={src} alt="" loading="lazy" />;
  let h = 0;
  for (const c of title) h = (h * 31 + c.codePointAt(0)!) % 360;
  return (
    <div className={`thumb ${size} tile`} style={{ background: `linear-gradient(135deg, hsl(${h} 70% 88%), hsl(${(h + 40) % 360} 70% 78%))` }} aria-hidden="true">
      <span>{[...title.replace(/\s+/g, '')].slice(0, 2).join('')}</span>
    </div>
  );
}

export function LangSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={lang === 'zh' ? 'Switch to English' : '切换到中文'}>
      {lang === 'zh' ? 'EN' : '中'}
    </button>
  );
}

export function StatusBadge({ status, kind = 'order' }: { status: string; kind?: 'order' | 'store' | 'review' | 'aftersales' | 'generic' }) {
  const { tx } = useI18n();
  return <span className={`badge s-${status} k-${kind}`}>{tx(`status.${kind}.${status}`, tx(`status.${status}`, status))}</span>;
}

export function Field({ label, children, hint, id }: { label: string; children: ReactNode; hint?: string; id: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="muted" id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card">
      <div className="card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
