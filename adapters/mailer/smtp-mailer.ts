import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Mail, Mailer } from '../../core/ports/index.ts';
import { toMessage } from './compose.ts';

export interface SmtpMailerOptions {
  /** Attempts in all for a temporary failure (a 4xx reply, a connection that failed or timed out). */
  attempts?: number;
  /** Wait before the second attempt; each later one waits four times longer. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// nodemailer's codes for a connection that failed, timed out or broke: worth another try.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

/**
 * {@link Mailer} over SMTP (`SMTP_URL`, e.g. `smtps://user:pass@mail.example.com:465`). A temporary failure
 * is retried with backoff; a permanent one (5xx, authentication) is not. Mail is sent after the answer, so
 * retries never delay an agent or a customer.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    private readonly options: SmtpMailerOptions = {},
  ) {
    const transport: SMTPTransport.Options = {
      url,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 10_000,
    };
    this.transport = nodemailer.createTransport(transport);
  }

  async send(mail: Mail): Promise<void> {
    const message = toMessage(mail, this.from);
    const attempts = this.options.attempts ?? 3;
    let wait = this.options.backoffMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transport.sendMail(message);
        return;
      } catch (error) {
        if (attempt >= attempts || !isTemporary(error)) throw error;
      }
      await (this.options.sleep ?? delay)(wait);
      wait *= 4;
    }
  }

  close(): void {
    this.transport.close();
  }
}

function isTemporary(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return code !== undefined && TRANSIENT_CODES.has(code);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
