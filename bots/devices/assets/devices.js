// The account portal's trusted devices: list, add this device as a passkey, remove.
(() => {
  const P = window.SupportVerifyPasskeys;
  const root = document.documentElement;
  const text = (name) => root.dataset[name] || '';
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? '');
  const token = P.takeToken().get('t') || '';
  const list = document.getElementById('devices');
  const empty = document.getElementById('none');
  const status = document.getElementById('status');
  const form = document.getElementById('add');
  const nameField = document.getElementById('name');
  const when = (iso) =>
    new Intl.DateTimeFormat(root.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const say = (message, kind = 'info') => {
    status.textContent = message;
    status.dataset.kind = kind;
  };
  const expired = () => {
    form.hidden = true;
    say(text('expired'), 'error');
  };

  // The device registered in this browser, so notifications can be turned on for it here.
  const vapidKey = text('vapidKey');
  const pushable = Boolean(vapidKey) && 'serviceWorker' in navigator && 'PushManager' in window;
  // Storage may be refused in a frame on another site (third-party storage blocked): then nothing is remembered.
  const remembered = {
    get: () => {
      try {
        return localStorage.getItem('support-verify-device');
      } catch {
        return null;
      }
    },
    set: (id) => {
      try {
        localStorage.setItem('support-verify-device', id);
      } catch {
        // Notifications are then offered on no device in this frame; the e-mail route still works.
      }
    },
  };
  const here = () => remembered.get();

  async function notify(device, button) {
    button.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== 'granted') return say(text('notifyDenied'), 'error');
      const registration = await navigator.serviceWorker.register('/device-sw.js');
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: P.bytes(vapidKey),
      });
      const { endpoint, keys } = subscription.toJSON();
      const result = await P.api(token, 'PUT', `/v1/devices/${encodeURIComponent(device.id)}/notifications`, {
        subscription: { endpoint, keys },
      });
      if (result.status === 401) return expired();
      if (!result.ok) return say(result.data.error?.message || text('failed'), 'error');
      say(fill(text('notifying'), { device: device.name }));
      await load();
    } catch {
      say(text('notifyFailed'), 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function load() {
    const { status: code, ok, data } = await P.api(token, 'GET', '/v1/devices');
    if (code === 401) return expired();
    if (!ok) return say(data.error?.message || text('failed'), 'error');
    list.replaceChildren(
      ...data.devices.map((device) => {
        const item = document.createElement('li');
        const name = document.createElement('strong');
        name.textContent = device.name;
        const about = document.createElement('span');
        about.className = 'about';
        about.textContent = [
          fill(text('addedOn'), { when: when(device.createdAt) }),
          device.lastUsedAt ? fill(text('usedOn'), { when: when(device.lastUsedAt) }) : '',
          device.synced ? text('synced') : '',
        ]
          .filter(Boolean)
          .join(' · ');
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'secondary';
        remove.textContent = text('remove');
        remove.setAttribute('aria-label', `${text('remove')}: ${device.name}`);
        remove.addEventListener('click', async () => {
          remove.disabled = true;
          const result = await P.api(token, 'DELETE', `/v1/devices/${encodeURIComponent(device.id)}`);
          if (result.status === 401) return expired();
          if (!result.ok && result.status !== 404) {
            remove.disabled = false;
            return say(result.data.error?.message || text('failed'), 'error');
          }
          say(fill(text('removed'), { device: device.name }));
          await load();
        });
        item.append(name, about, remove);
        if (pushable && device.id === here() && !device.notifications) {
          const on = document.createElement('button');
          on.type = 'button';
          on.className = 'secondary notify';
          on.textContent = text('notify');
          on.addEventListener('click', () => notify(device, on));
          item.append(on);
        }
        return item;
      }),
    );
    empty.hidden = data.devices.length > 0;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) return say(text('unsupported'), 'error');
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const options = await P.api(token, 'POST', '/v1/devices/registration-options');
      if (options.status === 401) return expired();
      if (!options.ok) return say(options.data.error?.message || text('failed'), 'error');
      let credential;
      try {
        credential = await navigator.credentials.create({ publicKey: P.creationOptions(options.data) });
      } catch {
        return say(text('cancelled'), 'error');
      }
      const name = nameField.value;
      const added = await P.api(token, 'POST', '/v1/devices', { name, credential: P.registrationJson(credential) });
      if (added.status === 401) return expired();
      if (!added.ok) return say(added.data.error?.message || text('failed'), 'error');
      remembered.set(added.data.id);
      nameField.value = '';
      say(fill(text('added'), { device: added.data.name }));
      await load();
    } finally {
      button.disabled = false;
    }
  });

  if (!token) expired();
  else void load();
})();
