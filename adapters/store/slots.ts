/** Redis Cluster's key space: 16,384 hash slots, a key's slot being the CRC16 (XMODEM) of its hash tag. */
export const HASH_SLOTS = 16_384;

const CRC16 = new Uint16Array(256);
for (let byte = 0; byte < 256; byte++) {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  CRC16[byte] = crc;
}

function crc16(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ (CRC16[((crc >> 8) ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  return crc;
}

/** The slot Redis Cluster puts `key` in: its hash tag's (the text between the first `{` and the next `}`, if any). */
export function hashSlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  const close = open >= 0 ? bytes.indexOf(0x7d, open + 1) : -1;
  const tagged = close > open + 1;
  return crc16(bytes, tagged ? open + 1 : 0, tagged ? close : bytes.length) % HASH_SLOTS;
}

const TAG_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const TAG_FIRST = 'abcdefghijklmnopqrstuvwxyz';
export const SLOT_TAG_LENGTH = 4;
const TAG_COUNT = TAG_FIRST.length * TAG_ALPHABET.length ** (SLOT_TAG_LENGTH - 1);

// A letter first, so no tag is ever four digits: one never reads as a PIN, in a log or anywhere else.
function tagAt(index: number): string {
  let tag = '';
  let rest = index;
  for (let i = 1; i < SLOT_TAG_LENGTH; i++, rest = Math.floor(rest / TAG_ALPHABET.length)) {
    tag = (TAG_ALPHABET[rest % TAG_ALPHABET.length] ?? '0') + tag;
  }
  return (TAG_FIRST[rest % TAG_FIRST.length] ?? 'a') + tag;
}

// For each slot, the first tag (in the alphabet's order) that hashes to it, found once (some 20 ms: tens of
// thousands of tags are tried before every slot has one); kept as indexes, 64 KiB.
let tagIndexes: Uint32Array | undefined;

/** A short tag (a letter, then three of `0-9a-z`) in `slot`: a key with `{tag}` lands in that slot. The same tag every time. */
export function tagForSlot(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= HASH_SLOTS) throw new RangeError(`no hash slot ${slot}`);
  if (!tagIndexes) {
    const found = new Uint32Array(HASH_SLOTS).fill(0xffffffff);
    const bytes = new Uint8Array(SLOT_TAG_LENGTH);
    let missing = HASH_SLOTS;
    for (let index = 0; missing > 0 && index < TAG_COUNT; index++) {
      const tag = tagAt(index);
      for (let i = 0; i < SLOT_TAG_LENGTH; i++) bytes[i] = tag.charCodeAt(i);
      const at = crc16(bytes, 0, SLOT_TAG_LENGTH) % HASH_SLOTS;
      if (found[at] === 0xffffffff) {
        found[at] = index;
        missing -= 1;
      }
    }
    if (missing > 0) throw new Error(`${missing} hash slots have no tag of ${SLOT_TAG_LENGTH} characters`);
    tagIndexes = found;
  }
  return tagAt(tagIndexes[slot] ?? 0);
}
