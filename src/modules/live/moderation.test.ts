import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModerator } from './moderation.ts';

test('a banned word is found across spaces, case and full-width letters; ordinary comments pass', () => {
  const check = createModerator(['拼多多']);
  assert.deepEqual(check('主播好美，这件怎么搭配？'), { ok: true });
  assert.equal(check('加 微 信 便宜').ok, false);
  assert.equal(check('有Ａ货吗').ok, false);
  assert.equal(check('拼多多更便宜').ok, false);
});
