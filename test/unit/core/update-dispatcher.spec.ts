import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBus } from '../../../adapters/bus/in-process-bus.ts';
import { MemorySessionStore } from '../../../adapters/store/memory-session-store.ts';
import type { AgentChannel, CustomerChannel } from '../../../core/ports/index.ts';
import { RenderTurns } from '../../../core/render-turns.ts';
import type { Session } from '../../../core/session.ts';
import { UpdateDispatcher } from '../../../core/update-dispatcher.ts';
import { FakeClock } from '../../support/clock.ts';
import { AGENT, type FlowFixture, flowFixture } from '../../support/fakes.ts';
import { until } from '../../support/processes.ts';

const agent = { kind: 'agent', who: AGENT } as const;

class RecordingChannel implements AgentChannel, CustomerChannel {
  readonly rendered: Array<[string, number, string]> = [];
  failing = false;
  async render(session: Session): Promise<void> {
    if (this.failing) throw new Error('platform down');
    this.rendered.push([session.id, session.version, session.state]);
  }
}

describe('UpdateDispatcher', () => {
  let f: FlowFixture;
  let slack: RecordingChannel;
  let customer: RecordingChannel;
  let errors: string[];
  let dispatchers: UpdateDispatcher[];

  const dispatcher = (fixture: FlowFixture) => {
    const d = new UpdateDispatcher({
      bus: fixture.bus,
      store: fixture.store,
      verification: fixture.verification,
      clock: fixture.clock,
      agentChannels: { slack },
      customerChannels: [customer],
      onError: (_e, what) => errors.push(what),
    });
    dispatchers.push(d);
    return d;
  };
  const settled = async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      await Promise.all(dispatchers.map((d) => d.idle()));
    }
  };

  beforeEach(async () => {
    f = await flowFixture();
    slack = new RecordingChannel();
    customer = new RecordingChannel();
    errors = [];
    dispatchers = [];
  });
  afterEach(async () => {
    sinon.restore();
    await Promise.all(dispatchers.map((d) => d.stop()));
  });

  it('renders every committed version where the agent works, and on the customer side', async () => {
    await dispatcher(f).start();
    const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await settled();
    await f.verification.choosePin(session.id, agent);
    await settled();
    await f.verification.cancel(session.id, agent);
    await settled();
    const expected = [
      [session.id, 1, 'started'],
      [session.id, 2, 'awaiting_pin'],
      [session.id, 3, 'cancelled'],
    ];
    expect(slack.rendered).to.deep.equal(expected);
    expect(customer.rendered).to.deep.equal(expected);
  });

  /**
   * Two replicas on one store and bus (and `extraListeners` more dispatchers on the second); a device flow whose
   * start, device choice and answer land on the replicas `steps` names, each step rendered before the next.
   */
  async function flowAcrossReplicas(
    steps: (replicas: [FlowFixture, FlowFixture]) => [FlowFixture, FlowFixture, FlowFixture],
    extraListeners = 0,
  ) {
    const clock = new FakeClock();
    const store = new MemorySessionStore(clock);
    const bus = new InProcessBus();
    const replicas: [FlowFixture, FlowFixture] = [
      await flowFixture({ store, bus, clock }),
      await flowFixture({ store, bus, clock }),
    ];
    for (const replica of replicas) await dispatcher(replica).start();
    for (let i = 0; i < extraListeners; i++) await dispatcher(replicas[1]).start();
    const take = sinon.spy(store, 'takeRenderTurn');
    const [starts, chooses, answers] = steps(replicas);
    const session = await starts.verification.start({ agent: AGENT, query: 'demo-jan' });
    await settled();
    const waiting = await chooses.verification.chooseDevice(session.id, agent);
    await settled();
    await answers.verification.deviceResponse(waiting.prompt?.id ?? '', 'confirmed', waiting.prompt?.matchNumber);
    await settled();
    return { replicas, take };
  }

  it('renders each version once however many replicas hear it', async () => {
    await flowAcrossReplicas(([a, b]) => [a, a, b], 1);
    expect(slack.rendered.map(([, v, s]) => `${v}:${s}`)).to.deep.equal([
      '1:started',
      '2:awaiting_device',
      '3:verified',
    ]);
  });

  it('renders its own commits with the turn they took: no replica asks for it, however many hear the update', async () => {
    const { replicas, take } = await flowAcrossReplicas(([a, b]) => [a, b, a]);
    expect(slack.rendered.map(([, v, s]) => `${v}:${s}`)).to.deep.equal([
      '1:started',
      '2:awaiting_device',
      '3:verified',
    ]);
    expect(take.callCount).to.equal(0);
    expect(replicas[0].updates.every((u) => u.turnMs === 10_000)).to.equal(true);
  });

  it('still shows a state once when the replica that committed it dies holding the turn', async () => {
    const clock = new FakeClock();
    const store = new MemorySessionStore(clock);
    const bus = new InProcessBus();
    const a = await flowFixture({ store, bus, clock });
    const b = await flowFixture({ store, bus, clock });
    // Replica A commits taking the turn, and dies before it renders.
    a.verification.renderCommits({ lease: () => ({ token: 'dead', turnMs: 200 }), committed: () => undefined });
    const survivors = [b, b].map((fixture) => {
      const d = new UpdateDispatcher({
        bus,
        store,
        verification: fixture.verification,
        clock,
        agentChannels: { slack },
        customerChannels: [],
        turns: new RenderTurns(store, { turnMs: 200 }),
      });
      dispatchers.push(d);
      return d;
    });
    for (const d of survivors) await d.start();
    const session = await a.verification.start({ agent: AGENT, query: 'demo-jan' });
    await settled();
    expect(slack.rendered, 'nobody renders while the holder may').to.deep.equal([]);
    clock.advance(1000);
    await until(() => slack.rendered.length > 0, 3000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await settled();
    expect(slack.rendered).to.deep.equal([[session.id, 1, 'started']]);
  });

  it('makes an unanswered prompt visibly expire, and a grant visibly end, when nobody acts', async () => {
    const timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await dispatcher(f).start();
    const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await f.verification.chooseDevice(session.id, agent);
    await settled();
    f.clock.advance(120_000);
    await timers.tickAsync(120_500);
    await settled();
    expect(slack.rendered.at(-1)).to.deep.equal([session.id, 3, 'expired']);

    const { pin } = await f.verification.issuePin('demo-jan');
    const second = await f.verification.start({ agent: AGENT, query: 'demo-jan' });
    await f.verification.choosePin(second.id, agent);
    await f.verification.submitPin(second.id, pin, agent);
    await settled();
    f.clock.advance(15 * 60_000);
    await timers.tickAsync(15 * 60_000 + 500);
    await settled();
    expect(slack.rendered.at(-1)).to.deep.equal([second.id, 4, 'closed']);
  });

  it('applies a deadline once, on the replica still running, when the one that set it has stopped', async () => {
    const timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const first = dispatcher(f);
    const second = dispatcher(f);
    await first.start();
    await second.start();
    const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await f.verification.chooseDevice(session.id, agent);
    await settled();
    await first.stop();
    f.clock.advance(120_000);
    await timers.tickAsync(1000);
    await settled();
    expect((await f.verification.get(session.id)).state).to.equal('expired');
    expect(slack.rendered.at(-1)).to.deep.equal([session.id, 3, 'expired']);
    await timers.tickAsync(5000);
    await settled();
    expect(f.audit.events.filter((e) => e.type === 'session_expired')).to.have.length(1);
  });

  it('keeps rendering on other channels when one fails, and reports the failure', async () => {
    await dispatcher(f).start();
    slack.failing = true;
    await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await settled();
    expect(customer.rendered).to.have.length(1);
    expect(errors).to.deep.equal(['render']);
  });

  it('ignores sessions whose platform has no agent channel here', async () => {
    await dispatcher(f).start();
    await f.verification.start({ agent: { ...AGENT, channel: 'teams' }, query: 'alex@example.com' });
    await settled();
    expect(slack.rendered).to.deep.equal([]);
    expect(customer.rendered).to.have.length(1);
  });
});
