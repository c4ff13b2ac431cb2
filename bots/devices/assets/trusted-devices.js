// The one-tag embed for the account portal:
//   <script src="https://your-support-verify/trusted-devices.js" data-token="TOKEN" async></script>
// puts the customer's trusted devices in a frame where the tag is. TOKEN comes from your backend
// (POST /v1/accounts/:accountId/device-portal-tokens); the frame may make and use passkeys.
(() => {
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const frame = document.createElement('iframe');
  const dutch = (script.dataset.locale || navigator.language || '').toLowerCase().startsWith('nl');
  frame.title = dutch ? 'Je vertrouwde apparaten' : 'Your trusted devices';
  frame.allow = 'publickey-credentials-create; publickey-credentials-get';
  frame.src = `${origin}/devices?locale=${dutch ? 'nl' : 'en'}#t=${encodeURIComponent(script.dataset.token || '')}`;
  frame.style.cssText = 'width:100%;min-height:28rem;border:1px solid #d0d7de;border-radius:.75rem;background:#fff';
  script.after(frame);
})();
