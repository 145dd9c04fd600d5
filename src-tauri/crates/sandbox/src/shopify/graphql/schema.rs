//! The slice of Shopify's Admin GraphQL schema the sandbox serves.
//!
//! Field names follow the real Admin API (2025-10). The table drives
//! validation (unknown fields and arguments are errors, as on Shopify), cost
//! (objects vs connections) and execution (which fields are connections with
//! arguments). Anything not listed here does not exist as far as the sandbox
//! is concerned, so a client that asks for it finds out in tests, not in
//! production.

/// What a field returns.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ty {
    /// A leaf: a scalar or an enum (the name is for messages).
    Leaf(&'static str),
    /// A list of leaves, e.g. `tags: [String!]!`.
    LeafList(&'static str),
    /// A single object, possibly null.
    Object(&'static str),
    /// A list of objects (only connection `edges`/`nodes` in this slice).
    ObjectList(&'static str),
    /// A Relay connection; the name is the connection type (`OrderConnection`).
    Connection(&'static str),
}

impl Ty {
    /// The type name as GraphQL would print it in an error message.
    pub(crate) fn display(self) -> String {
        match self {
            Ty::Leaf(n) | Ty::Object(n) | Ty::Connection(n) => n.to_owned(),
            Ty::LeafList(n) | Ty::ObjectList(n) => format!("[{n}!]!"),
        }
    }

    /// The object type whose fields a sub-selection picks from.
    pub(crate) fn object_name(self) -> Option<&'static str> {
        match self {
            Ty::Object(n) | Ty::ObjectList(n) | Ty::Connection(n) => Some(n),
            Ty::Leaf(_) | Ty::LeafList(_) => None,
        }
    }
}

/// Input types of arguments and variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InputTy {
    Int,
    String,
    Boolean,
    Id,
    Enum(&'static str, &'static [&'static str]),
    /// An input object, by name (see [`INPUT_OBJECTS`]).
    Object(&'static str),
}

impl InputTy {
    pub(crate) fn name(self) -> &'static str {
        match self {
            InputTy::Int => "Int",
            InputTy::String => "String",
            InputTy::Boolean => "Boolean",
            InputTy::Id => "ID",
            InputTy::Enum(name, _) | InputTy::Object(name) => name,
        }
    }
}

pub(crate) struct Arg {
    pub name: &'static str,
    pub ty: InputTy,
    /// Non-null: leaving it out is a validation error.
    pub required: bool,
}

pub(crate) struct FieldDef {
    pub name: &'static str,
    pub ty: Ty,
    pub args: &'static [Arg],
}

pub(crate) struct TypeDef {
    pub name: &'static str,
    pub fields: &'static [FieldDef],
    /// Interfaces the type implements (fragments `on Node` apply to it).
    pub interfaces: &'static [&'static str],
}

impl TypeDef {
    pub(crate) fn field(&self, name: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

pub(crate) const ORDER_SORT_KEYS: InputTy = InputTy::Enum(
    "OrderSortKeys",
    &[
        "CREATED_AT",
        "ID",
        "UPDATED_AT",
        "PROCESSED_AT",
        "ORDER_NUMBER",
    ],
);

const fn f(name: &'static str, ty: Ty) -> FieldDef {
    FieldDef {
        name,
        ty,
        args: &[],
    }
}

const fn fa(name: &'static str, ty: Ty, args: &'static [Arg]) -> FieldDef {
    FieldDef { name, ty, args }
}

const fn a(name: &'static str, ty: InputTy) -> Arg {
    Arg {
        name,
        ty,
        required: false,
    }
}

/// A non-null argument.
const fn ar(name: &'static str, ty: InputTy) -> Arg {
    Arg {
        name,
        ty,
        required: true,
    }
}

const CONNECTION_ARGS: &[Arg] = &[
    a("first", InputTy::Int),
    a("after", InputTy::String),
    a("last", InputTy::Int),
    a("before", InputTy::String),
    a("reverse", InputTy::Boolean),
];

const ORDERS_ARGS: &[Arg] = &[
    a("first", InputTy::Int),
    a("after", InputTy::String),
    a("last", InputTy::Int),
    a("before", InputTy::String),
    a("reverse", InputTy::Boolean),
    a("query", InputTy::String),
    a("sortKey", ORDER_SORT_KEYS),
];

use Ty::{Connection, Leaf, LeafList, Object, ObjectList};

/// `Order.fulfillmentOrders`: the connection arguments and `displayable`
/// (accepted and ignored: no sandbox fulfillment order is ever hidden).
/// The real field's `query` argument is not served.
const FULFILLMENT_ORDERS_ARGS: &[Arg] = &[
    a("first", InputTy::Int),
    a("after", InputTy::String),
    a("last", InputTy::Int),
    a("before", InputTy::String),
    a("reverse", InputTy::Boolean),
    a("displayable", InputTy::Boolean),
];

pub(crate) const CANCEL_REASONS: &[&str] = &[
    "CUSTOMER",
    "DECLINED",
    "FRAUD",
    "INVENTORY",
    "OTHER",
    "STAFF",
];

pub(crate) const ORDER_CANCEL_REASON: InputTy = InputTy::Enum("OrderCancelReason", CANCEL_REASONS);

/// One field of an input object.
pub(crate) struct InputField {
    pub name: &'static str,
    pub ty: InputTy,
    /// `[T!]`: a list of `ty` (a single value is coerced to a list of one).
    pub list: bool,
    /// Non-null.
    pub required: bool,
}

const fn i(name: &'static str, ty: InputTy) -> InputField {
    InputField {
        name,
        ty,
        list: false,
        required: false,
    }
}

const fn ir(name: &'static str, ty: InputTy) -> InputField {
    InputField {
        name,
        ty,
        list: false,
        required: true,
    }
}

const fn il(name: &'static str, ty: InputTy, required: bool) -> InputField {
    InputField {
        name,
        ty,
        list: true,
        required,
    }
}

/// The input objects the mutations take, as Admin 2025-10 defines them
/// (`URL` is read as a string). `OrderCancelRefundMethodInput`'s
/// `storeCreditRefund` is not served.
pub(crate) static INPUT_OBJECTS: &[(&str, &[InputField])] = &[
    (
        "FulfillmentInput",
        &[
            il(
                "lineItemsByFulfillmentOrder",
                InputTy::Object("FulfillmentOrderLineItemsInput"),
                true,
            ),
            i("notifyCustomer", InputTy::Boolean),
            i(
                "originAddress",
                InputTy::Object("FulfillmentOriginAddressInput"),
            ),
            i("trackingInfo", InputTy::Object("FulfillmentTrackingInput")),
        ],
    ),
    (
        "FulfillmentOrderLineItemsInput",
        &[
            ir("fulfillmentOrderId", InputTy::Id),
            il(
                "fulfillmentOrderLineItems",
                InputTy::Object("FulfillmentOrderLineItemInput"),
                false,
            ),
        ],
    ),
    (
        "FulfillmentOrderLineItemInput",
        &[ir("id", InputTy::Id), ir("quantity", InputTy::Int)],
    ),
    (
        "FulfillmentTrackingInput",
        &[
            i("company", InputTy::String),
            i("number", InputTy::String),
            il("numbers", InputTy::String, false),
            i("url", InputTy::String),
            il("urls", InputTy::String, false),
        ],
    ),
    (
        "FulfillmentOriginAddressInput",
        &[
            i("address1", InputTy::String),
            i("address2", InputTy::String),
            i("city", InputTy::String),
            ir("countryCode", InputTy::String),
            i("provinceCode", InputTy::String),
            i("zip", InputTy::String),
        ],
    ),
    (
        "OrderCancelRefundMethodInput",
        &[i("originalPaymentMethodsRefund", InputTy::Boolean)],
    ),
];

pub(crate) fn input_object(name: &str) -> Option<&'static [InputField]> {
    INPUT_OBJECTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, fields)| *fields)
}

const MONEY_BAG: Ty = Object("MoneyBag");

pub(crate) static TYPES: &[TypeDef] = &[
    TypeDef {
        name: "QueryRoot",
        interfaces: &[],
        fields: &[
            f("shop", Object("Shop")),
            fa("orders", Connection("OrderConnection"), ORDERS_ARGS),
            fa("order", Object("Order"), &[a("id", InputTy::Id)]),
        ],
    },
    TypeDef {
        name: "Shop",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("name", Leaf("String")),
            f("email", Leaf("String")),
            f("myshopifyDomain", Leaf("String")),
            f("currencyCode", Leaf("CurrencyCode")),
            f("ianaTimezone", Leaf("String")),
        ],
    },
    TypeDef {
        name: "Order",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("legacyResourceId", Leaf("UnsignedInt64")),
            f("name", Leaf("String")),
            f("createdAt", Leaf("DateTime")),
            f("updatedAt", Leaf("DateTime")),
            f("processedAt", Leaf("DateTime")),
            f("cancelledAt", Leaf("DateTime")),
            f("cancelReason", Leaf("OrderCancelReason")),
            f("closedAt", Leaf("DateTime")),
            f("closed", Leaf("Boolean")),
            f("test", Leaf("Boolean")),
            f("email", Leaf("String")),
            f("phone", Leaf("String")),
            f("customer", Object("Customer")),
            f("currencyCode", Leaf("CurrencyCode")),
            f("presentmentCurrencyCode", Leaf("CurrencyCode")),
            f("totalPriceSet", MONEY_BAG),
            f("subtotalPriceSet", MONEY_BAG),
            f("totalTaxSet", MONEY_BAG),
            f("totalShippingPriceSet", MONEY_BAG),
            f("totalDiscountsSet", MONEY_BAG),
            f("totalRefundedSet", MONEY_BAG),
            f(
                "displayFinancialStatus",
                Leaf("OrderDisplayFinancialStatus"),
            ),
            f(
                "displayFulfillmentStatus",
                Leaf("OrderDisplayFulfillmentStatus"),
            ),
            f("note", Leaf("String")),
            f("tags", LeafList("String")),
            f("shippingAddress", Object("MailingAddress")),
            fa(
                "lineItems",
                Connection("LineItemConnection"),
                CONNECTION_ARGS,
            ),
            fa(
                "fulfillmentOrders",
                Connection("FulfillmentOrderConnection"),
                FULFILLMENT_ORDERS_ARGS,
            ),
        ],
    },
    TypeDef {
        name: "Customer",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("firstName", Leaf("String")),
            f("lastName", Leaf("String")),
            f("displayName", Leaf("String")),
            f("email", Leaf("String")),
            f("phone", Leaf("String")),
        ],
    },
    TypeDef {
        name: "MoneyBag",
        interfaces: &[],
        fields: &[
            f("shopMoney", Object("MoneyV2")),
            f("presentmentMoney", Object("MoneyV2")),
        ],
    },
    TypeDef {
        name: "MoneyV2",
        interfaces: &[],
        fields: &[
            f("amount", Leaf("Decimal")),
            f("currencyCode", Leaf("CurrencyCode")),
        ],
    },
    TypeDef {
        name: "MailingAddress",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("name", Leaf("String")),
            f("firstName", Leaf("String")),
            f("lastName", Leaf("String")),
            f("company", Leaf("String")),
            f("address1", Leaf("String")),
            f("address2", Leaf("String")),
            f("city", Leaf("String")),
            f("province", Leaf("String")),
            f("provinceCode", Leaf("String")),
            f("zip", Leaf("String")),
            f("country", Leaf("String")),
            f("countryCodeV2", Leaf("CountryCode")),
            f("phone", Leaf("String")),
        ],
    },
    TypeDef {
        name: "LineItem",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("sku", Leaf("String")),
            f("name", Leaf("String")),
            f("title", Leaf("String")),
            f("variantTitle", Leaf("String")),
            f("vendor", Leaf("String")),
            f("quantity", Leaf("Int")),
            f("currentQuantity", Leaf("Int")),
            f("originalUnitPriceSet", MONEY_BAG),
            f("discountedTotalSet", MONEY_BAG),
        ],
    },
    TypeDef {
        name: "OrderConnection",
        interfaces: &[],
        fields: &[
            f("edges", ObjectList("OrderEdge")),
            f("nodes", ObjectList("Order")),
            f("pageInfo", Object("PageInfo")),
        ],
    },
    TypeDef {
        name: "OrderEdge",
        interfaces: &[],
        fields: &[f("cursor", Leaf("String")), f("node", Object("Order"))],
    },
    TypeDef {
        name: "LineItemConnection",
        interfaces: &[],
        fields: &[
            f("edges", ObjectList("LineItemEdge")),
            f("nodes", ObjectList("LineItem")),
            f("pageInfo", Object("PageInfo")),
        ],
    },
    TypeDef {
        name: "LineItemEdge",
        interfaces: &[],
        fields: &[f("cursor", Leaf("String")), f("node", Object("LineItem"))],
    },
    TypeDef {
        name: "PageInfo",
        interfaces: &[],
        fields: &[
            f("hasNextPage", Leaf("Boolean")),
            f("hasPreviousPage", Leaf("Boolean")),
            f("startCursor", Leaf("String")),
            f("endCursor", Leaf("String")),
        ],
    },
    TypeDef {
        name: "FulfillmentOrder",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("orderId", Leaf("ID")),
            f("status", Leaf("FulfillmentOrderStatus")),
            f("requestStatus", Leaf("FulfillmentOrderRequestStatus")),
            f("createdAt", Leaf("DateTime")),
            f("updatedAt", Leaf("DateTime")),
            fa(
                "lineItems",
                Connection("FulfillmentOrderLineItemConnection"),
                CONNECTION_ARGS,
            ),
        ],
    },
    TypeDef {
        name: "FulfillmentOrderConnection",
        interfaces: &[],
        fields: &[
            f("edges", ObjectList("FulfillmentOrderEdge")),
            f("nodes", ObjectList("FulfillmentOrder")),
            f("pageInfo", Object("PageInfo")),
        ],
    },
    TypeDef {
        name: "FulfillmentOrderEdge",
        interfaces: &[],
        fields: &[
            f("cursor", Leaf("String")),
            f("node", Object("FulfillmentOrder")),
        ],
    },
    TypeDef {
        name: "FulfillmentOrderLineItem",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("totalQuantity", Leaf("Int")),
            f("remainingQuantity", Leaf("Int")),
            f("lineItem", Object("LineItem")),
        ],
    },
    TypeDef {
        name: "FulfillmentOrderLineItemConnection",
        interfaces: &[],
        fields: &[
            f("edges", ObjectList("FulfillmentOrderLineItemEdge")),
            f("nodes", ObjectList("FulfillmentOrderLineItem")),
            f("pageInfo", Object("PageInfo")),
        ],
    },
    TypeDef {
        name: "FulfillmentOrderLineItemEdge",
        interfaces: &[],
        fields: &[
            f("cursor", Leaf("String")),
            f("node", Object("FulfillmentOrderLineItem")),
        ],
    },
    // The writes (`shopify::writes`): two mutations and their payloads.
    TypeDef {
        name: "Mutation",
        interfaces: &[],
        fields: &[
            fa(
                "fulfillmentCreate",
                Object("FulfillmentCreatePayload"),
                &[
                    ar("fulfillment", InputTy::Object("FulfillmentInput")),
                    a("message", InputTy::String),
                ],
            ),
            fa(
                "orderCancel",
                Object("OrderCancelPayload"),
                &[
                    ar("orderId", InputTy::Id),
                    ar("reason", ORDER_CANCEL_REASON),
                    ar("restock", InputTy::Boolean),
                    a("refund", InputTy::Boolean),
                    a(
                        "refundMethod",
                        InputTy::Object("OrderCancelRefundMethodInput"),
                    ),
                    a("notifyCustomer", InputTy::Boolean),
                    a("staffNote", InputTy::String),
                ],
            ),
        ],
    },
    TypeDef {
        name: "FulfillmentCreatePayload",
        interfaces: &[],
        fields: &[
            f("fulfillment", Object("Fulfillment")),
            f("userErrors", ObjectList("UserError")),
        ],
    },
    TypeDef {
        name: "Fulfillment",
        interfaces: &["Node"],
        fields: &[
            f("id", Leaf("ID")),
            f("name", Leaf("String")),
            f("status", Leaf("FulfillmentStatus")),
            f("createdAt", Leaf("DateTime")),
            f("updatedAt", Leaf("DateTime")),
            f("totalQuantity", Leaf("Int")),
            fa(
                "trackingInfo",
                ObjectList("FulfillmentTrackingInfo"),
                &[a("first", InputTy::Int)],
            ),
        ],
    },
    TypeDef {
        name: "FulfillmentTrackingInfo",
        interfaces: &[],
        fields: &[
            f("company", Leaf("String")),
            f("number", Leaf("String")),
            f("url", Leaf("URL")),
        ],
    },
    TypeDef {
        name: "UserError",
        interfaces: &[],
        fields: &[f("field", LeafList("String")), f("message", Leaf("String"))],
    },
    TypeDef {
        name: "OrderCancelPayload",
        interfaces: &[],
        fields: &[
            f("job", Object("Job")),
            f("orderCancelUserErrors", ObjectList("OrderCancelUserError")),
            f("userErrors", ObjectList("UserError")),
        ],
    },
    TypeDef {
        name: "OrderCancelUserError",
        interfaces: &[],
        fields: &[
            f("code", Leaf("OrderCancelUserErrorCode")),
            f("field", LeafList("String")),
            f("message", Leaf("String")),
        ],
    },
    TypeDef {
        name: "Job",
        interfaces: &["Node"],
        fields: &[f("id", Leaf("ID")), f("done", Leaf("Boolean"))],
    },
    // Interfaces: only the fields every implementor shares.
    TypeDef {
        name: "Node",
        interfaces: &[],
        fields: &[f("id", Leaf("ID"))],
    },
];

pub(crate) fn type_def(name: &str) -> Option<&'static TypeDef> {
    TYPES.iter().find(|t| t.name == name)
}

/// Whether a fragment with type condition `condition` applies to an object of
/// type `concrete` (the same type, or an interface it implements).
pub(crate) fn applies_to(condition: &str, concrete: &str) -> bool {
    condition == concrete || type_def(concrete).is_some_and(|t| t.interfaces.contains(&condition))
}

/// Whether a fragment on `condition` may be spread inside `parent` at all:
/// the types overlap (equal, or one is an interface the other implements).
pub(crate) fn can_spread(condition: &str, parent: &str) -> bool {
    applies_to(condition, parent) || applies_to(parent, condition)
}

/// Input types a variable may be declared with.
pub(crate) fn input_type(name: &str) -> Option<InputTy> {
    match name {
        "Int" => Some(InputTy::Int),
        "String" => Some(InputTy::String),
        "Boolean" => Some(InputTy::Boolean),
        "ID" => Some(InputTy::Id),
        "OrderSortKeys" => Some(ORDER_SORT_KEYS),
        "OrderCancelReason" => Some(ORDER_CANCEL_REASON),
        other => INPUT_OBJECTS
            .iter()
            .find(|(n, _)| *n == other)
            .map(|(n, _)| InputTy::Object(n)),
    }
}
