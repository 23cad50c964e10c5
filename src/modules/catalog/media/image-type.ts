/**
 * What an uploaded file really is, from its first bytes (the declared Content-Type is the
 * client's claim). Only the web image formats a storefront shows are accepted.
 */
export interface ImageType {
  ext: 'jpg' | 'png' | 'webp' | 'gif';
  content_type: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

export function sniffImage(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { ext: 'jpg', content_type: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: 'png', content_type: 'image/png' };
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return { ext: 'gif', content_type: 'image/gif' };
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return { ext: 'webp', content_type: 'image/webp' };
  return null;
}

export const CONTENT_TYPE_BY_EXT: Readonly<Record<ImageType['ext'], ImageType['content_type']>> = {
  jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif',
};
