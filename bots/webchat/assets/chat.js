// The customer's chat page: keeps its conversation across reloads, streams lines live, and shows the PIN
// field or the number to pick while a verification is running. Texts come from the page (data-* attributes).
(() => {
  const page = document.documentElement.dataset;
  const log = document.getElementById('log');
  const form = document.getElementById('say');
  const text = document.getElementById('text');
  const send = document.getElementById('send');
  const status = document.getElementById('status');
  const verify = document.getElementById('verify');
  const pinForm = document.getElementById('pin-form');
  const pinInput = document.getElementById('pin');
  const pinStatus = document.getElementById('pin-status');
  const numberBox = document.getElementById('number-box');
  const number = document.getElementById('number');
  const numberExpiry = document.getElementById('number-expiry');
  const paused = document.getElementById('paused');
  const pausedWhy = document.getElementById('paused-why');
  const resume = document.getElementById('resume');
  const ended = document.getElementById('ended');
  const endButton = document.getElementById('end');
  const newChat = document.getElementById('new-chat');
  const STORE = 'support-verify-chat';
  let conversation;
  let stream;
  const shown = new Set();

  const api = (path, options = {}) =>
    fetch(`/v1/chat/conversations${path}`, {
      ...options,
      headers: {
        ...(options.body ? { 'content-type': 'application/json' } : {}),
        ...(conversation ? { authorization: `Bearer ${conversation.token}` } : {}),
      },
    });

  function say(line) {
    if (shown.has(line.seq)) return;
    shown.add(line.seq);
    const item = document.createElement('div');
    item.className = `line ${line.from}`;
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent =
      line.from === 'customer' ? page.you : line.from === 'agent' ? line.author || page.agent : page.bot;
    const body = document.createElement('span');
    body.textContent = line.text;
    item.append(who, body);
    log.append(item);
    log.scrollTop = log.scrollHeight;
  }

  function showVerification(view) {
    const pin = view && view.state === 'awaiting_pin';
    const device = view && view.state === 'awaiting_device' && view.number !== undefined;
    verify.hidden = !pin && !device;
    pinForm.hidden = !pin;
    numberBox.hidden = !device;
    if (pin) pinStatus.textContent = page.tries.replace('{tries}', String(view.triesLeft));
    if (device) {
      number.textContent = String(view.number);
      const time = new Date(view.expiresAt).toLocaleTimeString(page.locale, { hour: '2-digit', minute: '2-digit' });
      numberExpiry.textContent = page.expires.replace('{time}', time);
    }
  }

  async function start() {
    const saved = JSON.parse(localStorage.getItem(STORE) || 'null');
    if (saved) {
      conversation = saved;
      const answer = await api(`/${saved.id}`);
      if (answer.ok) {
        const body = await answer.json();
        body.messages.forEach(say);
        showVerification(body.verification);
        return listen();
      }
      conversation = undefined;
      localStorage.removeItem(STORE);
    }
    const answer = await api('', { method: 'POST', body: JSON.stringify({ locale: page.locale }) });
    const body = await answer.json();
    if (!answer.ok) {
      status.textContent = body.error ? body.error.message : page.failed;
      return;
    }
    conversation = { id: body.conversation.id, token: body.token };
    localStorage.setItem(STORE, JSON.stringify(conversation));
    body.messages.forEach(say);
    listen();
  }

  function listen() {
    stream?.close();
    paused.hidden = true;
    stream = new EventSource(
      `/v1/chat/conversations/${conversation.id}/events?token=${encodeURIComponent(conversation.token)}`,
    );
    stream.addEventListener('message', (event) => say(JSON.parse(event.data)));
    stream.addEventListener('verification', (event) => showVerification(JSON.parse(event.data)));
    stream.addEventListener('open', () => {
      status.textContent = '';
    });
    stream.addEventListener('error', () => {
      if (stream) status.textContent = page.reconnecting;
    });
    // The server ended this stream for good (another tab took over, or the chat was quiet): no reconnecting
    // on our own, or two tabs would take it from each other forever.
    stream.addEventListener('closed', (event) => {
      stream.close();
      stream = undefined;
      const { reason } = JSON.parse(event.data);
      if (reason === 'ended') return showEnded();
      pausedWhy.textContent = reason === 'replaced' ? page.replaced : page.idle;
      paused.hidden = false;
    });
  }

  function showEnded() {
    stream?.close();
    stream = undefined;
    conversation = undefined;
    localStorage.removeItem(STORE);
    form.hidden = true;
    verify.hidden = true;
    paused.hidden = true;
    ended.hidden = false;
    newChat.focus();
  }

  endButton.addEventListener('click', async () => {
    if (!conversation) return;
    const answer = await api(`/${conversation.id}/end`, { method: 'POST' });
    if (answer.ok) say((await answer.json()).message);
    if (answer.ok || answer.status === 404) showEnded();
  });

  newChat.addEventListener('click', () => {
    ended.hidden = true;
    form.hidden = false;
    log.replaceChildren();
    shown.clear();
    start();
  });

  resume.addEventListener('click', () => {
    if (!conversation) return;
    // Lines said meanwhile come with the transcript; the stream then resumes after the last one shown.
    api(`/${conversation.id}`).then(async (answer) => {
      if (!answer.ok) return;
      const body = await answer.json();
      body.messages.forEach(say);
      showVerification(body.verification);
      listen();
    });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !stream && conversation && pausedWhy.textContent === page.idle)
      resume.click();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value || !conversation) return;
    send.disabled = true;
    try {
      const answer = await api(`/${conversation.id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ text: value }),
      });
      if (answer.ok) {
        text.value = '';
        status.textContent = '';
        say((await answer.json()).message);
      } else {
        const body = await answer.json();
        status.textContent = body.error ? body.error.message : page.failed;
        if (answer.status === 404) {
          localStorage.removeItem(STORE);
          conversation = undefined;
          start();
        }
      }
    } finally {
      send.disabled = false;
      text.focus();
    }
  });

  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  pinInput.addEventListener('input', () => {
    pinInput.value = pinInput.value.replace(/\D/g, '').slice(0, 4);
  });

  pinForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!/^\d{4}$/.test(pinInput.value)) {
      pinStatus.textContent = page.pinInvalid;
      return;
    }
    const answer = await api(`/${conversation.id}/pin`, {
      method: 'POST',
      body: JSON.stringify({ pin: pinInput.value }),
    });
    pinInput.value = '';
    const body = await answer.json();
    if (!answer.ok) pinStatus.textContent = body.error ? body.error.message : page.failed;
    else showVerification(body.verification);
  });

  start();
})();
