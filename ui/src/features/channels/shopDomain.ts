// Turns whatever a merchant pastes (a handle, a full URL, the admin URL) into the
// `*.myshopify.com` domain Shopify's OAuth needs, or says in plain words why it can't.

export type ShopDomainCheck = { ok: true; domain: string } | { ok: false; message: string };

const myshopifyDomain = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const bareHandle = /^[a-z0-9][a-z0-9-]*$/;
// Shopify's current admin lives at admin.shopify.com/store/<handle>; merchants copy that URL.
const adminUrl = /^admin\.shopify\.com\/store\/([a-z0-9][a-z0-9-]*)(?:[/?#].*)?$/;

export function normalizeShopDomain(input: string): ShopDomainCheck {
  const text = input.trim().toLowerCase().replace(/^https?:\/\//, "");
  if (!text) {
    return { ok: false, message: "Enter your store's address, like your-store.myshopify.com." };
  }
  const admin = adminUrl.exec(text);
  if (admin) return { ok: true, domain: `${admin[1]}.myshopify.com` };

  const host = text.split(/[/?#]/, 1)[0] ?? "";
  if (bareHandle.test(host)) return { ok: true, domain: `${host}.myshopify.com` };
  if (myshopifyDomain.test(host)) return { ok: true, domain: host };
  if (host.includes(".") && !host.endsWith(".myshopify.com")) {
    return {
      ok: false,
      message:
        "Use your store's myshopify.com address (Shopify admin › Settings › Domains), not a custom domain.",
    };
  }
  return {
    ok: false,
    message: "That doesn't look like a Shopify store address. It should look like your-store.myshopify.com.",
  };
}
