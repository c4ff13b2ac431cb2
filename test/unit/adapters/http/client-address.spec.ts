import { expect } from 'chai';
import { ClientAddresses, invalidProxyEntry } from '../../../../adapters/http/client-address.ts';

const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers });

describe('the client a request counts against', () => {
  it('is the socket’s peer without trusted proxies, whatever the headers say', () => {
    const clients = new ClientAddresses();
    expect(clients.of(req('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' }))).to.equal('203.0.113.9');
    expect(clients.of(req('::ffff:203.0.113.9'))).to.equal('203.0.113.9');
    expect(clients.of({ headers: {} })).to.equal('unknown');
  });

  it('reads X-Forwarded-For right to left through trusted hops only, so a client cannot name itself', () => {
    const clients = new ClientAddresses(['10.0.0.0/8', '192.0.2.7']);
    expect(clients.of(req('10.1.1.1', { 'x-forwarded-for': '198.51.100.1' }))).to.equal('198.51.100.1');
    // The client sent a made-up first hop; the trusted proxy appended the address it saw.
    expect(clients.of(req('10.1.1.1', { 'x-forwarded-for': '1.2.3.4, 198.51.100.1' }))).to.equal('198.51.100.1');
    expect(clients.of(req('10.1.1.1', { 'x-forwarded-for': '198.51.100.1, 192.0.2.7, 10.9.9.9' }))).to.equal(
      '198.51.100.1',
    );
    // Not from a trusted proxy: the header is the sender's own word.
    expect(clients.of(req('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' }))).to.equal('203.0.113.9');
    // Every hop trusted: the leftmost.
    expect(clients.of(req('10.1.1.1', { 'x-forwarded-for': '10.2.2.2' }))).to.equal('10.2.2.2');
    // An unreadable hop stops at the last trusted proxy, which is then the one counted.
    expect(clients.of(req('10.1.1.1', { 'x-forwarded-for': 'unknown' }))).to.equal('10.1.1.1');
    expect(clients.of(req('10.1.1.1', { 'x-forwarded-for': '' }))).to.equal('10.1.1.1');
    expect(clients.of(req('10.1.1.1'))).to.equal('10.1.1.1');
  });

  it('prefers Forwarded (RFC 7239), with quotes, brackets and ports', () => {
    const clients = new ClientAddresses(['10.0.0.0/8']);
    const forwarded = 'for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"';
    expect(clients.of(req('10.0.0.1', { forwarded }))).to.equal('2001:db8:cafe:0::/64');
    expect(clients.of(req('10.0.0.1', { forwarded: 'for=192.0.2.60:8080', 'x-forwarded-for': '1.1.1.1' }))).to.equal(
      '192.0.2.60',
    );
    expect(clients.of(req('10.0.0.1', { forwarded: 'for=_hidden' }))).to.equal('10.0.0.1');
  });

  it('counts IPv6 clients per /64', () => {
    const clients = new ClientAddresses();
    expect(clients.of(req('2001:db8:1:2::1'))).to.equal('2001:db8:1:2::/64');
    expect(clients.of(req('2001:0db8:0001:0002:ffff:0:0:9'))).to.equal('2001:db8:1:2::/64');
    expect(clients.of(req('2001:db8:1:3::1'))).to.equal('2001:db8:1:3::/64');
    expect(clients.of(req('::1'))).to.equal('0:0:0:0::/64');
  });

  it('takes addresses and CIDR blocks as trusted proxies, and names a bad entry', () => {
    expect(invalidProxyEntry(['10.0.0.0/8', 'fd00::/8', '192.0.2.7', '::1'])).to.equal(undefined);
    expect(invalidProxyEntry(['10.0.0.0/33'])).to.equal('10.0.0.0/33');
    expect(invalidProxyEntry(['10.0.0/8'])).to.equal('10.0.0/8');
    expect(invalidProxyEntry(['fd00::/129'])).to.equal('fd00::/129');
    expect(() => new ClientAddresses(['proxy.internal'])).to.throw('TRUSTED_PROXIES');
  });
});
