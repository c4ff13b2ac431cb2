import type { Locale } from '../messages/catalog.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  locale: Locale;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}
