import type { Mail } from '../../core/ports/index.ts';

/** The nodemailer message for a {@link Mail}; both mailers send exactly this. */
export function toMessage(mail: Mail, from: string) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    headers: { 'Content-Language': mail.locale, 'Auto-Submitted': 'auto-generated' },
  };
}
