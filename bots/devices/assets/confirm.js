// The one confirmation page every prompt ends on: who asks, the number to pick, then Confirm with a passkey,
// Don't confirm, or I didn't ask for this.
(() => {
  const P = window.SupportVerifyPasskeys;
  const params = P.takeToken();
  const promptId = params.get('p') || '';
  const token = params.get('t') || '';
  const $ = (id) => document.getElementById(id);
  const status = $('status');
  let texts = {};
  let picked;
  const say = (message, kind = 'info') => {
    status.textContent = message;
    status.dataset.kind = kind;
  };
  const done = (message) => {
    $('prompt').hidden = true;
    $('done').hidden = false;
    $('done-text').textContent = message;
  };
  const path = (rest = '') => `/v1/prompts/${encodeURIComponent(promptId)}${rest}`;
  const ended = (result) => {
    // No passkey left on the account (removed meanwhile): this device cannot confirm, though the prompt waits.
    if (result.status === 409 && result.data.error?.code === 'no_trusted_device') say(texts.notThisDevice, 'error');
    else if (result.status === 409) done(texts.gone);
    else if (result.status === 404 || result.status === 401) done(texts.expired || $('bad-link').textContent);
    else return false;
    return true;
  };
  const outcome = (data) =>
    done(
      data.state === 'verified'
        ? texts.confirmed
        : data.reason === 'fraud_reported'
          ? texts.fraud
          : data.state === 'denied'
            ? texts.denied
            : texts.gone,
    );

  async function show() {
    const result = await P.api(token, 'GET', path());
    if (!result.ok) {
      $('prompt').hidden = true;
      $('done').hidden = false;
      $('done-text').textContent = $('bad-link').textContent;
      return;
    }
    const view = result.data;
    texts = view.texts;
    document.documentElement.lang = view.locale;
    document.title = texts.title;
    $('title').textContent = texts.title;
    $('body').textContent = texts.body;
    const local = new Intl.DateTimeFormat(view.locale, { dateStyle: 'medium', timeStyle: 'short' });
    $('until').textContent = texts.untilTemplate
      ? texts.untilTemplate.replace('{until}', local.format(new Date(view.expiresAt)))
      : texts.until;
    $('passkey').textContent = texts.passkey;
    $('confirm').textContent = texts.confirm;
    $('deny').textContent = texts.deny;
    $('report').textContent = texts.report;
    const numbers = $('numbers');
    if (view.numberChoices) {
      $('pick').textContent = texts.pick;
      numbers.replaceChildren(
        ...view.numberChoices.map((n) => {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'number';
          button.textContent = String(n);
          button.setAttribute('aria-pressed', 'false');
          button.addEventListener('click', () => {
            picked = n;
            say('');
            for (const other of numbers.children) other.setAttribute('aria-pressed', String(other === button));
          });
          return button;
        }),
      );
    } else {
      $('pick').hidden = true;
    }
    $('prompt').hidden = false;
    const left = Date.parse(view.expiresAt) - Date.now();
    setTimeout(() => done(texts.expired), Math.max(0, left));
  }

  $('confirm').addEventListener('click', async () => {
    if ($('numbers').children.length > 0 && picked === undefined) return say(texts.pickFirst, 'error');
    const button = $('confirm');
    button.disabled = true;
    try {
      const options = await P.api(token, 'POST', path('/assertion-options'));
      if (ended(options)) return;
      if (!options.ok) return say(texts.tryAgain, 'error');
      let credential;
      try {
        credential = await navigator.credentials.get({ publicKey: P.requestOptions(options.data) });
      } catch {
        return say(texts.notThisDevice, 'error');
      }
      const result = await P.api(token, 'POST', path('/confirm'), {
        credential: P.assertionJson(credential),
        ...(picked === undefined ? {} : { matchedNumber: picked }),
      });
      if (ended(result)) return;
      if (!result.ok) return say(texts.tryAgain, 'error');
      outcome(result.data);
    } finally {
      button.disabled = false;
    }
  });

  for (const [id, decision] of [
    ['deny', 'denied'],
    ['report', 'fraud'],
  ]) {
    $(id).addEventListener('click', async () => {
      const result = await P.api(token, 'POST', path('/deny'), { decision });
      if (ended(result)) return;
      if (!result.ok) return say(texts.tryAgain, 'error');
      outcome(result.data);
    });
  }

  void show();
})();
