// The one-tag embed: <script src="https://your-support-verify/webchat.js" async></script> adds a chat button
// that opens the support chat in a frame, so the host page's styles and scripts never touch it.
(() => {
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const dutch = (navigator.language || '').toLowerCase().startsWith('nl');
  const label = dutch ? 'Chat met support' : 'Chat with support';
  const close = dutch ? 'Chat sluiten' : 'Close chat';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'support-verify-chat');
  button.style.cssText =
    'position:fixed;right:1rem;bottom:1rem;z-index:2147483647;padding:.75rem 1rem;border:0;border-radius:2rem;background:#1f4e79;color:#fff;font:600 1rem system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)';
  const frame = document.createElement('iframe');
  frame.id = 'support-verify-chat';
  frame.title = label;
  frame.src = `${origin}/chat`;
  frame.hidden = true;
  frame.style.cssText =
    'position:fixed;right:1rem;bottom:4.5rem;z-index:2147483647;width:min(380px,calc(100vw - 2rem));height:min(600px,calc(100vh - 6rem));border:1px solid #d0d7de;border-radius:.75rem;background:#fff;box-shadow:0 4px 16px rgba(0,0,0,.25)';
  button.addEventListener('click', () => {
    frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
    button.textContent = frame.hidden ? label : close;
    if (!frame.hidden) frame.focus();
  });
  document.body.append(frame, button);
})();
