// What a merchant types as their WooCommerce store's address, tidied before it is sent. The
// backend decides what it accepts and says why not; this only removes what merchants often paste
// along with the address.

/** Trims, and drops a WordPress admin or login path copied from the browser's address bar. */
export function tidySiteAddress(input: string): string {
  return input
    .trim()
    .replace(/\/(wp-admin|wp-login\.php)(?:[/?#].*)?$/i, "")
    .replace(/\/+$/, "");
}
