/**
 * Money is integer minor units (cents) plus a currency; decimal amounts from the wire are parsed
 * from their decimal text, never multiplied as floats.
 */

/** `29.99` → 2999 (minor units with `decimals` digits); undefined when it has more digits or is negative. */
export function toMinorUnits(amount: number, decimals = 2): number | undefined {
  // beyond 1e12 toFixed switches to exponent notation; no price or limit comes near it
  if (!Number.isFinite(amount) || amount < 0 || amount > 1e12) return undefined;
  const text = amount.toFixed(Math.min(20, decimals + 6)).replace(/0+$/, '');
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > decimals) return undefined;
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/** 2999 → 29.99 (for wire formats that show major units as a number). */
export function toMajorUnits(minor: number, decimals = 2): number {
  return Number(formatMinor(minor, decimals));
}

/** 2999 → "29.99" (exact decimal text). */
export function formatMinor(minor: number, decimals = 2): string {
  const text = String(minor).padStart(decimals + 1, '0');
  return decimals ? `${text.slice(0, -decimals)}.${text.slice(-decimals)}` : text;
}

const SYMBOLS: Record<string, string> = { usd: '$', eur: '€', gbp: '£' };

/** 2999, "usd", "month" → "$29.99/month"; "Free" for zero. */
export function priceDisplay(minor: number, currency: string, interval: 'month' | 'year' = 'month'): string {
  if (minor === 0) return 'Free';
  const symbol = SYMBOLS[currency.toLowerCase()];
  const amount = formatMinor(minor);
  return `${symbol ? `${symbol}${amount}` : `${amount} ${currency.toUpperCase()}`}/${interval}`;
}
