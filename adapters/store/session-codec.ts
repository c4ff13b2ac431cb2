import type { AgentRef, CustomerRef, Session } from '../../core/session.ts';

/**
 * How a session is written into Redis: one-letter keys, times relative to `createdAt`, no id (the key holds
 * it) and the prompt id without the session id it starts with. A waiting session is most of Redis' memory,
 * and this halves its JSON. Reads also accept a plain `JSON.stringify(session)`, as earlier versions wrote.
 */
interface Stored {
  V: 1;
  v: number;
  s: Session['state'];
  a: string;
  l: Session['customerLocale'];
  g: { i: string; n: string; c: AgentRef['channel']; w?: string; l: AgentRef['locale'] };
  c: number;
  u: number;
  x: number;
  m?: Session['method'];
  p?: { i: string; x: number; n?: number };
  t?: number;
  r?: Session['reason'];
  o?: Session['notice'];
  G?: { a: string; x: number };
  /** The customer; channel and workspace only where they differ from the agent's (`w: null`: none). */
  C?: { i: string; c?: CustomerRef['channel']; w?: string | null; n?: string };
  h?: string;
  f?: Record<string, string>;
  /** Availability as the session has it; rare (a lock, a cool-down, an earlier grant), so kept as is. */
  A?: Session['availability'];
}

export function encodeSession(session: Session): string {
  const { createdAt } = session;
  const prefix = `${session.id}.`;
  const stored: Stored = {
    V: 1,
    v: session.version,
    s: session.state,
    a: session.accountId,
    l: session.customerLocale,
    g: {
      i: session.agent.id,
      n: session.agent.displayName,
      c: session.agent.channel,
      ...(session.agent.workspaceId === undefined ? {} : { w: session.agent.workspaceId }),
      l: session.agent.locale,
    },
    c: createdAt,
    u: session.updatedAt - createdAt,
    x: session.expiresAt - createdAt,
    ...(session.method === undefined ? {} : { m: session.method }),
    ...(session.prompt === undefined
      ? {}
      : {
          p: {
            // A leading '.' marks an id that did not start with the session's own.
            i: session.prompt.id.startsWith(prefix) ? session.prompt.id.slice(prefix.length) : `.${session.prompt.id}`,
            x: session.prompt.expiresAt - createdAt,
            ...(session.prompt.matchNumber === undefined ? {} : { n: session.prompt.matchNumber }),
          },
        }),
    ...(session.pinTriesLeft === undefined ? {} : { t: session.pinTriesLeft }),
    ...(session.reason === undefined ? {} : { r: session.reason }),
    ...(session.notice === undefined ? {} : { o: session.notice }),
    ...(session.grant === undefined ? {} : { G: { a: session.grant.agentId, x: session.grant.expiresAt - createdAt } }),
    ...(session.customer === undefined ? {} : { C: encodeCustomer(session.customer, session.agent) }),
    ...(session.conversation === undefined ? {} : { h: session.conversation }),
    ...(session.refs === undefined ? {} : { f: session.refs }),
    ...(session.availability === undefined ? {} : { A: session.availability }),
  };
  return JSON.stringify(stored);
}

export function decodeSession(id: string, data: string): Session {
  const parsed = JSON.parse(data) as Stored | Session;
  if (!('V' in parsed)) return parsed;
  const stored = parsed;
  const c = stored.c;
  const session: Session = {
    id,
    version: stored.v,
    state: stored.s,
    accountId: stored.a,
    customerLocale: stored.l,
    agent: {
      id: stored.g.i,
      displayName: stored.g.n,
      channel: stored.g.c,
      ...(stored.g.w === undefined ? {} : { workspaceId: stored.g.w }),
      locale: stored.g.l,
    },
    createdAt: c,
    updatedAt: c + stored.u,
    expiresAt: c + stored.x,
  };
  if (stored.m !== undefined) session.method = stored.m;
  if (stored.p !== undefined) {
    session.prompt = {
      id: stored.p.i.startsWith('.') ? stored.p.i.slice(1) : `${id}.${stored.p.i}`,
      expiresAt: c + stored.p.x,
      ...(stored.p.n === undefined ? {} : { matchNumber: stored.p.n }),
    };
  }
  if (stored.t !== undefined) session.pinTriesLeft = stored.t;
  if (stored.r !== undefined) session.reason = stored.r;
  if (stored.o !== undefined) session.notice = stored.o;
  if (stored.G !== undefined) session.grant = { agentId: stored.G.a, expiresAt: c + stored.G.x };
  if (stored.C !== undefined) {
    const workspaceId = stored.C.w === undefined ? session.agent.workspaceId : (stored.C.w ?? undefined);
    session.customer = {
      id: stored.C.i,
      channel: stored.C.c ?? session.agent.channel,
      ...(workspaceId === undefined ? {} : { workspaceId }),
      ...(stored.C.n === undefined ? {} : { displayName: stored.C.n }),
    };
  }
  if (stored.h !== undefined) session.conversation = stored.h;
  if (stored.f !== undefined) session.refs = stored.f;
  if (stored.A !== undefined) session.availability = stored.A;
  return session;
}

function encodeCustomer(customer: CustomerRef, agent: AgentRef): NonNullable<Stored['C']> {
  return {
    i: customer.id,
    ...(customer.channel === agent.channel ? {} : { c: customer.channel }),
    ...(customer.workspaceId === agent.workspaceId ? {} : { w: customer.workspaceId ?? null }),
    ...(customer.displayName === undefined ? {} : { n: customer.displayName }),
  };
}
