import { createHash } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import { invalid } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../../lib/page.ts';
import type { CatalogRepo, MediaRow } from '../catalog.repo.ts';
import { CONTENT_TYPE_BY_EXT, sniffImage, type ImageType } from './image-type.ts';
import type { ObjectStorage } from './object-storage.ts';

export interface Media {
  id: string;
  store_id: string;
  url: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: number;
}

const MEDIA_KEY_RE = /^stores\/sto_[0-9A-Z]{26}\/[0-9a-f]{64}\.(jpg|png|webp|gif)$/;

/**
 * Product images. Keys are content-addressed per store (`stores/<store>/<sha256>.<ext>`):
 * uploading the same picture twice gives the same image, and a URL never changes meaning,
 * so it can be cached forever.
 */
export function createMedia(deps: { repo: CatalogRepo; clock: Clock; storage: ObjectStorage; maxBytes: number }) {
  const { repo, clock, storage, maxBytes } = deps;
  const present = (r: MediaRow): Media => ({
    id: r.id, store_id: r.store_id, url: storage.publicUrl(r.storage_key), content_type: r.content_type, size_bytes: r.size_bytes, sha256: r.sha256, created_at: Number(r.created_at),
  });
  return {
    maxBytes,
    async uploadImage(storeId: string, bytes: Uint8Array, actorId: string): Promise<{ media: Media; created: boolean }> {
      if (bytes.length === 0) throw invalid('empty_upload', 'the request body is empty; send the image bytes').zh('上传内容为空');
      if (bytes.length > maxBytes) throw invalid('image_too_large', `images are at most ${maxBytes} bytes`, { max_bytes: maxBytes }).zh(`图片不能超过 ${Math.floor(maxBytes / 1024 / 1024)}MB`);
      const type: ImageType | null = sniffImage(bytes);
      if (!type) throw invalid('unsupported_image', 'only JPEG, PNG, WebP and GIF images are accepted').zh('仅支持 JPEG、PNG、WebP、GIF 图片');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const key = `stores/${storeId}/${sha256}.${type.ext}`;
      const existing = await repo.q().selectFrom('catalog_media').selectAll().where('storage_key', '=', key).executeTakeFirst();
      if (existing) return { media: present(existing), created: false };
      await storage.put(key, bytes, type.content_type);
      const row: MediaRow = { id: newId('med'), store_id: storeId, storage_key: key, content_type: type.content_type, size_bytes: bytes.length, sha256, uploaded_by: actorId, created_at: clock.now() };
      const inserted = await repo.q().insertInto('catalog_media').values(row).onConflict((oc) => oc.column('storage_key').doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
        const raced = await repo.q().selectFrom('catalog_media').selectAll().where('storage_key', '=', key).executeTakeFirstOrThrow();
        return { media: present(raced), created: false };
      }
      return { media: present(row), created: true };
    },

    async listMedia(storeId: string, opts: { limit?: number; cursor?: string }): Promise<Page<Media>> {
      const limit = clampLimit(opts.limit);
      const after = decodeCursor(opts.cursor);
      let query = repo.q().selectFrom('catalog_media').selectAll().where('store_id', '=', storeId).orderBy('id', 'desc').limit(limit + 1);
      if (after !== undefined) query = query.where('id', '<', String(after));
      const page = toPage(await query.execute(), limit, (m) => m.id);
      return { items: page.items.map(present), next_cursor: page.next_cursor };
    },

    /** Bytes of a public media key (anything else is "not there"). */
    async readMedia(key: string): Promise<{ bytes: Buffer; content_type: string } | null> {
      const m = MEDIA_KEY_RE.exec(key);
      if (!m) return null;
      const bytes = await storage.get(key);
      return bytes && { bytes, content_type: CONTENT_TYPE_BY_EXT[m[1] as ImageType['ext']] };
    },
  };
}
