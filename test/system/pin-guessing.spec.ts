import { expect } from 'chai';
import { RedisAuditLog } from '../../adapters/audit/redis-audit-log.ts';
import { ACTIONS, PIN_INPUT, VIEWS } from '../../bots/slack/blocks.ts';
import { TEST_PORTAL_KEY } from '../support/app.ts';
import { until } from '../support/processes.ts';
import { useReplicas } from '../support/replicas.ts';
import { buttonClick, shownText, viewSubmission } from '../support/slack.ts';

const GUESSES = 10_000;
const IN_FLIGHT = 400;
const SESSIONS = 20;

describe('PIN guessing across three replicas', function () {
  this.timeout(180_000);
  const { redis, replicas } = useReplicas(3);

  it(`accepts no more of ${GUESSES} concurrent wrong guesses than the limits allow, and then refuses the right PIN`, async () => {
    // Twenty agents each open a verification of one account and choose the PIN, on any replica.
    const sessions: Array<{ agent: string; sessionId: string }> = [];
    for (let i = 0; i < SESSIONS; i++) {
      const agent = `U0GUESS${String(i).padStart(2, '0')}`;
      const sessionId = await replicas.startVerification(i % 3, agent, 'alex@example.com');
      await replicas.slackRequest((i + 1) % 3, buttonClick(ACTIONS.choosePin, sessionId, { user: agent }));
      sessions.push({ agent, sessionId });
    }
    await until(() => sessions.every((s) => replicas.agentUpdates(s.agent).length > 0), 20_000);

    // Then 10,000 wrong PINs, 400 at a time, each to a random replica and session.
    let next = 0;
    const statuses = new Map<number, number>();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < GUESSES) {
          const i = next++;
          const { agent, sessionId } = sessions[i % SESSIONS] as { agent: string; sessionId: string };
          const pin = String((i * 7919) % 10_000).padStart(4, '0');
          const guess = viewSubmission(
            VIEWS.agentPin,
            sessionId,
            { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin },
            { user: agent },
          );
          const answer = await replicas.slackRequest(i % 3, guess);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses), 'every guess answered, none an error').to.deep.equal({ 200: GUESSES });

    // Slack gets its ack before the PIN is checked: the last checks may still be running on a loaded machine.
    const client = redis().client();
    const audit = new RedisAuditLog(client, { key: 'unused-for-reading-0123456789abcdef' });
    let trail = await audit.read();
    // Done once the lock-out is in the trail and nothing new has come for a second (or after 40 s).
    for (let quiet = 0, deadline = Date.now() + 40_000; quiet < 10 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await audit.read();
      const locked = now.some((e) => e.type === 'pin_locked');
      quiet = locked && now.length === trail.length ? quiet + 1 : 0;
      trail = now;
    }
    const checked = trail.filter((e) => e.type === 'pin_wrong');
    // 10 wrong tries per account per day are checked: 9 audited as wrong, the 10th as the lock-out it causes.
    expect(checked.length, 'wrong tries checked, however many replicas and sessions they came through').to.equal(9);
    const perSession = new Map<string, number>();
    for (const e of checked) perSession.set(e.sessionId ?? '', (perSession.get(e.sessionId ?? '') ?? 0) + 1);
    expect(Math.max(...perSession.values()), 'at most 3 per session').to.be.at.most(3);
    expect(
      trail.some((e) => e.type === 'pin_locked'),
      'the lock-out raised an alert',
    ).to.equal(true);
    expect(trail.filter((e) => e.type === 'pin_accepted')).to.deep.equal([]);

    // While PIN checks are locked the portal issues no PIN (one could never work), on any replica, and says until when.
    const issued = await fetch(`${replicas.url(2)}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    expect(issued.status, 'no PIN while checks are locked').to.equal(423);
    expect(((await issued.json()) as { pin?: string }).pin).to.equal(undefined);
    const agent = 'U0GUESSOK';
    const sessionId = await replicas.startVerification(0, agent, 'alex@example.com');
    const [card] = replicas.agentPosts(agent);
    expect(card ? shownText(card) : '')
      .to.contain('Support PIN: locked until')
      .and.not.contain('Use support PIN');
    // A crafted press on another replica changes nothing: the card already says the PIN is locked.
    const pressed = await replicas.slackRequest(1, buttonClick(ACTIONS.choosePin, sessionId, { user: agent }));
    expect(pressed.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 500));
    const shown = [...replicas.agentPosts(agent), ...replicas.agentUpdates(agent)].map((u) => shownText(u)).join('\n');
    expect(shown, 'no serial number was ever shown').to.not.contain('DMPXK1ALEX01');
    const after = await new RedisAuditLog(client, { key: 'unused-for-reading-0123456789abcdef' }).read();
    expect(after.filter((e) => e.type === 'pin_accepted' || e.type === 'grant_issued')).to.deep.equal([]);
    await client.quit();
    expect(replicas.allAlive()).to.equal(true);
  });
});
