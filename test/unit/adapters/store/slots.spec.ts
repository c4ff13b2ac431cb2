import { expect } from 'chai';
import { sessionIdBeside, storeKeys } from '../../../../adapters/store/keys.ts';
import { HASH_SLOTS, hashSlot, tagForSlot } from '../../../../adapters/store/slots.ts';

describe('hash slots', () => {
  // The examples of Redis's own documentation (CLUSTER KEYSLOT, and the hash tag rules of the cluster spec).
  it('puts keys where Redis Cluster does', () => {
    expect(hashSlot('somekey')).to.equal(11058);
    expect(hashSlot('foo{hash_tag}')).to.equal(2515);
    expect(hashSlot('{user1000}.following')).to.equal(hashSlot('{user1000}.followers'));
    expect(hashSlot('{user1000}.following')).to.equal(hashSlot('user1000'));
    // Only the first `{…}` counts, an empty one does not, and a tag ends at the first `}` after its `{`.
    expect(hashSlot('foo{bar}{zap}')).to.equal(hashSlot('bar'));
    expect(hashSlot('foo{}{bar}')).to.not.equal(hashSlot('bar'));
    expect(hashSlot('foo{{bar}}zap')).to.equal(hashSlot('{bar'));
    expect(hashSlot('foo{bar')).to.not.equal(hashSlot('bar'));
    expect(hashSlot('')).to.equal(0);
  });

  it('hashes a key as its UTF-8 bytes', () => {
    expect(hashSlot('{é}x')).to.equal(hashSlot('é'));
    expect(hashSlot('é')).to.not.equal(hashSlot('\u00e9'.normalize('NFD')));
  });

  it('has a four-character tag for every slot, in that slot, never all digits, the same each time', () => {
    const seen = new Set<string>();
    for (let slot = 0; slot < HASH_SLOTS; slot++) {
      const tag = tagForSlot(slot);
      expect(tag).to.match(/^[a-z][0-9a-z]{3}$/u);
      expect(hashSlot(`x{${tag}}y`), tag).to.equal(slot);
      seen.add(tag);
    }
    expect(seen.size).to.equal(HASH_SLOTS);
    expect(tagForSlot(11058)).to.equal(tagForSlot(11058));
  });

  it('refuses a slot that does not exist', () => {
    for (const slot of [-1, HASH_SLOTS, 1.5, Number.NaN]) expect(() => tagForSlot(slot)).to.throw(RangeError);
  });
});

describe('session ids', () => {
  it('are unique UUIDs with the tag of their scope’s slot', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => sessionIdBeside('a:0123456789abcdef0123456789abcdef')));
    expect(ids.size).to.equal(1000);
    for (const id of ids)
      expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-[a-z][0-9a-z]{3}$/u);
  });

  it('keep the session and its render turn in the slot of the scope they were minted beside', () => {
    for (const scope of ['a:0123456789abcdef0123456789abcdef', 'a:x', 'agent:slack:T1:U1', 'ü']) {
      const id = sessionIdBeside(scope);
      const slot = hashSlot(storeKeys.scoped(scope, 'prompts'));
      expect(hashSlot(storeKeys.session(id)), scope).to.equal(slot);
      expect(hashSlot(storeKeys.turn(id)), scope).to.equal(slot);
    }
  });

  it('keep a session of any other id in a slot of its own, with its render turn', () => {
    for (const id of [
      '2daadfb9-f506-4929-a28d-626e53d29048',
      '2daadfb9-f506-4929-a28d-626e53d29048-K3X9',
      '2daadfb9-f506-4929-a28d-626e53d29048-k3x9z',
      '2daadfb9-f506-4929-a28d-626e53d29048-1357',
      'x}{y',
      '',
    ]) {
      expect(storeKeys.session(id)).to.equal(`sv:{s:${id}}`);
      expect(hashSlot(storeKeys.turn(id)), id).to.equal(hashSlot(storeKeys.session(id)));
    }
  });

  it('never name the key of another id, in either layout', () => {
    const placed = sessionIdBeside('a:x');
    const uuid = placed.slice(0, 36);
    const keys = [placed, uuid, `${uuid}-ABCD`, `${uuid}-${placed.slice(37)}x`].flatMap((id) => [
      storeKeys.session(id),
      storeKeys.turn(id),
    ]);
    expect(new Set(keys).size).to.equal(keys.length);
  });
});
