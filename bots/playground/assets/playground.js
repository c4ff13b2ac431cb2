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

  // Conversations by id: their option in the picker, the label (the customer's first line), and unread lines.
  const conversations = new Map();
  const threads = document.getElementById('agent-threads');
  function addConversation(id, label) {
    if (conversations.has(id)) return conversations.get(id);
    const option = new Option(label, id);
    picker.add(option);
    const entry = { option, label, unread: 0, named: id === PERSONAL };
    conversations.set(id, entry);
    return entry;
  }
  function drawConversation(entry) {
    entry.option.textContent = entry.unread > 0 ? `${entry.label} (${entry.unread} new)` : entry.label;
    const waiting = [...conversations.values()].filter((c) => c.unread > 0);
    threads.textContent =
      waiting.length === 0 ? '' : `New in: ${waiting.map((c) => `${c.label} (${c.unread})`).join(', ')}`;
  }
  addConversation(PERSONAL, 'Chat with Support Verify');
  /** The customer's words in a relayed line's card (a TextRun, never Markdown), if it is one. */
  function customerWords(card) {
    for (const item of card?.content?.body ?? [])
      for (const inner of item.items ?? [])
        for (const inline of inner.inlines ?? []) if (inline.type === 'TextRun') return inline.text;
    return undefined;
  }

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

  // Teams' {{TIME()}} becomes the reader's local time, as the Teams client shows it; a time still ahead also
  // counts down live ("14:48 (1:53 left)"), then says it has expired.
  const MARK = '\u2063';
  function renderCard(element, activityId, content) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'system-ui, sans-serif' });
    card.onExecuteAction = (action) => execute(element, activityId, action);
    const text = JSON.stringify(content).replace(/\{\{TIME\(([^)]+)\)\}\}/g, (_, iso) => `${MARK}${iso}${MARK}`);
    card.parse(JSON.parse(text));
    const rendered = card.render();
    liveTimes(rendered);
    element.replaceChildren(rendered);
  }

  function liveTimes(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) if (walker.currentNode.nodeValue.includes(MARK)) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const parts = node.nodeValue.split(MARK);
      const pieces = parts.map((part, i) => {
        if (i % 2 === 0) return document.createTextNode(part);
        const time = document.createElement('time');
        time.dateTime = part;
        // Only a time still ahead counts down; one already past ("access ended at") just shows the clock.
        if (Date.parse(part) > Date.now()) time.dataset.live = '';
        showTime(time);
        return time;
      });
      node.replaceWith(...pieces);
    }
  }

  function showTime(time) {
    const at = Date.parse(time.dateTime);
    const clock = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const left = Math.ceil((at - Date.now()) / 1000);
    if (time.dataset.live === undefined || left > 3600) time.textContent = clock;
    else if (left > 0)
      time.textContent = `${clock} (${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left)`;
    else {
      time.textContent = `${clock} (expired)`;
      delete time.dataset.live;
    }
  }
  setInterval(() => {
    for (const time of document.querySelectorAll('time[data-live]')) showTime(time);
  }, 1000);

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

  function show(event, updated) {
    const { activity: sent, conversationId } = event;
    const card = (sent.attachments || []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    if (conversationId.startsWith('19:')) {
      const entry = addConversation(conversationId, 'New web chat');
      const words = customerWords(card);
      if (words && !entry.named) {
        // A thread is named by what the customer first asked, as a support inbox lists it.
        entry.named = true;
        entry.label = `Web chat: ${words.length > 40 ? `${words.slice(0, 39)}…` : words}`;
      }
      if (!updated && conversationId !== picker.value) entry.unread += 1;
      drawConversation(entry);
    }
    const element = bubble(sent.id, card ? 'card' : '');
    element.dataset.conversation = conversationId;
    if (card) {
      renderCard(element, sent.id, card.content);
      // As the Teams client does: a card that names this user for refresh is swapped for their own view.
      const refresh = card.content.refresh;
      if (refresh?.userIds?.includes(AGENT.id)) refreshCard(element, sent.id, refresh.action, conversationId);
    } else {
      element.textContent = sent.text || '';
      // A line the bot refused to pass on to the customer is marked on the agent's own bubble, not left as sent.
      const mine = sent.replyToId && bubbles.get(`mine-${sent.replyToId}`);
      if (mine && /^(Not sent|Niet verstuurd)\b/u.test(sent.text || '')) {
        mine.classList.add('refused');
        mine.dataset.status = sent.text.split(':')[0];
      }
    }
    filter();
    log.scrollTop = log.scrollHeight;
  }

  function filter() {
    for (const element of bubbles.values())
      element.hidden = element.dataset.conversation !== undefined && element.dataset.conversation !== picker.value;
  }
  picker.addEventListener('change', () => {
    const entry = conversations.get(picker.value);
    if (entry) {
      entry.unread = 0;
      drawConversation(entry);
    }
    filter();
  });

  const events = new EventSource('/playground/agent/events');
  events.addEventListener('sent', (e) => show(JSON.parse(e.data), false));
  events.addEventListener('updated', (e) => show(JSON.parse(e.data), true));

  document.getElementById('agent-say').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('agent-text');
    const text = input.value.trim();
    if (!text) return;
    const personal = picker.value === PERSONAL;
    const mention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT };
    const said = activity('message', {
      text: personal ? text : `<at>${BOT.name}</at> ${text}`,
      textFormat: 'plain',
      ...(personal ? {} : { entities: [mention] }),
    });
    const mine = bubble(`mine-${said.id}`, 'mine');
    mine.textContent = text;
    input.value = '';
    await post(said);
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

  // Trusted device: the prompts the simulated device received, answered through the real signed route. Its
  // texts come with each prompt, in the account's language.
  const screen = document.getElementById('device-screen');
  const el = (tag, props) => Object.assign(document.createElement(tag), props);
  // The prompt on screen, and what the last answer did (shown until "Done" or the next prompt).
  let shownPrompt = null;
  let result = null;
  let deviceCountdown;
  function showIdle() {
    clearInterval(deviceCountdown);
    screen.replaceChildren(el('p', { className: 'note', textContent: 'No requests.' }));
  }
  function showResult(texts, text, tone) {
    clearInterval(deviceCountdown);
    const done = el('button', { type: 'button', textContent: texts.ok });
    done.addEventListener('click', () => {
      result = null;
      shownPrompt = '';
      showIdle();
    });
    screen.replaceChildren(el('p', { className: `result ${tone}`, textContent: text, role: 'status' }), done);
    done.focus();
  }
  async function pollDevice() {
    const response = await fetch('/playground/device/prompts');
    if (!response.ok) return;
    const { prompts } = await response.json();
    const prompt = prompts[0];
    if (!prompt) {
      if (result || shownPrompt === '') return;
      shownPrompt = '';
      return showIdle();
    }
    if (prompt.promptId === shownPrompt) return;
    shownPrompt = prompt.promptId;
    result = null;
    const texts = prompt.texts;
    let picked;
    const parts = [el('h3', { textContent: texts.title }), el('p', { textContent: texts.body })];
    const problem = el('p', { className: 'problem', role: 'alert' });
    const left = el('p', { className: 'note countdown' });
    const choices = el('div', { className: 'choices' });
    if (prompt.numberChoices) {
      parts.push(el('p', { textContent: texts.pick }));
      choices.setAttribute('role', 'group');
      choices.setAttribute('aria-label', texts.pick);
      for (const n of prompt.numberChoices) {
        const button = el('button', { type: 'button', textContent: String(n) });
        button.setAttribute('aria-pressed', 'false');
        button.addEventListener('click', () => {
          picked = n;
          problem.textContent = '';
          for (const b of choices.children) b.setAttribute('aria-pressed', String(b === button));
        });
        choices.append(button);
      }
      parts.push(choices);
    }
    const answer = async (decision) => {
      if (decision === 'confirmed' && prompt.numberChoices && picked === undefined) {
        problem.textContent = texts.pickFirst;
        choices.querySelector('button')?.focus();
        return;
      }
      const sent = await fetch(`/playground/device/prompts/${prompt.promptId}/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ decision, ...(picked === undefined ? {} : { matchedNumber: picked }) }),
      });
      result = decision;
      if (!sent.ok) return showResult(texts, texts.gone, 'neutral');
      if (decision === 'confirmed') showResult(texts, texts.confirmed, 'good');
      else showResult(texts, decision === 'fraud' ? texts.fraudReported : texts.denied, 'neutral');
    };
    const confirm = el('button', { type: 'button', textContent: texts.confirm });
    confirm.addEventListener('click', () => answer('confirmed'));
    const deny = el('button', { type: 'button', className: 'secondary', textContent: texts.deny });
    deny.addEventListener('click', () => answer('denied'));
    const fraud = el('button', { type: 'button', className: 'danger', textContent: texts.fraud });
    fraud.addEventListener('click', () => answer('fraud'));
    const actions = el('div', { className: 'device-actions' });
    actions.append(confirm, deny, fraud);
    parts.push(problem, actions, left);
    screen.replaceChildren(...parts);
    clearInterval(deviceCountdown);
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((prompt.expiresAt - Date.now()) / 1000));
      if (seconds > 0) left.textContent = texts.expiresIn.replace('{seconds}', String(seconds));
      else {
        result = 'expired';
        showResult(texts, texts.expired, 'neutral');
      }
    };
    tick();
    deviceCountdown = setInterval(tick, 1000);
  }
  // With the built-in passkeys (DEVICE_PROMPTS=passkey) the phone is the real thing: the device portal to add this
  // "phone" as a trusted device, and each prompt's confirmation page, with a virtual passkey in place of Face ID.
  let phoneFrame = null;
  let phoneShows = '';
  function passkeyPhone() {
    phoneFrame = el('iframe', { title: 'Trusted device (passkey)', id: 'device-frame' });
    const back = el('button', { type: 'button', className: 'secondary', textContent: 'Trusted devices' });
    back.addEventListener('click', () => {
      phoneShows = 'devices';
      void openDevices();
    });
    screen.replaceChildren(phoneFrame, back);
  }
  async function phoneState() {
    const account = document.getElementById('portal-account').value;
    const response = await fetch(`/playground/device/passkey?accountId=${encodeURIComponent(account)}`);
    return response.ok ? response.json() : null;
  }
  async function openDevices() {
    const state = await phoneState();
    if (state) phoneFrame.src = state.devicesUrl;
  }
  async function pollPasskeyPhone() {
    const state = await phoneState();
    if (!state) return;
    const promptId = state.prompt?.promptId ?? '';
    if (promptId && promptId !== phoneShows) {
      phoneShows = promptId;
      phoneFrame.src = state.prompt.url;
    } else if (!phoneShows) {
      phoneShows = 'devices';
      phoneFrame.src = state.devicesUrl;
    }
  }
  fetch('/playground/settings')
    .then((r) => r.json())
    .then((settings) => {
      if (settings.passkeys) {
        passkeyPhone();
        document.getElementById('portal-account').addEventListener('change', () => {
          phoneShows = 'devices';
          void openDevices();
        });
        setInterval(pollPasskeyPhone, 1000);
        void pollPasskeyPhone();
      } else {
        setInterval(pollDevice, 1000);
        // The real ceremony is one setting away: say which.
        const hint = el('p', {
          className: 'note',
          textContent:
            'This is the simulated device. For the real passkey ceremony, start with DEVICE_PROMPTS=passkey.',
        });
        document.getElementById('device').append(hint);
      }
    });

  // Mailbox: what the customer's inbox would show, from the outbox: newest first, a page at a time, the same
  // for every viewer (the server keeps the history).
  const mailList = document.getElementById('mail-list');
  const mailMore = document.getElementById('mail-more');
  let mailShown = 10;
  let mailSeen = '';
  async function pollMail() {
    const response = await fetch(`/playground/mailbox?limit=${mailShown}`);
    if (!response.ok) return;
    const { mails, total } = await response.json();
    const seen = `${total}|${mailShown}`;
    if (seen === mailSeen) return;
    mailSeen = seen;
    mailMore.hidden = mails.length >= total;
    mailMore.textContent = `Show older (${total - mails.length} more)`;
    if (mails.length === 0) {
      mailList.replaceChildren(el('p', { className: 'note', textContent: 'No emails yet.' }));
      return;
    }
    mailList.replaceChildren(
      ...mails.map((mail) => {
        const item = el('article', { className: 'mail' });
        const when = mail.date
          ? new Date(mail.date).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
          : '';
        item.append(
          el('h3', { textContent: mail.subject }),
          el('p', { className: 'note', textContent: `To ${mail.to}${when ? ` · ${when}` : ''}` }),
          el('pre', { textContent: mail.text }),
        );
        return item;
      }),
    );
  }
  mailMore.addEventListener('click', () => {
    mailShown += 10;
    pollMail();
  });
  pollMail();
  setInterval(pollMail, 2000);
})();
