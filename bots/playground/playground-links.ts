import type { DevicePromptRequest } from '../../core/ports/index.ts';

/** The confirmation links the passkey prompts sent lately, so the playground's phone can open the newest. */
export class PlaygroundLinks {
  private readonly links: Array<{ request: DevicePromptRequest; url: string }> = [];

  record(request: DevicePromptRequest, url: string): void {
    this.links.unshift({ request, url });
    this.links.length = Math.min(this.links.length, 20);
  }

  /** The newest link of a prompt still open, for `accountId` when given. */
  newest(now: number, accountId?: string): { promptId: string; url: string; expiresAt: number } | undefined {
    const found = this.links.find(
      ({ request }) => request.expiresAt > now && (!accountId || request.accountId === accountId),
    );
    return found ? { promptId: found.request.promptId, url: found.url, expiresAt: found.request.expiresAt } : undefined;
  }
}
