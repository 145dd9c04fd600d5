//! A small, real GraphQL executor for the Admin API slice in [`schema`].
//!
//! A request goes through the same stages as on Shopify: parse
//! (`graphql-parser`), pick the operation, validate the whole document,
//! coerce variables, compute the requested cost (and check page sizes),
//! admit it through the leaky bucket, execute, refund the unused cost.
//! Problems before execution answer with `errors` only; problems during
//! execution (a bad cursor) answer with `errors` and `data: null`.

pub(crate) mod cost;
pub(crate) mod errors;
pub(crate) mod exec;
pub(crate) mod input;
pub(crate) mod schema;
pub(crate) mod validate;

use graphql_parser::query::{Definition, OperationDefinition, SelectionSet, VariableDefinition};
use serde_json::{json, Map, Value};

use self::cost::{cost_extension, CostWalk, MAX_AVAILABLE, MAX_QUERY_COST, RESTORE_RATE};
use self::errors::{dedup, GqlError};
use self::exec::Exec;
use self::input::{coerce_variables, Fragments};
use self::validate::Validator;
use super::ShopifyShop;
use crate::locks::{lock, read, write};
use crate::shopify::writes::{self as mutations, Applied};

/// The decoded body of `POST …/graphql.json`.
pub(crate) struct GraphqlRequest {
    pub query: String,
    pub variables: Map<String, Value>,
    pub operation_name: Option<String>,
}

fn errors_only(errors: Vec<GqlError>) -> Value {
    json!({"errors": dedup(errors).iter().map(GqlError::to_json).collect::<Vec<_>>()})
}

struct Operation<'d, 'q> {
    root_type: &'static str,
    kind: &'static str,
    name: Option<&'d str>,
    variables: &'d [VariableDefinition<'q, String>],
    selection: &'d SelectionSet<'q, String>,
}

fn operation<'d, 'q>(def: &'d OperationDefinition<'q, String>) -> Operation<'d, 'q> {
    match def {
        OperationDefinition::SelectionSet(s) => Operation {
            root_type: "QueryRoot",
            kind: "query",
            name: None,
            variables: &[],
            selection: s,
        },
        OperationDefinition::Query(q) => Operation {
            root_type: "QueryRoot",
            kind: "query",
            name: q.name.as_deref(),
            variables: &q.variable_definitions,
            selection: &q.selection_set,
        },
        // Mutations are the two in `schema` (see `shopify::writes`); no
        // subscriptions are served, so every field on them is unknown.
        OperationDefinition::Mutation(m) => Operation {
            root_type: "Mutation",
            kind: "mutation",
            name: m.name.as_deref(),
            variables: &m.variable_definitions,
            selection: &m.selection_set,
        },
        OperationDefinition::Subscription(s) => Operation {
            root_type: "Subscription",
            kind: "subscription",
            name: s.name.as_deref(),
            variables: &s.variable_definitions,
            selection: &s.selection_set,
        },
    }
}

/// What one request produced: the response body, and the writes its
/// mutations applied (for the write journal).
pub(crate) struct Executed {
    pub body: Value,
    pub writes: Vec<Applied>,
}

impl From<Value> for Executed {
    fn from(body: Value) -> Executed {
        Executed {
            body,
            writes: Vec::new(),
        }
    }
}

/// Runs one GraphQL request against `shop` and returns the response body
/// (always HTTP 200, like Shopify, once the token was accepted) and the
/// writes it applied. `forced_throttle` (an injected 429 burst) answers a
/// valid query `THROTTLED` with its real cost and as few points available
/// as make a client that reads `throttleStatus` wait about that long.
pub(crate) fn execute(
    shop: &ShopifyShop,
    request: &GraphqlRequest,
    enforce_rate_limits: bool,
    forced_throttle: Option<std::time::Duration>,
    scopes: &[String],
) -> Executed {
    let document = match graphql_parser::parse_query::<String>(&request.query) {
        Ok(d) => d,
        Err(e) => return errors_only(vec![GqlError::syntax(&e.to_string())]).into(),
    };
    let mut fragments: Fragments = Fragments::new();
    let mut operations = Vec::new();
    for def in &document.definitions {
        match def {
            Definition::Fragment(f) => {
                fragments.insert(f.name.as_str(), f);
            }
            Definition::Operation(o) => operations.push(operation(o)),
        }
    }
    let chosen = match (&request.operation_name, operations.len()) {
        (_, 0) => return errors_only(vec![GqlError::no_operation()]).into(),
        (Some(name), _) => operations
            .into_iter()
            .find(|o| o.name == Some(name.as_str())),
        (None, 1) => operations.into_iter().next(),
        (None, _) => return errors_only(vec![GqlError::operation_name_required()]).into(),
    };
    let Some(op) = chosen else {
        let name = request.operation_name.clone().unwrap_or_default();
        return errors_only(vec![GqlError::operation_not_found(&name)]).into();
    };

    let label = op
        .name
        .map_or_else(|| format!("anonymous {}", op.kind), str::to_owned);
    let path_root = op
        .name
        .map_or_else(|| op.kind.to_owned(), |n| format!("{} {n}", op.kind));
    let problems =
        Validator::new(&fragments, op.variables, label).run(op.root_type, op.selection, path_root);
    if !problems.is_empty() {
        return errors_only(problems).into();
    }
    let vars = match coerce_variables(op.variables, &request.variables) {
        Ok(v) => v,
        Err(problems) => return errors_only(problems).into(),
    };

    let walk = CostWalk {
        fragments: &fragments,
        vars: &vars,
    };
    let requested = match walk.selection(op.root_type, &[op.selection]) {
        Ok(c) => c,
        Err(e) => return errors_only(vec![e]).into(),
    };
    if let Some(wait) = forced_throttle {
        let available = (requested as f64 - RESTORE_RATE * wait.as_secs_f64()).max(0.0);
        let mut body = errors_only(vec![GqlError::throttled()]);
        body["extensions"] = cost_extension(requested, None, available);
        return body.into();
    }
    if enforce_rate_limits {
        if requested > MAX_QUERY_COST {
            return errors_only(vec![GqlError::max_cost_exceeded(requested)]).into();
        }
        let mut bucket = lock(&shop.bucket);
        if !bucket.try_take(requested) {
            let available = bucket.available();
            let mut body = errors_only(vec![GqlError::throttled()]);
            body["extensions"] = cost_extension(requested, None, available);
            return body.into();
        }
    }

    // Mutations apply first, under the write lock, and their payloads are
    // then projected like any object.
    let mut writes = Vec::new();
    let mut mutation_errors = Vec::new();
    let payloads = (op.root_type == "Mutation").then(|| {
        let mut book = write(&shop.book);
        mutations::run(
            shop,
            &mut book,
            &fragments,
            &vars,
            op.selection,
            &mut writes,
            &mut mutation_errors,
        )
    });
    let book = read(&shop.book);
    let mut exec = Exec {
        fragments: &fragments,
        vars: &vars,
        book: &book,
        shop: &shop.identity,
        people: &shop.people,
        scopes,
        actual_cost: 0,
        errors: Vec::new(),
        search_warnings: Vec::new(),
    };
    let data = match &payloads {
        Some(p) => exec.mutation_root(op.selection, p),
        None => exec.root(op.selection),
    };
    exec.errors.append(&mut mutation_errors);
    let actual = exec.actual_cost;
    let available = if enforce_rate_limits {
        let mut bucket = lock(&shop.bucket);
        bucket.refund(requested.saturating_sub(actual));
        bucket.available()
    } else {
        MAX_AVAILABLE
    };
    let mut extensions = cost_extension(requested, Some(actual), available);
    if !exec.search_warnings.is_empty() {
        extensions["search"] = Value::Array(exec.search_warnings);
    }
    let mut body = Map::new();
    if exec.errors.is_empty() {
        body.insert("data".into(), data);
    } else {
        // The failing fields are non-null connections, so null bubbles to the root.
        body.insert("errors".into(), errors_only(exec.errors)["errors"].take());
        body.insert("data".into(), Value::Null);
    }
    body.insert("extensions".into(), extensions);
    Executed {
        body: Value::Object(body),
        writes,
    }
}
