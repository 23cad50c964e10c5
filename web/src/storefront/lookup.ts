import type { Product, Store } from '../lib/types.ts';
import { api } from './api.ts';

// Products and stores seen in this tab, so a cart or an order list does not refetch them.
const products = new Map<string, Promise<Product | null>>();
const stores = new Map<string, Promise<Store | null>>();

export function productById(id: string): Promise<Product | null> {
  let p = products.get(id);
  if (!p) {
    p = api.get<Product>(`/products/${id}`).catch(() => null);
    products.set(id, p);
  }
  return p;
}

export function storeById(id: string): Promise<Store | null> {
  let p = stores.get(id);
  if (!p) {
    p = api.get<Store>(`/stores/${id}`).catch(() => null);
    stores.set(id, p);
  }
  return p;
}

export async function storeNames(ids: string[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids)];
  const got = await Promise.all(uniq.map(storeById));
  return new Map(uniq.map((id, i) => [id, got[i]?.name ?? id]));
}
