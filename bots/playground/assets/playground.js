// The playground page: every pane talks to the real routes. The agent pane is a Teams client in miniature:
// it posts activities to /api/messages with the loopback connector as serviceUrl, renders the bot's Adaptive
// Cards with the official renderer, and sends Action.Execute as the adaptiveCard/action invoke Teams sends.
(() => {
  const AGENT = {
    id: '29:playground-agent',
    name: 'Robin (playground)',
    aadObjectId: '00000000-0000-4000-8000-00000000a9e7',
  };
  const BOT = { id: '28:support-verify', name: 'Support Verify' };
  const TENANT = 'playground-tenant';
  const PERSONAL = 'a:playground-personal';
  const serviceUrl = `${location.origin}/playground/connector/`;
  const log = document.getElementById('agent-log');
  const picker = document.getElementById('agent-conversation');
  const bubbles = new Map();
  let counter = 0;

  function addConversation(id, label) {
    if ([...picker.options].some((o) => o.value === id)) return;
    picker.add(new Option(label, id));
  }
  addConversation(PERSONAL, 'Chat with Support Verify');

  function activity(type, extra) {
    const conversationId = picker.value || PERSONAL;
    const personal = conversationId === PERSONAL;
    return {
      type,
      id: `pg-${Date.now()}-${++counter}`,
      timestamp: new Date().toISOString(),
      serviceUrl,
      channelId: 'msteams',
      from: AGENT,
      recipient: BOT,
      conversation: { id: conversationId, conversationType: personal ? 'personal' : 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      locale: navigator.language || 'en-US',
      ...extra,
    };
  }

  async function post(body) {
    const response = await fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.status === 200 && response.headers.get('content-type')?.includes('json')
      ? response.json()
      : undefined;
  }

  function bubble(key, className) {
    let element = bubbles.get(key);
    if (!element) {
      element = document.createElement('div');
      element.className = `bubble ${className}`;
      element.dataset.conversation = picker.value;
      bubbles.set(key, element);
      log.append(element);
    }
    return element;
  }

  function notice(text) {
    const element = bubble(`notice-${++counter}`, 'notice');
    element.textContent = text;
    log.scrollTop = log.scrollHeight;
  }

  function renderCard(element, activityId, content) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'system-ui, sans-serif' });
    card.onExecuteAction = (action) => execute(element, activityId, action);
    // Teams' {{TIME()}} becomes the reader's local time, as the Teams client shows it.
    const text = JSON.stringify(content).replace(/\{\{TIME\(([^)]+)\)\}\}/g, (_, iso) =>
      new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    );
    card.parse(JSON.parse(text));
    element.replaceChildren(card.render());
  }

  async function execute(element, activityId, action) {
    if (action.getJsonTypeName() !== 'Action.Execute') return;
    const answer = await post(
      activity('invoke', {
        name: 'adaptiveCard/action',
        replyToId: activityId,
        value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'manual' },
      }),
    );
    if (!answer) return notice('The bot did not answer.');
    if (answer.type === 'application/vnd.microsoft.card.adaptive') renderCard(element, activityId, answer.value);
    else notice(String(answer.value));
  }

  async function refreshCard(element, activityId, action, conversationId) {
    const answer = await post({
      ...activity('invoke', {
        name: 'adaptiveCard/action',
        replyToId: activityId,
        value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'automatic' },
      }),
      conversation: {
        id: conversationId,
        conversationType: conversationId === PERSONAL ? 'personal' : 'channel',
        tenantId: TENANT,
      },
    });
    if (answer?.type === 'application/vnd.microsoft.card.adaptive') renderCard(element, activityId, answer.value);
  }

  function show(event) {
    const { activity: sent, conversationId } = event;
    if (conversationId.startsWith('19:'))
      addConversation(conversationId, `Web chat thread ${conversationId.slice(-8)}`);
    const card = (sent.attachments || []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    const element = bubble(sent.id, card ? 'card' : '');
    element.dataset.conversation = conversationId;
    if (card) {
      renderCard(element, sent.id, card.content);
      // As the Teams client does: a card that names this user for refresh is swapped for their own view.
      const refresh = card.content.refresh;
      if (refresh?.userIds?.includes(AGENT.id)) refreshCard(element, sent.id, refresh.action, conversationId);
    } else element.textContent = sent.text || '';
    filter();
    log.scrollTop = log.scrollHeight;
  }

  function filter() {
    for (const element of bubbles.values())
      element.hidden = element.dataset.conversation !== undefined && element.dataset.conversation !== picker.value;
  }
  picker.addEventListener('change', filter);

  const events = new EventSource('/playground/agent/events');
  events.addEventListener('sent', (e) => show(JSON.parse(e.data)));
  events.addEventListener('updated', (e) => show(JSON.parse(e.data)));

  document.getElementById('agent-say').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('agent-text');
    const text = input.value.trim();
    if (!text) return;
    const mine = bubble(`mine-${++counter}`, 'mine');
    mine.textContent = text;
    input.value = '';
    const personal = picker.value === PERSONAL;
    const mention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT };
    await post(
      activity('message', {
        text: personal ? text : `<at>${BOT.name}</at> ${text}`,
        textFormat: 'plain',
        ...(personal ? {} : { entities: [mention] }),
      }),
    );
  });

  // Account portal: the customer asks for a support PIN; the page calls the real PIN API with the demo key.
  let portalKey = null;
  let portalCountdown;
  fetch('/playground/settings')
    .then((r) => r.json())
    .then((settings) => {
      portalKey = settings.portalKey;
    });
  document.getElementById('portal-generate').addEventListener('click', async () => {
    const account = document.getElementById('portal-account').value;
    const note = document.getElementById('portal-note');
    if (!portalKey) {
      note.textContent = 'PORTAL_API_KEYS is set, so the playground has no key to call the PIN API with.';
      return;
    }
    const response = await fetch(`/v1/accounts/${account}/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${portalKey}` },
    });
    const body = await response.json();
    const shown = document.getElementById('portal-pin');
    clearInterval(portalCountdown);
    if (!response.ok) {
      // Locked, rate limited, unknown: no PIN on screen that could not work, and the reason in words.
      shown.textContent = '';
      note.textContent = body.message ?? body.error.message;
      return;
    }
    shown.textContent = body.pin;
    shown.classList.remove('expired');
    const expiresAt = Date.parse(body.expiresAt);
    const at = new Date(expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const tick = () => {
      const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
      if (left > 0) {
        const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
        note.textContent = `${body.message} (expires at ${at}, ${clock} left)`;
        return;
      }
      clearInterval(portalCountdown);
      shown.classList.add('expired');
      note.textContent = 'This PIN has expired. Generate a new one if your agent still needs it.';
    };
    tick();
    portalCountdown = setInterval(tick, 1000);
  });

  // Trusted device: the prompts the simulated device received, answered through the real signed route.
  const screen = document.getElementById('device-screen');
  const CHANNELS = { teams: 'Microsoft Teams', slack: 'Slack', webchat: 'web chat', playground: 'playground' };
  // The prompt on screen; null forces a redraw after an answer.
  let shownPrompt = null;
  async function pollDevice() {
    const response = await fetch('/playground/device/prompts');
    if (!response.ok) return;
    const { prompts } = await response.json();
    const prompt = prompts[0];
    if ((prompt?.promptId ?? '') === shownPrompt) return;
    shownPrompt = prompt?.promptId ?? '';
    if (!prompt) {
      screen.replaceChildren(
        Object.assign(document.createElement('p'), { className: 'note', textContent: 'No requests.' }),
      );
      return;
    }
    let picked;
    const title = Object.assign(document.createElement('h3'), { textContent: 'Is this you asking for help?' });
    const who = Object.assign(document.createElement('p'), {
      textContent: `${prompt.requester.agentName} from ${prompt.requester.company} (${CHANNELS[prompt.requester.channel] ?? prompt.requester.channel}) wants to check that this is your account.`,
    });
    const parts = [title, who];
    if (prompt.numberChoices) {
      parts.push(
        Object.assign(document.createElement('p'), { textContent: 'Pick the number your support agent gave you:' }),
      );
      const choices = document.createElement('div');
      choices.className = 'choices';
      choices.setAttribute('role', 'group');
      choices.setAttribute('aria-label', 'Number');
      for (const n of prompt.numberChoices) {
        const button = Object.assign(document.createElement('button'), { type: 'button', textContent: String(n) });
        button.setAttribute('aria-pressed', 'false');
        button.addEventListener('click', () => {
          picked = n;
          for (const b of choices.children) b.setAttribute('aria-pressed', String(b === button));
        });
        choices.append(button);
      }
      parts.push(choices);
    }
    const answer = async (decision) => {
      if (decision === 'confirmed' && prompt.numberChoices && picked === undefined) return;
      await fetch(`/playground/device/prompts/${prompt.promptId}/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision, ...(picked === undefined ? {} : { matchedNumber: picked }) }),
      });
      shownPrompt = null;
      pollDevice();
    };
    const confirm = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Confirm' });
    confirm.addEventListener('click', () => answer('confirmed'));
    const deny = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'secondary',
      textContent: 'Don’t confirm',
    });
    deny.addEventListener('click', () => answer('denied'));
    const fraud = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'danger',
      textContent: 'Report fraud',
    });
    fraud.addEventListener('click', () => answer('fraud'));
    parts.push(confirm, deny, fraud);
    screen.replaceChildren(...parts);
  }
  setInterval(pollDevice, 1000);

  // Mailbox: what the customer's inbox would show, from the outbox.
  const mailList = document.getElementById('mail-list');
  let mailCount = -1;
  async function pollMail() {
    const response = await fetch('/playground/mailbox');
    if (!response.ok) return;
    const { mails } = await response.json();
    if (mails.length === mailCount) return;
    mailCount = mails.length;
    if (mails.length === 0) return;
    mailList.replaceChildren(
      ...mails.map((mail) => {
        const item = document.createElement('article');
        item.className = 'mail';
        item.append(
          Object.assign(document.createElement('h3'), { textContent: mail.subject }),
          Object.assign(document.createElement('p'), { className: 'note', textContent: `To ${mail.to}` }),
          Object.assign(document.createElement('pre'), { textContent: mail.text }),
        );
        return item;
      }),
    );
  }
  setInterval(pollMail, 2000);
})();
