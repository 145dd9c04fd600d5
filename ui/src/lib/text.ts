/**
 * Platforms report payment and fulfillment states as enum names (`PARTIALLY_REFUNDED`,
 * `partially_paid`); the merchant reads them as a sentence: "Partially refunded".
 */
export function humanizeStatus(value: string | null | undefined): string | null {
  if (!value) return null;
  const words = value.trim().replace(/[_-]+/g, " ").replace(/\s+/g, " ").toLowerCase();
  if (!words) return null;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const countFormat = new Intl.NumberFormat();

/** 1250 → "1,250" in the merchant's locale. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** "1 order", "1,250 orders". */
export function countOf(value: number, noun: string, plural: string = `${noun}s`): string {
  return `${formatCount(value)} ${value === 1 ? noun : plural}`;
}
