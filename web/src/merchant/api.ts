import { client } from '../lib/api.ts';

export const api = client('merchant');
const KEY = 'xiaodian.merchant.store';
export const rememberStore = (id: string) => localStorage.setItem(KEY, id);
export const rememberedStore = () => localStorage.getItem(KEY);
