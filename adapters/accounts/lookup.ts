/** How a lookup query is compared: emails case-insensitively, phones by digits with the + kept. */
export function normalizeLookup(query: string): { email?: string; phone?: string; id: string } {
  const trimmed = query.trim();
  const email = trimmed.includes('@') ? trimmed.toLowerCase() : undefined;
  const digits = trimmed.replace(/[\s().-]/gu, '');
  const phone = /^\+?\d{6,15}$/u.test(digits) ? normalizePhone(digits) : undefined;
  return { ...(email ? { email } : {}), ...(phone ? { phone } : {}), id: trimmed };
}

/** Dutch national numbers (06…) are written without the country code as often as with it. */
function normalizePhone(digits: string): string {
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+31${digits.slice(1)}`;
  return `+${digits}`;
}
