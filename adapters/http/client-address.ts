import { BlockList, isIP } from 'node:net';

/** A request as far as its client's address goes. */
export interface AddressedRequest {
  socket?: { remoteAddress?: string | undefined } | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** Whether each entry is an address or a CIDR block (`10.0.0.0/8`, `fd00::/8`); the first bad one, if any. */
export function invalidProxyEntry(entries: string[]): string | undefined {
  return entries.find((entry) => parseBlock(entry) === undefined);
}

/**
 * The client a request counts against, for per-client limits. Without trusted proxies it is the socket's
 * peer. With them, `Forwarded` (RFC 7239) or else `X-Forwarded-For` is read right to left, only through hops
 * that are trusted proxies: the first address that is not one is the client, so a client cannot name itself
 * by sending the header. IPv6 clients count per /64, the block one subscriber usually holds.
 */
export class ClientAddresses {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  constructor(trustedProxies: string[] = []) {
    for (const entry of trustedProxies) {
      const block = parseBlock(entry);
      if (!block) throw new Error('TRUSTED_PROXIES has an entry that is not an address or CIDR block');
      this.trusted.addSubnet(block.address, block.prefix, block.family);
    }
    this.any = trustedProxies.length > 0;
  }

  /** The key a request's client is counted under: an IPv4 address, or an IPv6 /64 as `prefix::/64`. */
  of(req: AddressedRequest): string {
    let client = normalise(req.socket?.remoteAddress ?? '');
    if (!client) return 'unknown';
    if (this.any && this.isTrusted(client)) {
      const hops = forwardedFor(req.headers);
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalise(hops[i] ?? '');
        // An unreadable hop ends the walk at the last trusted proxy: it is then the one counted.
        if (!hop) break;
        client = hop;
        if (!this.isTrusted(hop)) break;
      }
    }
    return keyOf(client);
  }

  private isTrusted(address: string): boolean {
    return this.trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
}

function parseBlock(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/u.test(prefixText ?? String(max)) || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** The addresses a request was forwarded for, nearest the client first, as the headers give them. */
function forwardedFor(headers: AddressedRequest['headers']): string[] {
  const join = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : (value ?? ''));
  const forwarded = join(headers.forwarded);
  if (forwarded) {
    // for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"
    return forwarded.split(',').map((element) => {
      const pair = element.split(';').find((p) => p.trim().toLowerCase().startsWith('for='));
      return pair ? pair.trim().slice(4).replace(/^"|"$/gu, '') : '';
    });
  }
  return join(headers['x-forwarded-for'])
    .split(',')
    .map((hop) => hop.trim());
}

/** An address without port, brackets or IPv4-mapped prefix; '' when it is not an address (`unknown`, `_hidden`). */
function normalise(raw: string): string {
  let address = raw.trim();
  if (address.startsWith('[')) address = address.slice(1, address.indexOf(']'));
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/u.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  if (address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) === 0 ? '' : address.toLowerCase();
}

function keyOf(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expand(address).slice(0, 4).join(':')}::/64`;
}

function expand(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.replace(/^0+(?=.)/u, ''));
}
