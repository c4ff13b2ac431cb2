#!/usr/bin/env sh
# Writes random secrets for deploy/compose.yaml into deploy/secrets/ (gitignored), keeping any that exist.
# portal_api_keys and smtp_url start empty, which counts as unset: the evaluation mode then uses the demo portal
# key (the playground's portal pane needs it) and keeps mail in the container. Production refuses both empty:
# put your portal keys (24+ URL-safe characters, comma-separated) and an smtp:// or smtps:// URL there.
# The files are made readable by the app's uid (10001) only when run as root, else by everyone on this host.
set -eu
dir=$(dirname "$0")/secrets
mkdir -p "$dir"
random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
for name in pin_pepper audit_key; do
  [ -s "$dir/$name" ] || { random >"$dir/$name"; echo "wrote $dir/$name"; }
done
# Standard Webhooks' form: whsec_ and the base64 of 32 random bytes.
[ -s "$dir/device_webhook_secrets" ] || {
  printf 'whsec_%s' "$(head -c 32 /dev/urandom | base64)" >"$dir/device_webhook_secrets"
  echo "wrote $dir/device_webhook_secrets"
}
for name in portal_api_keys smtp_url; do
  [ -e "$dir/$name" ] || { : >"$dir/$name"; echo "wrote $dir/$name (empty: fill it in for production)"; }
done
if [ "$(id -u)" = 0 ]; then chown 10001:10001 "$dir"/*; chmod 0400 "$dir"/*; else chmod 0444 "$dir"/*; fi
