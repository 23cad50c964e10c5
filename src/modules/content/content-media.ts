import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ObjectStorage } from '../catalog/index.ts';
import type { ContentRepo, MediaRow } from './content.repo.ts';

export interface ContentMedia { id: string; url: string; content_type: string; size_bytes: number; kind: 'video' | 'image' }

interface Sniffed { ext: string; content_type: string; kind: 'video' | 'image' }

const TYPE_BY_EXT: Record<string, string> = { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const KEY_RE = /^content\/(sto|acc)_[0-9A-Z]{26}\/[0-9a-f]{64}\.(mp4|mov|webm|jpg|png|webp)$/;

/** The type from the bytes themselves (the declared Content-Type is not trusted). */
export function sniffMedia(b: Uint8Array): Sniffed | null {
  const ascii = (from: number, to: number) => Buffer.from(b.subarray(from, to)).toString('latin1');
  if (b.length >= 12 && ascii(4, 8) === 'ftyp') return ascii(8, 10) === 'qt' ? { ext: 'mov', content_type: TYPE_BY_EXT.mov, kind: 'video' } : { ext: 'mp4', content_type: TYPE_BY_EXT.mp4, kind: 'video' };
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return { ext: 'webm', content_type: TYPE_BY_EXT.webm, kind: 'video' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ext: 'jpg', content_type: TYPE_BY_EXT.jpg, kind: 'image' };
  if (b.length >= 8 && b[0] === 0x89 && ascii(1, 4) === 'PNG') return { ext: 'png', content_type: TYPE_BY_EXT.png, kind: 'image' };
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { ext: 'webp', content_type: TYPE_BY_EXT.webp, kind: 'image' };
  return null;
}

/**
 * Uploaded videos and covers, kept through the same ObjectStorage as product images under
 * `content/<owner>/<sha256>.<ext>` (content-addressed: a URL never changes meaning).
 */
export function createContentMedia(deps: { repo: ContentRepo; clock: Clock; storage: ObjectStorage; videoMaxBytes: number; imageMaxBytes: number }) {
  const { repo, clock, storage } = deps;
  const present = (r: MediaRow, kind: 'video' | 'image'): ContentMedia => ({ id: r.id, url: storage.publicUrl(r.storage_key), content_type: r.content_type, size_bytes: Number(r.size_bytes), kind });
  return {
    async uploadContentMedia(owner: string, bytes: Uint8Array, actorId: string): Promise<{ media: ContentMedia; created: boolean }> {
      if (bytes.length === 0) throw invalid('empty_upload', 'the request body is empty; send the file bytes').zh('上传内容为空');
      const type = sniffMedia(bytes);
      if (!type) throw invalid('unsupported_media', 'only MP4, MOV and WebM videos and JPEG, PNG and WebP images are accepted').zh('仅支持 MP4、MOV、WebM 视频和 JPEG、PNG、WebP 图片');
      const max = type.kind === 'video' ? deps.videoMaxBytes : deps.imageMaxBytes;
      if (bytes.length > max) throw invalid('media_too_large', `${type.kind === 'video' ? 'videos' : 'images'} are at most ${max} bytes`, { max_bytes: max }).zh(`文件不能超过 ${Math.floor(max / 1024 / 1024)}MB`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const key = `content/${owner}/${sha256}.${type.ext}`;
      const existing = await repo.q().selectFrom('content_media').selectAll().where('storage_key', '=', key).executeTakeFirst();
      if (existing) return { media: present(existing, type.kind), created: false };
      await storage.put(key, bytes, type.content_type);
      const row: MediaRow = { id: newId('cmd'), owner, storage_key: key, content_type: type.content_type, size_bytes: bytes.length, sha256, uploaded_by: actorId, created_at: clock.now() };
      const inserted = await repo.q().insertInto('content_media').values(row).onConflict((oc) => oc.column('storage_key').doNothing()).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { media: present((await repo.q().selectFrom('content_media').selectAll().where('storage_key', '=', key).executeTakeFirstOrThrow()), type.kind), created: false };
      return { media: present(row, type.kind), created: true };
    },

    /** Bytes of an uploaded content file (anything else is "not there"). */
    async readContentMedia(key: string): Promise<{ bytes: Buffer; content_type: string } | null> {
      const m = KEY_RE.exec(key);
      if (!m) return null;
      const bytes = await storage.get(key);
      return bytes && { bytes, content_type: TYPE_BY_EXT[m[2]] };
    },
  };
}
