//! Every GraphQL error the sandbox can answer with, in one place.
//!
//! Shopify runs graphql-ruby, so the validation messages and `extensions.code`
//! values follow graphql-ruby's wording (`undefinedField`,
//! `argumentNotAccepted`, …). UNCONFIRMED: the exact strings were not checked
//! against a live shop; they are recalled from graphql-ruby and public
//! reports. `MAX_COST_EXCEEDED` and `THROTTLED` match responses quoted in
//! public client code. When a real response disagrees, fix it here.

use graphql_parser::Pos;
use serde_json::{json, Map, Value};

use super::cost::{MAX_QUERY_COST, RATE_LIMITS_DOC};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GqlError {
    pub message: String,
    pub locations: Vec<Pos>,
    pub path: Vec<Value>,
    pub extensions: Option<Value>,
}

impl GqlError {
    fn new(message: impl Into<String>) -> GqlError {
        GqlError {
            message: message.into(),
            locations: Vec::new(),
            path: Vec::new(),
            extensions: None,
        }
    }

    pub(crate) fn at(mut self, pos: Pos) -> GqlError {
        self.locations.push(pos);
        self
    }

    pub(crate) fn with_path(mut self, path: &[Value]) -> GqlError {
        self.path = path.to_vec();
        self
    }

    fn ext(mut self, extensions: Value) -> GqlError {
        self.extensions = Some(extensions);
        self
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("message".into(), Value::String(self.message.clone()));
        if !self.locations.is_empty() {
            let locations = self
                .locations
                .iter()
                .map(|p| json!({"line": p.line, "column": p.column}))
                .collect();
            out.insert("locations".into(), Value::Array(locations));
        }
        if !self.path.is_empty() {
            out.insert("path".into(), Value::Array(self.path.clone()));
        }
        if let Some(ext) = &self.extensions {
            out.insert("extensions".into(), ext.clone());
        }
        Value::Object(out)
    }

    // --- document-level ---

    pub(crate) fn syntax(detail: &str) -> GqlError {
        GqlError::new(format!("syntax error: {}", detail.trim()))
    }

    pub(crate) fn operation_name_required() -> GqlError {
        GqlError::new("An operation name is required")
    }

    pub(crate) fn operation_not_found(name: &str) -> GqlError {
        GqlError::new(format!("No operation named \"{name}\""))
    }

    pub(crate) fn no_operation() -> GqlError {
        GqlError::new("No query string was present")
    }

    pub(crate) fn too_deep(limit: usize) -> GqlError {
        GqlError::new(format!(
            "Query has depth of more than {limit}, which exceeds max depth of {limit}"
        ))
        .ext(json!({"code": "MAX_DEPTH_EXCEEDED"}))
    }

    // --- fields and selections ---

    pub(crate) fn undefined_field(type_name: &str, field: &str) -> GqlError {
        GqlError::new(format!(
            "Field '{field}' doesn't exist on type '{type_name}'"
        ))
        .ext(json!({
            "code": "undefinedField", "typeName": type_name, "fieldName": field
        }))
    }

    pub(crate) fn argument_not_accepted(field: &str, arg: &str) -> GqlError {
        GqlError::new(format!("Field '{field}' doesn't accept argument '{arg}'")).ext(json!({
            "code": "argumentNotAccepted", "name": field, "typeName": "Field", "argumentName": arg
        }))
    }

    pub(crate) fn argument_invalid(
        field: &str,
        arg: &str,
        value: &str,
        expected: &str,
    ) -> GqlError {
        GqlError::new(format!(
            "Argument '{arg}' on Field '{field}' has an invalid value ({value}). Expected type '{expected}'."
        ))
        .ext(json!({"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": arg}))
    }

    pub(crate) fn missing_selection(field: &str, type_name: &str) -> GqlError {
        GqlError::new(format!(
            "Field must have selections (field '{field}' returns {type_name} but has no selections. Did you mean '{field} {{ ... }}'?)"
        ))
        .ext(json!({"code": "selectionMismatch", "nodeName": field, "typeName": type_name}))
    }

    pub(crate) fn selection_on_leaf(field: &str, type_name: &str) -> GqlError {
        GqlError::new(format!(
            "Selections can't be made on scalars (field '{field}' returns {type_name} but has selections)"
        ))
        .ext(json!({"code": "selectionMismatch", "nodeName": field, "typeName": type_name}))
    }

    // --- fragments ---

    pub(crate) fn fragment_undefined(name: &str) -> GqlError {
        GqlError::new(format!("Fragment {name} was used, but not defined"))
            .ext(json!({"code": "useAndDefineFragment", "fragmentName": name}))
    }

    pub(crate) fn fragment_unused(name: &str) -> GqlError {
        GqlError::new(format!("Fragment {name} was defined, but not used"))
            .ext(json!({"code": "useAndDefineFragment", "fragmentName": name}))
    }

    pub(crate) fn fragment_type_unknown(type_name: &str) -> GqlError {
        GqlError::new(format!(
            "No such type {type_name}, so it can't be a fragment condition"
        ))
        .ext(json!({"code": "undefinedType", "typeName": type_name}))
    }

    pub(crate) fn fragment_spread_mismatch(
        name: Option<&str>,
        condition: &str,
        parent: &str,
    ) -> GqlError {
        let label = name
            .map(|n| format!("Fragment {n}"))
            .unwrap_or_else(|| "Fragment".to_owned());
        GqlError::new(format!(
            "{label} on {condition} can't be spread inside {parent}"
        ))
        .ext(json!({
            "code": "fragmentSpreadTypeMismatch",
            "fragmentName": name.unwrap_or("unknown"),
            "typeName": condition,
            "parentName": parent
        }))
    }

    pub(crate) fn fragment_cycle(name: &str) -> GqlError {
        GqlError::new(format!("Fragment {name} contains an infinite loop"))
            .ext(json!({"code": "infiniteLoop", "fragmentName": name}))
    }

    // --- variables ---

    pub(crate) fn variable_not_defined(name: &str, operation: &str) -> GqlError {
        GqlError::new(format!(
            "Variable ${name} is used by {operation} but not declared"
        ))
        .ext(json!({"code": "variableNotDefined", "variableName": name}))
    }

    pub(crate) fn variable_not_used(name: &str, operation: &str) -> GqlError {
        GqlError::new(format!(
            "Variable ${name} is declared by {operation} but not used"
        ))
        .ext(json!({"code": "variableNotUsed", "variableName": name}))
    }

    pub(crate) fn variable_type_unknown(name: &str, type_name: &str) -> GqlError {
        GqlError::new(format!("{type_name} isn't a defined input type (on ${name})"))
            .ext(json!({"code": "variableRequiresValidType", "typeName": type_name, "variableName": name}))
    }

    pub(crate) fn variable_mismatch(
        name: &str,
        declared: &str,
        arg: &str,
        expected: &str,
    ) -> GqlError {
        GqlError::new(format!(
            "Type mismatch on variable ${name} and argument {arg} ({declared} / {expected})"
        ))
        .ext(json!({
            "code": "variableMismatch", "variableName": name, "typeName": declared,
            "argumentName": arg, "errorMessage": "Type mismatch"
        }))
    }

    pub(crate) fn variable_invalid_value(
        name: &str,
        declared: &str,
        value: &Value,
        explanation: &str,
    ) -> GqlError {
        GqlError::new(format!(
            "Variable ${name} of type {declared} was provided invalid value"
        ))
        .ext(json!({
            "value": value, "problems": [{"path": [], "explanation": explanation}]
        }))
    }

    /// A variable whose input object has problems inside it, named by path
    /// (`lineItemsByFulfillmentOrder.0.fulfillmentOrderId`), as
    /// graphql-ruby reports them.
    pub(crate) fn variable_invalid_fields(
        name: &str,
        declared: &str,
        value: &Value,
        problems: &[(Vec<Value>, String)],
    ) -> GqlError {
        let dotted = |path: &[Value]| {
            path.iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(".")
        };
        let places: Vec<String> = problems.iter().map(|(p, _)| dotted(p)).collect();
        let listed: Vec<Value> = problems
            .iter()
            .map(|(path, why)| json!({"path": path, "explanation": why}))
            .collect();
        GqlError::new(format!(
            "Variable ${name} of type {declared} was provided invalid value for {}",
            places.join(", ")
        ))
        .ext(json!({"value": value, "problems": listed}))
    }

    /// A literal input object argument with problems inside it.
    pub(crate) fn argument_invalid_fields(
        field: &str,
        arg: &str,
        problems: &[(Vec<Value>, String)],
    ) -> GqlError {
        let why: Vec<String> = problems.iter().map(|(_, w)| w.clone()).collect();
        GqlError::new(format!(
            "Argument '{arg}' on Field '{field}' has an invalid value: {}",
            why.join("; ")
        ))
        .ext(json!({"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": arg}))
    }

    /// A non-null argument left out.
    pub(crate) fn missing_required_arguments(field: &str, args: &[&str]) -> GqlError {
        let names = args.join(", ");
        GqlError::new(format!(
            "Field '{field}' is missing required arguments: {names}"
        ))
        .ext(json!({
            "code": "missingRequiredArguments", "className": "Field", "name": field, "arguments": names
        }))
    }

    // --- connections (raised while planning or executing) ---

    pub(crate) fn first_or_last_required() -> GqlError {
        GqlError::new("you must provide one of first or last").ext(json!({"code": "BAD_REQUEST"}))
    }

    pub(crate) fn first_and_last() -> GqlError {
        GqlError::new("providing both first and last is not supported")
            .ext(json!({"code": "BAD_REQUEST"}))
    }

    pub(crate) fn page_size(arg: &str, field: &str, value: i64) -> GqlError {
        GqlError::new(format!(
            "Argument '{arg}' on Field '{field}' has an invalid value ({value}). Expected a page size from 0 to 250."
        ))
        .ext(json!({"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": arg}))
    }

    pub(crate) fn invalid_cursor() -> GqlError {
        GqlError::new("Invalid cursor for current pagination sort.")
            .ext(json!({"code": "BAD_REQUEST"}))
    }

    pub(crate) fn invalid_id(value: &str) -> GqlError {
        GqlError::new(format!("Invalid global id '{value}'"))
            .ext(json!({"code": "argumentLiteralsIncompatible"}))
    }

    pub(crate) fn access_denied(field: &str, scope: &str) -> GqlError {
        let required = format!("`{scope}` access scope.");
        GqlError::new(format!(
            "Access denied for {field} field. Required access: {required}"
        ))
        .ext(json!({
            "code": "ACCESS_DENIED",
            "documentation": "https://shopify.dev/api/usage/access-scopes",
            "requiredAccess": required
        }))
    }

    // --- cost ---

    pub(crate) fn max_cost_exceeded(cost: u64) -> GqlError {
        GqlError::new(format!(
            "Query cost is {cost}, which exceeds the single query max cost limit ({MAX_QUERY_COST}).\n\n\
             See {RATE_LIMITS_DOC} for more information on how the\ncost of a query is calculated.\n\n\
             To query larger amounts of data with fewer limits, bulk operations should be used instead.\n"
        ))
        .ext(json!({"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": MAX_QUERY_COST}))
    }

    pub(crate) fn throttled() -> GqlError {
        GqlError::new("Throttled")
            .ext(json!({"code": "THROTTLED", "documentation": RATE_LIMITS_DOC}))
    }
}

/// Drops repeats (a fragment spread twice reports its problems once).
pub(crate) fn dedup(errors: Vec<GqlError>) -> Vec<GqlError> {
    let mut out: Vec<GqlError> = Vec::with_capacity(errors.len());
    for e in errors {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}
