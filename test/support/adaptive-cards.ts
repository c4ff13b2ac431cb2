import * as AC from 'adaptivecards';

/** Parses a card with the official Adaptive Cards package and fails on anything it reports. */
export function assertValidCard(json: unknown): void {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  if (events.length > 0) throw new Error(`the Adaptive Card does not parse cleanly: ${events.join('; ')}`);
  if ((json as { version?: string }).version !== '1.5') throw new Error('cards must declare version 1.5');
}

/** Every text a card shows, flattened, for asserting on what a Teams user would read. */
export function cardText(json: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (['text', 'title', 'value', 'label', 'placeholder'].includes(key) && typeof inner === 'string')
          out.push(inner);
        else walk(inner);
      }
    }
  };
  walk(json);
  return out.join('\n');
}
