import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sniffImage } from './image-type.ts';
import { assertKey } from './object-storage.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('sniffImage', () => {
  it('recognises JPEG, PNG, GIF and WebP by their signatures', () => {
    assert.equal(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0, 0))?.ext, 'jpg');
    assert.equal(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))?.content_type, 'image/png');
    assert.equal(sniffImage(Buffer.from('GIF89a...'))?.ext, 'gif');
    assert.equal(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '))?.ext, 'webp');
  });
  it('rejects anything else, including text that claims to be an image and truncated headers', () => {
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(sniffImage(Buffer.from('GIF87b')), null);
    assert.equal(sniffImage(bytes(0xff, 0xd8)), null);
    assert.equal(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WAVE')), null);
  });
});

describe('storage keys', () => {
  it('accept nested safe paths and refuse traversal or absolute paths', () => {
    assert.doesNotThrow(() => assertKey('stores/sto_1/abc.jpg'));
    for (const bad of ['../x', 'a/../b', '/etc/passwd', 'a//b', 'a/./b', '', 'a\\b']) assert.throws(() => assertKey(bad), bad);
  });
});
