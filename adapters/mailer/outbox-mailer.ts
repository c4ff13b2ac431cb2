import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mail, Mailer } from '../../core/ports/index.ts';
import { toMessage } from './compose.ts';

/**
 * {@link Mailer} for the embedded mode: each email is written as an RFC 5322 `.eml` file in a folder, so it
 * can be opened in any mail program, and the playground can show it.
 */
export class OutboxMailer implements Mailer {
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  // Names sort in the order mails were sent, also within one millisecond.
  private sequence = 0;

  constructor(
    readonly folder: string,
    private readonly from: string,
  ) {}

  async send(mail: Mail): Promise<void> {
    const info = await this.composer.sendMail(toMessage(mail, this.from));
    this.sequence = (this.sequence + 1) % 1_000_000;
    const sequence = String(this.sequence).padStart(6, '0');
    const name = `${new Date().toISOString().replace(/[:.]/gu, '-')}-${sequence}-${randomBytes(3).toString('hex')}.eml`;
    const path = join(this.folder, name);
    // The folder is made when a write finds it missing (the first, or after someone removed it), not each time.
    await writeFile(path, info.message as Buffer, { mode: 0o600 }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(this.folder, { recursive: true });
      await writeFile(path, info.message as Buffer, { mode: 0o600 });
    });
  }

  /** The raw messages in the folder, oldest first. */
  async messages(): Promise<string[]> {
    const names = await this.names();
    return Promise.all(names.map((n) => readFile(join(this.folder, n), 'utf8')));
  }

  /** The newest `limit` messages, newest first, and how many there are in all; reads only those. */
  async newest(limit: number): Promise<{ messages: string[]; total: number }> {
    const names = await this.names();
    const page = names.slice(-limit).reverse();
    return {
      messages: await Promise.all(page.map((n) => readFile(join(this.folder, n), 'utf8'))),
      total: names.length,
    };
  }

  private async names(): Promise<string[]> {
    return (await readdir(this.folder).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
  }
}
