import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Mail, Mailer } from '../../core/ports/index.ts';
import { toMessage } from './compose.ts';

/** {@link Mailer} over SMTP (`SMTP_URL`, e.g. `smtps://user:pass@mail.example.com:465`). */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    const options: SMTPTransport.Options = {
      url,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10_000,
    };
    this.transport = nodemailer.createTransport(options);
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail(toMessage(mail, this.from));
  }

  close(): void {
    this.transport.close();
  }
}
