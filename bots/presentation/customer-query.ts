const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/u;
const PHONE = /\+?\d[\d\s().-]{7,18}\d/u;

/** The email or phone number in a customer's message, if it holds one, to pre-fill who to verify. */
export function verifyQueryFrom(text: string): string | undefined {
  return EMAIL.exec(text)?.[0] ?? PHONE.exec(text)?.[0]?.trim();
}
