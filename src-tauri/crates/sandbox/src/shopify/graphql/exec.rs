//! Execution: resolves the root fields against one shop and projects each
//! object's full JSON (from `shape`) through the selection set, so a response
//! holds exactly the fields asked for, under their aliases.
//!
//! Connections (`orders`, `Order.lineItems`) are the only resolvers with
//! logic; every other field is a lookup in the object's JSON.

use graphql_parser::query::{Field, SelectionSet};
use serde_json::{json, Map, Value};

use super::errors::GqlError;
use super::input::{arg, collect_fields, Fragments};
use super::schema::{type_def, FieldDef, Ty};
use crate::people::People;
use crate::shopify::book::{OrderBook, SortKey};
use crate::shopify::paging::{self, decode_cursor, CursorValue, PageArgs};
use crate::shopify::search;
use crate::shopify::shape::{order_json, ShopIdentity};

/// Shopify's page-size ceiling for connections.
pub(crate) const MAX_PAGE_SIZE: i64 = 250;

/// A connection's paging arguments, sizes validated, cursors still opaque.
pub(crate) struct PageRequest {
    pub first: Option<usize>,
    pub last: Option<usize>,
    pub after: Option<String>,
    pub before: Option<String>,
    pub reverse: bool,
}

impl PageRequest {
    pub(crate) fn size(&self) -> usize {
        self.first.or(self.last).unwrap_or(0)
    }

    /// Decodes the cursors for a sort whose values are of `kind`.
    fn resolve(&self, kind: CursorValue) -> Result<PageArgs, GqlError> {
        let decode = |c: &Option<String>| match c {
            None => Ok(None),
            Some(c) => decode_cursor(kind, c)
                .map(Some)
                .ok_or_else(GqlError::invalid_cursor),
        };
        Ok(PageArgs {
            first: self.first,
            last: self.last,
            after: decode(&self.after)?,
            before: decode(&self.before)?,
            reverse: self.reverse,
        })
    }
}

pub(crate) fn page_request(
    field: &Field<'_, String>,
    vars: &Map<String, Value>,
) -> Result<PageRequest, GqlError> {
    let size = |name: &str| -> Result<Option<usize>, GqlError> {
        match arg(field, name, vars).and_then(|v| v.as_i64()) {
            None => Ok(None),
            Some(n) if (0..=MAX_PAGE_SIZE).contains(&n) => Ok(Some(n as usize)),
            Some(n) => Err(GqlError::page_size(name, &field.name, n)),
        }
    };
    let first = size("first")?;
    let last = size("last")?;
    match (first, last) {
        (None, None) => return Err(GqlError::first_or_last_required()),
        (Some(_), Some(_)) => return Err(GqlError::first_and_last()),
        _ => {}
    }
    let text = |name: &str| arg(field, name, vars).and_then(|v| v.as_str().map(str::to_owned));
    Ok(PageRequest {
        first,
        last,
        after: text("after"),
        before: text("before"),
        reverse: arg(field, "reverse", vars)
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    })
}

/// What an object in the response is backed by.
enum Obj<'a> {
    Root,
    /// The mutation root: each root field's payload, already computed by
    /// `shopify::writes`, by response key.
    Payloads(&'a Map<String, Value>),
    Json(&'a Value),
    Connection(&'a ConnectionPage),
    Edge(&'a str, &'a Value),
}

struct ConnectionPage {
    /// (cursor, node) in response order.
    items: Vec<(String, Value)>,
    page_info: Value,
}

impl ConnectionPage {
    fn new(items: Vec<(String, Value)>, has_next: bool, has_previous: bool) -> ConnectionPage {
        let page_info = json!({
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": items.first().map(|(c, _)| c.clone()),
            "endCursor": items.last().map(|(c, _)| c.clone()),
        });
        ConnectionPage { items, page_info }
    }
}

pub(crate) struct Exec<'e, 'd, 'q> {
    pub fragments: &'e Fragments<'d, 'q>,
    pub vars: &'e Map<String, Value>,
    pub book: &'e OrderBook,
    pub shop: &'e ShopIdentity,
    pub people: &'e People,
    /// The access token's scopes; orders need `read_orders` (or `write_orders`).
    pub scopes: &'e [String],
    /// Objects returned (1 each) plus connections resolved (2 each).
    pub actual_cost: u64,
    pub errors: Vec<GqlError>,
    /// `extensions.search` entries for queries with ignored terms.
    pub search_warnings: Vec<Value>,
}

/// Types that don't count as objects for the actual cost (see `cost`).
fn is_costed(type_name: &str) -> bool {
    !(type_name == "QueryRoot"
        || type_name == "Mutation"
        || type_name == "PageInfo"
        || type_name.ends_with("Connection")
        || type_name.ends_with("Edge"))
}

impl<'d, 'q> Exec<'_, 'd, 'q> {
    pub(crate) fn root(&mut self, root: &'d SelectionSet<'q, String>) -> Value {
        self.object("QueryRoot", Obj::Root, &[root], &mut Vec::new())
    }

    /// Projects the payloads of a mutation's root fields (see
    /// `shopify::writes::run`) through their selections.
    pub(crate) fn mutation_root(
        &mut self,
        root: &'d SelectionSet<'q, String>,
        payloads: &Map<String, Value>,
    ) -> Value {
        self.object(
            "Mutation",
            Obj::Payloads(payloads),
            &[root],
            &mut Vec::new(),
        )
    }

    fn object(
        &mut self,
        type_name: &str,
        obj: Obj<'_>,
        sets: &[&'d SelectionSet<'q, String>],
        path: &mut Vec<Value>,
    ) -> Value {
        if is_costed(type_name) {
            self.actual_cost += 1;
        }
        let mut out = Map::new();
        for c in collect_fields(type_name, sets, self.fragments, self.vars) {
            let field = c.first();
            if field.name == "__typename" {
                out.insert(c.key, Value::String(type_name.to_owned()));
                continue;
            }
            let Some(def) = type_def(type_name).and_then(|t| t.field(&field.name)) else {
                continue; // validation already refused unknown fields
            };
            path.push(Value::String(c.key.clone()));
            let value = self.field(type_name, &obj, def, field, &c.sub_selections(), path);
            path.pop();
            out.insert(c.key, value);
        }
        Value::Object(out)
    }

    fn field(
        &mut self,
        type_name: &str,
        obj: &Obj<'_>,
        def: &FieldDef,
        field: &'d Field<'q, String>,
        subs: &[&'d SelectionSet<'q, String>],
        path: &mut Vec<Value>,
    ) -> Value {
        match obj {
            Obj::Payloads(payloads) => {
                let key = field.alias.as_ref().unwrap_or(&field.name);
                match (payloads.get(key), def.ty.object_name()) {
                    (Some(payload @ Value::Object(_)), Some(t)) => {
                        self.object(t, Obj::Json(payload), subs, path)
                    }
                    _ => Value::Null,
                }
            }
            Obj::Root => match def.name {
                "shop" => {
                    let shop = self.shop.shop_json();
                    self.object("Shop", Obj::Json(&shop), subs, path)
                }
                "orders" | "order" if !self.may_read_orders() => self.fail(
                    GqlError::access_denied(def.name, "read_orders"),
                    field,
                    path,
                ),
                "orders" => self.orders(field, subs, path),
                "order" => self.order_by_id(field, subs, path),
                _ => Value::Null,
            },
            Obj::Json(v) => match def.ty {
                Ty::Leaf(_) | Ty::LeafList(_) => v.get(def.name).cloned().unwrap_or(Value::Null),
                Ty::Object(t) => match v.get(def.name) {
                    Some(inner @ Value::Object(_)) => self.object(t, Obj::Json(inner), subs, path),
                    _ => Value::Null,
                },
                Ty::Connection(conn) => {
                    let nodes = v
                        .get(def.name)
                        .and_then(|c| c.get("nodes"))
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or(&[]);
                    self.nodes_connection(conn, nodes, field, subs, path)
                }
                Ty::ObjectList(t) => match v.get(def.name) {
                    Some(Value::Array(items)) => Value::Array(
                        items
                            .iter()
                            .map(|i| self.object(t, Obj::Json(i), subs, path))
                            .collect(),
                    ),
                    _ => Value::Null,
                },
            },
            Obj::Connection(page) => {
                let item_type = def.ty.object_name().unwrap_or(type_name);
                match def.name {
                    "edges" => Value::Array(
                        page.items
                            .iter()
                            .map(|(cursor, node)| {
                                self.object(item_type, Obj::Edge(cursor, node), subs, path)
                            })
                            .collect(),
                    ),
                    "nodes" => Value::Array(
                        page.items
                            .iter()
                            .map(|(_, node)| self.object(item_type, Obj::Json(node), subs, path))
                            .collect(),
                    ),
                    "pageInfo" => self.object("PageInfo", Obj::Json(&page.page_info), subs, path),
                    _ => Value::Null,
                }
            }
            Obj::Edge(cursor, node) => match (def.name, def.ty) {
                ("cursor", _) => Value::String((*cursor).to_owned()),
                ("node", Ty::Object(t)) => self.object(t, Obj::Json(node), subs, path),
                _ => Value::Null,
            },
        }
    }

    fn may_read_orders(&self) -> bool {
        self.scopes
            .iter()
            .any(|s| s == "read_orders" || s == "write_orders")
    }

    fn fail(&mut self, error: GqlError, field: &Field<'q, String>, path: &[Value]) -> Value {
        self.errors.push(error.at(field.position).with_path(path));
        Value::Null
    }

    fn orders(
        &mut self,
        field: &'d Field<'q, String>,
        subs: &[&'d SelectionSet<'q, String>],
        path: &mut Vec<Value>,
    ) -> Value {
        let request = match page_request(field, self.vars) {
            Ok(r) => r,
            Err(e) => return self.fail(e, field, path),
        };
        let sort = arg(field, "sortKey", self.vars)
            .and_then(|v| v.as_str().and_then(SortKey::parse))
            .unwrap_or(SortKey::Id);
        let args = match request.resolve(sort.cursor_value()) {
            Ok(a) => a,
            Err(e) => return self.fail(e, field, path),
        };
        let query = arg(field, "query", self.vars).and_then(|v| v.as_str().map(str::to_owned));
        let search = query
            .as_deref()
            .map(|q| search::parse(q, self.shop.customer_id_base))
            .unwrap_or_default();
        if let (Some(q), false) = (&query, search.warnings.is_empty()) {
            let warnings: Vec<Value> = search
                .warnings
                .iter()
                .map(|w| json!({"field": w.field, "message": w.message, "code": w.code}))
                .collect();
            self.search_warnings
                .push(json!({"path": path.clone(), "query": q, "warnings": warnings}));
        }
        let page = self.book.page(sort, &args, &search, self.people);
        let items = page
            .orders
            .into_iter()
            .filter_map(|(position, cursor)| {
                self.book
                    .get(position)
                    .map(|o| (cursor, order_json(self.shop, self.people, o)))
            })
            .collect();
        let page = ConnectionPage::new(items, page.has_next, page.has_previous);
        self.actual_cost += 2;
        self.object("OrderConnection", Obj::Connection(&page), subs, path)
    }

    fn order_by_id(
        &mut self,
        field: &'d Field<'q, String>,
        subs: &[&'d SelectionSet<'q, String>],
        path: &mut Vec<Value>,
    ) -> Value {
        let raw = arg(field, "id", self.vars)
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let Some(id) = raw
            .strip_prefix("gid://shopify/Order/")
            .and_then(|n| n.parse::<u64>().ok())
        else {
            return self.fail(GqlError::invalid_id(&raw), field, path);
        };
        match self.book.find(id) {
            Some(order) => {
                let v = order_json(self.shop, self.people, order);
                self.object("Order", Obj::Json(&v), subs, path)
            }
            None => Value::Null,
        }
    }

    /// A connection over a small list of nodes already in the parent's JSON
    /// (`Order.lineItems`), ordered by the numeric part of their GIDs.
    fn nodes_connection(
        &mut self,
        conn: &str,
        nodes: &[Value],
        field: &'d Field<'q, String>,
        subs: &[&'d SelectionSet<'q, String>],
        path: &mut Vec<Value>,
    ) -> Value {
        let request = match page_request(field, self.vars) {
            Ok(r) => r,
            Err(e) => return self.fail(e, field, path),
        };
        let args = match request.resolve(CursorValue::Number) {
            Ok(a) => a,
            Err(e) => return self.fail(e, field, path),
        };
        let id_of = |node: &Value| -> u64 {
            node.get("id")
                .and_then(Value::as_str)
                .and_then(|gid| gid.rsplit('/').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let keys: Vec<(i64, u64)> = nodes
            .iter()
            .map(|n| {
                let id = id_of(n);
                (i64::try_from(id).unwrap_or(i64::MAX), id)
            })
            .collect();
        let slice = paging::paginate(keys.len(), |i| keys[i], |_| true, (None, None), &args);
        let items = slice
            .positions
            .iter()
            .map(|&i| {
                let (value, id) = keys[i];
                (
                    paging::encode_cursor(CursorValue::Number, value, id),
                    nodes[i].clone(),
                )
            })
            .collect();
        let page = ConnectionPage::new(items, slice.has_next, slice.has_previous);
        self.actual_cost += 2;
        self.object(conn, Obj::Connection(&page), subs, path)
    }
}
