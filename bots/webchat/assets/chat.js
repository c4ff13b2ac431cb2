// The customer's chat page: keeps its conversation across reloads, streams lines live, and shows the PIN
// field or the number to pick while a verification is running. Texts come from the page (data-* attributes).
(() => {
  // A frame on another site may be denied storage (third-party storage blocked): then the conversation lasts
  // as long as the page, in sessionStorage or in memory, instead of the chat failing to start.
  const storage = (() => {
    for (const name of ['localStorage', 'sessionStorage']) {
      try {
        const candidate = window[name];
        candidate.setItem('support-verify-probe', '1');
        candidate.removeItem('support-verify-probe');
        return candidate;
      } catch {
        // Denied: try the next kind.
      }
    }
    const memory = new Map();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => memory.set(key, String(value)),
      removeItem: (key) => memory.delete(key),
    };
  })();
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
  const confirmLink = document.getElementById('confirm-link');
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
  // The newest verification view shown ([createdAt, version]): frames can arrive out of order.
  let shownOrder = [0, 0];
  let countdown;

  // Errors are for everyone to see, not only for screen readers.
  function problem(message) {
    status.textContent = message;
    status.classList.toggle('sr-only', !message);
  }

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
    if (view?.order) {
      const [createdAt, version] = view.order;
      if (createdAt < shownOrder[0] || (createdAt === shownOrder[0] && version < shownOrder[1])) return;
      shownOrder = view.order;
    }
    // One control at a time: the PIN field only while a PIN is asked for, the number only during a prompt.
    const pin = view?.state === 'awaiting_pin';
    const device = view?.state === 'awaiting_device' && view.number !== undefined;
    verify.hidden = !pin && !device;
    pinForm.hidden = !pin;
    numberBox.hidden = !device;
    clearInterval(countdown);
    if (pin) pinStatus.textContent = page.tries.replace('{tries}', String(view.triesLeft));
    // With the built-in passkeys the prompt's confirmation page is a link here too: the same page the mail opens.
    const link = view?.state === 'awaiting_device' && typeof view.confirmUrl === 'string' ? view.confirmUrl : '';
    confirmLink.hidden = !link.startsWith(`${location.origin}/confirm#`);
    if (!confirmLink.hidden) confirmLink.href = link;
    if (link && !device) verify.hidden = false;
    if (device) {
      number.textContent = String(view.number);
      number.classList.remove('expired');
      const time = new Date(view.expiresAt).toLocaleTimeString(page.locale, { hour: '2-digit', minute: '2-digit' });
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((view.expiresAt - Date.now()) / 1000));
        if (seconds > 0) {
          numberExpiry.textContent = page.expiresIn.replace('{seconds}', String(seconds)).replace('{time}', time);
          return;
        }
        clearInterval(countdown);
        numberExpiry.textContent = page.expired;
        number.classList.add('expired');
      };
      tick();
      countdown = setInterval(tick, 1000);
    }
  }

  async function start() {
    const saved = JSON.parse(storage.getItem(STORE) || 'null');
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
      storage.removeItem(STORE);
    }
    const answer = await api('', { method: 'POST', body: JSON.stringify({ locale: page.locale }) });
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      problem(body.error ? body.error.message : page.failed);
      return;
    }
    conversation = { id: body.conversation.id, token: body.token };
    storage.setItem(STORE, JSON.stringify(conversation));
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
    stream.addEventListener('open', () => problem(''));
    stream.addEventListener('error', () => {
      if (stream) problem(page.reconnecting);
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
    storage.removeItem(STORE);
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
    if (!value) return;
    if (!conversation) return problem(page.failed);
    send.disabled = true;
    try {
      const answer = await api(`/${conversation.id}/messages`, {
        method: 'POST',
        body: JSON.stringify({ text: value }),
      });
      if (answer.ok) {
        text.value = '';
        problem('');
        say((await answer.json()).message);
      } else {
        const body = await answer.json().catch(() => ({}));
        problem(body.error ? body.error.message : page.failed);
        if (answer.status === 404) {
          storage.removeItem(STORE);
          conversation = undefined;
          start();
        }
      }
    } catch {
      problem(page.failed);
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
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) pinStatus.textContent = body.error ? body.error.message : page.failed;
    else showVerification(body.verification);
  });

  start().catch(() => problem(page.failed));
})();
