//! A small, fixed product catalog the generated orders buy from.
//!
//! Fixed rather than seeded so SKUs are stable across seeds: tests and the
//! demo can name `CL-MUG-11OZ` and find it.

pub struct Product {
    pub title: &'static str,
    pub vendor: &'static str,
    pub sku: &'static str,
    /// Variant titles; empty means the product has a single default variant,
    /// which Shopify reports with `variantTitle: null`.
    pub variants: &'static [&'static str],
    pub price_cents: i64,
}

const fn product(
    title: &'static str,
    vendor: &'static str,
    sku: &'static str,
    variants: &'static [&'static str],
    price_cents: i64,
) -> Product {
    Product {
        title,
        vendor,
        sku,
        variants,
        price_cents,
    }
}

const SIZES: &[&str] = &["S", "M", "L", "XL"];
const COLOURS: &[&str] = &["Black", "Oat", "Forest"];

pub const PRODUCTS: &[Product] = &[
    product(
        "Ceramic Mug",
        "Counterline Goods",
        "CL-MUG-11OZ",
        &["11 oz", "15 oz"],
        1800,
    ),
    product(
        "Pour-Over Coffee Kit",
        "Northbound Roasters",
        "NB-POUR-KIT",
        &[],
        4999,
    ),
    product(
        "Single Origin Beans",
        "Northbound Roasters",
        "NB-BEANS",
        &["250 g", "1 kg"],
        1650,
    ),
    product("Linen Tea Towel", "Field & Loom", "FL-TOWEL", COLOURS, 1250),
    product("Organic Cotton Tee", "Field & Loom", "FL-TEE", SIZES, 3200),
    product("Wool Beanie", "Field & Loom", "FL-BEANIE", COLOURS, 2800),
    product("Enamel Pin", "Counterline Goods", "CL-PIN", &[], 899),
    product("Canvas Tote", "Counterline Goods", "CL-TOTE", &[], 2400),
    product(
        "Beeswax Candle",
        "Hive Collective",
        "HC-CANDLE",
        &["Small", "Large"],
        2150,
    ),
    product(
        "Raw Wildflower Honey",
        "Hive Collective",
        "HC-HONEY-340",
        &[],
        1399,
    ),
    product(
        "Notebook A5",
        "Paper Trail",
        "PT-NB-A5",
        &["Dot grid", "Lined", "Blank"],
        1599,
    ),
    product(
        "Fountain Pen",
        "Paper Trail",
        "PT-PEN",
        &["Fine", "Medium"],
        5400,
    ),
    product(
        "Leather Card Holder",
        "Oxbow Leather",
        "OX-CARD",
        COLOURS,
        3850,
    ),
    product(
        "Gift Card",
        "Counterline Goods",
        "CL-GIFT",
        &["$25", "$50", "$100"],
        2500,
    ),
    product(
        "Stoneware Bowl",
        "Kiln Street",
        "KS-BOWL",
        &["Small", "Medium", "Large"],
        2699,
    ),
    product("Olive Wood Spoon", "Kiln Street", "KS-SPOON", &[], 1099),
    product(
        "Hand Cream",
        "Salt & Sage",
        "SS-CREAM",
        &["Lavender", "Unscented"],
        1450,
    ),
    product("Bar Soap Trio", "Salt & Sage", "SS-SOAP-3", &[], 1999),
    product("Plant Mister", "Greenhouse Co", "GH-MIST", &[], 2250),
    product(
        "Terracotta Planter",
        "Greenhouse Co",
        "GH-POT",
        &["4 in", "6 in", "8 in"],
        1900,
    ),
];

impl Product {
    /// Price of a variant: later variants of the same product cost a bit more
    /// (bigger size, bigger card), in whole 50-cent steps.
    pub fn variant_price_cents(&self, variant: usize) -> i64 {
        let step = i64::try_from(variant).unwrap_or(0);
        if self.sku == "CL-GIFT" {
            return [2500, 5000, 10_000].get(variant).copied().unwrap_or(2500);
        }
        self.price_cents + step * 350
    }

    pub fn variant_sku(&self, variant: usize) -> String {
        match self.variants.get(variant) {
            Some(v) => {
                let suffix: String = v
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                format!("{}-{suffix}", self.sku)
            }
            None => self.sku.to_owned(),
        }
    }
}
