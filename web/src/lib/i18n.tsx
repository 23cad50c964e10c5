import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { dict, type MessageKey } from './messages.ts';

/** Chinese first; English by the switch in the header. The choice is remembered. */
export type Lang = 'zh' | 'en';
const STORE = 'xiaodian.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORE);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* private mode */
  }
  return 'zh';
}

type Vars = Record<string, string | number>;
export type T = (key: MessageKey, vars?: Vars) => string;
interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t: T;
  /** A dynamic key (e.g. a status from the server), or the fallback when the dictionary lacks it. */
  tx(key: string, fallback?: string): string;
  pick(zh: string | null | undefined, en: string | null | undefined): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORE, l);
    } catch {
      /* ignore */
    }
  }, []);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang,
    t: (key, vars) => {
      let s: string = dict[lang][key] ?? dict.zh[key] ?? key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
      return s;
    },
    tx: (key, fallback) => (dict[lang] as Record<string, string>)[key] ?? (dict.zh as Record<string, string>)[key] ?? fallback ?? key,
    pick: (zh, en) => (lang === 'en' ? en || zh || '' : zh || en || ''),
  }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const c = useContext(Ctx);
  if (!c) throw new Error('useI18n outside I18nProvider');
  return c;
}
