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

  constructor(
    readonly folder: string,
    private readonly from: string,
  ) {}

  async send(mail: Mail): Promise<void> {
    const info = await this.composer.sendMail(toMessage(mail, this.from));
    await mkdir(this.folder, { recursive: true });
    const name = `${new Date().toISOString().replace(/[:.]/gu, '-')}-${randomBytes(3).toString('hex')}.eml`;
    await writeFile(join(this.folder, name), info.message as Buffer, { mode: 0o600 });
  }

  /** The raw messages in the folder, oldest first. */
  async messages(): Promise<string[]> {
    const names = (await readdir(this.folder).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
    return Promise.all(names.map((n) => readFile(join(this.folder, n), 'utf8')));
  }
}
