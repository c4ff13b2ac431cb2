import { expect } from 'chai';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { until } from '../support/processes.ts';
import { useReplicas } from '../support/replicas.ts';
import { buttonClick, type SlackCall, shownText } from '../support/slack.ts';

describe('three server processes on one Redis', function () {
  this.timeout(90_000);
  const { replicas } = useReplicas(3);

  const posts = (agent: string) => replicas.agentPosts(agent);
  const updates = (agent: string) => replicas.agentUpdates(agent);
  const startOn = (replica: number, agent: string, customer: string) =>
    replicas.startVerification(replica, agent, customer);

  const cardUpdates = (agent: string, count: number) => replicas.cardUpdates(agent, count);

  it('runs a device verification whose steps land on three replicas, one card update per state change, then revoked', async () => {
    const agent = 'U0AGENTA1';
    const { answer, sessionId } = await replicas.deviceFlow(
      { command: 0, button: 1, device: 2 },
      agent,
      'alex@example.com',
    );
    expect(answer.json).to.deep.equal({ state: 'verified' });
    const shown = await cardUpdates(agent, 2);
    expect(shown, 'awaiting the device, then verified').to.have.length(2);
    expect(shownText(shown[1] as SlackCall))
      .to.contain('is verified')
      .and.contain('DMPXK1ALEX01');
    expect(posts(agent), 'one card, posted once').to.have.length(1);

    // Revoked through another replica than the one that verified: access ends at once, wherever it is read.
    const revoke = await replicas.slackRequest(0, buttonClick(ACTIONS.revoke, sessionId, { user: agent }));
    expect(revoke.status).to.equal(200);
    const revoked = await cardUpdates(agent, 3);
    expect(revoked, 'one more update').to.have.length(3);
    expect(shownText(revoked[2] as SlackCall))
      .to.contain('Access revoked.')
      .and.not.contain('DMPXK1ALEX01');
  });

  it('runs a PIN verification: command on B, PIN chosen on C, PIN issued and entered on A', async () => {
    const agent = 'U0AGENTB2';
    const { issued, submit } = await replicas.pinFlow({ command: 1, button: 2, portal: 0, submit: 0 }, agent, {
      email: 'jan@example.nl',
      accountId: 'demo-jan',
    });
    expect(issued.status).to.equal(201);
    expect(submit.status).to.equal(200);
    const shown = await cardUpdates(agent, 2);
    expect(shown, 'awaiting the PIN, then verified').to.have.length(2);
    expect(shownText(shown[1] as SlackCall)).to.contain('F17ZJ3JAN003');
  });

  it('finishes a flow on the other replicas when the one that started it is killed', async () => {
    const agent = 'U0AGENTC3';
    const sessionId = await startOn(0, agent, 'alex@example.com');
    replicas.kill(0);
    await replicas.list[0]?.process.exited;

    const before = replicas.prompts().length;
    await replicas.slackRequest(1, buttonClick(ACTIONS.chooseDevice, sessionId, { user: agent }));
    await until(() => replicas.prompts().length > before && updates(agent).length > 0, 10_000);
    const prompt = replicas.prompts().at(-1);
    const waiting = shownText(updates(agent)[0] as SlackCall);
    const number = prompt?.numberChoices.find((n) => waiting.includes(`*${n}*`));
    const answer = await replicas.deviceAnswer(2, prompt ?? { promptId: '' }, 'confirmed', number);
    expect(answer.json).to.deep.equal({ state: 'verified' });

    const shown = await cardUpdates(agent, 2);
    expect(shown, 'the card replica A posted is the one updated').to.have.length(2);
    expect(shown.every((u) => u.args.ts === shown[0]?.args.ts)).to.equal(true);
    expect(shownText(shown[1] as SlackCall)).to.contain('is verified');
    expect(replicas.list[1]?.process.child.exitCode).to.equal(null);
    expect(replicas.list[2]?.process.child.exitCode).to.equal(null);
  });
});
