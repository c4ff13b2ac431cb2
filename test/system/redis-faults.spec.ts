import { expect } from 'chai';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { VERBS } from '../../bots/teams/cards.ts';
import { type HttpAnswer, request } from '../support/http.ts';
import { until } from '../support/processes.ts';
import { sleep } from '../support/redis-fixture.ts';
import { useReplicas } from '../support/replicas.ts';
import { buttonClick, type SlackCall, shownText, slashCommand } from '../support/slack.ts';
import { cardAction } from '../support/teams.ts';

// How fast each answer comes is a budget for `npm run bench`; these check that every request is answered,
// what it says, that nothing is granted, and that the replicas carry on once Redis is back.
describe('three replicas while Redis fails', function () {
  this.timeout(120_000);
  const { redis, replicas } = useReplicas(3);

  let agentNumber = 0;
  const updates = (agent: string) => replicas.agentUpdates(agent);

  /** Starts a device verification on replica 0, chooses the device on 1: the prompt is then pending. */
  async function pendingPrompt(customer: string) {
    const agent = `U0FAULT${String(++agentNumber).padStart(2, '0')}`;
    const sessionId = await replicas.startVerification(0, agent, customer);
    const before = replicas.prompts().length;
    await replicas.slackRequest(1, buttonClick(ACTIONS.chooseDevice, sessionId, { user: agent }));
    await until(() => replicas.prompts().length > before && updates(agent).length > 0, 10_000);
    const prompt = replicas.prompts().at(-1) ?? { promptId: '', numberChoices: [] };
    const shown = shownText(updates(agent)[0] as SlackCall);
    return { agent, sessionId, prompt, number: prompt.numberChoices.find((n) => shown.includes(`*${n}*`)) };
  }

  const readiness = () => Promise.all(replicas.list.map((r) => request(`${r.url}/readyz`).then((a) => a.status)));
  const storeHealth = () =>
    Promise.all(replicas.list.map((r) => request(`${r.url}/healthz?deep`).then((a) => a.status)));

  /** What every replica answers while Redis cannot: Slack acked with "try again", APIs 503, Teams answered. */
  async function expectFailClosed(flow: Awaited<ReturnType<typeof pendingPrompt>>): Promise<void> {
    const command = await replicas.slackRequest(2, slashCommand('jan@example.nl', { user_id: flow.agent }));
    expect(command.status).to.equal(200);
    expect(String(command.json.text)).to.contain('temporarily unavailable');

    const answer: HttpAnswer = await replicas.deviceAnswer(0, flow.prompt, 'confirmed', flow.number);
    expect(answer.status).to.equal(503);
    expect(answer.json.error?.code).to.equal('temporarily_unavailable');
    expect(answer.headers.get('retry-after')).to.equal('2');

    const invoke = await request(`${replicas.url(1)}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        cardAction('http://127.0.0.1:1/unreachable', VERBS.chooseDevice, { sessionId: flow.sessionId }),
      ),
    });
    expect(invoke.status, 'a Teams card action is answered, not left to time out').to.equal(200);
    expect(invoke.text).to.contain('temporarily unavailable');

    expect(await readiness(), 'every replica stays in the load balancer: it gives the answers above').to.deep.equal([
      200, 200, 200,
    ]);
    expect(await storeHealth(), 'and says Redis is down where monitoring asks').to.deep.equal([503, 503, 503]);
    expect(replicas.allAlive(), 'no replica crashed').to.equal(true);
  }

  async function untilReady(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await storeHealth()).every((status) => status === 200)) return;
      await sleep(100);
    }
    throw new Error('the replicas did not reach Redis again');
  }

  it('answers every request during a Redis crash, grants nothing, and carries on once it is back', async () => {
    const flow = await pendingPrompt('alex@example.com');
    await redis().stop();
    await expectFailClosed(flow);

    // Redis comes back empty (nothing was persisted): the pending verification is gone, not granted.
    await redis().launch();
    await untilReady();
    const late = await replicas.deviceAnswer(1, flow.prompt, 'confirmed', flow.number);
    expect(late.status).to.equal(404);
    expect(
      updates(flow.agent)
        .map((u) => shownText(u))
        .join('\n'),
    ).to.not.contain('is verified');

    const next = await pendingPrompt('alex@example.com');
    const answer = await replicas.deviceAnswer(2, next.prompt, 'confirmed', next.number);
    expect(answer.json).to.deep.equal({ state: 'verified' });
    expect(replicas.allAlive()).to.equal(true);
  });

  it('answers every request while Redis is stalled for 5 s, and finishes the same flow after', async () => {
    const flow = await pendingPrompt('jan@example.nl');
    const stalledAt = Date.now();
    redis().kill('SIGSTOP');
    try {
      await expectFailClosed(flow);
      await sleep(Math.max(0, 5000 - (Date.now() - stalledAt)));
    } finally {
      redis().kill('SIGCONT');
    }
    await untilReady();
    expect(
      updates(flow.agent)
        .map((u) => shownText(u))
        .join('\n'),
    ).to.not.contain('is verified');

    // Nothing was lost: the customer's answer, sent again, completes the verification that was pending.
    const answer = await replicas.deviceAnswer(1, flow.prompt, 'confirmed', flow.number);
    expect(answer.json).to.deep.equal({ state: 'verified' });
    await until(() => updates(flow.agent).length >= 2, 10_000);
    expect(shownText(updates(flow.agent).at(-1) as SlackCall)).to.contain('is verified');
    expect(replicas.allAlive()).to.equal(true);
  });
});
