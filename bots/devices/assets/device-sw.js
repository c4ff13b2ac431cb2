// The trusted device's service worker: shows a prompt pushed to it, and opens its confirmation page when tapped.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || '', {
      body: data.body || '',
      tag: data.tag,
      requireInteraction: true,
      data: { url: data.url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url;
  // Only this server's own confirmation page opens from a notification.
  if (typeof url === 'string' && url.startsWith(`${self.location.origin}/confirm#`))
    event.waitUntil(self.clients.openWindow(url));
});
