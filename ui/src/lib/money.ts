// Money arrives as integer minor units plus an ISO 4217 code; it never becomes a float until the
// last moment, when it is turned into text for the merchant.

const fractionDigitsByCurrency = new Map<string, number>();
const formatterByKey = new Map<string, Intl.NumberFormat>();

/** How many minor units a currency has (USD 2, JPY 0, KWD 3), as the platform's ICU data says. */
export function currencyFractionDigits(currency: string): number {
  let digits = fractionDigitsByCurrency.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    fractionDigitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * Formats `minor` units of `currency` in the merchant's locale (or `locale`, for tests).
 * Formatters are cached because the orders list formats every visible row on each scroll.
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  try {
    const digits = currencyFractionDigits(code);
    const key = `${locale ?? ""}|${code}`;
    let formatter = formatterByKey.get(key);
    if (!formatter) {
      formatter = new Intl.NumberFormat(locale, {
        style: "currency",
        currency: code,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      formatterByKey.set(key, formatter);
    }
    return formatter.format(minor / 10 ** digits);
  } catch {
    // A code ICU does not know (a platform sending junk) must not blank the whole row.
    return `${(minor / 100).toFixed(2)} ${code}`;
  }
}
