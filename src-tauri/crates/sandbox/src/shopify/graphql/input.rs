//! Inputs to a query: variables, argument values, directives, and field
//! collection (fragments flattened, `@skip`/`@include` applied, repeated
//! response keys merged), shared by the cost and execution walks.

use std::collections::HashMap;

use graphql_parser::query::{
    Directive, Field, FragmentDefinition, Selection, SelectionSet, Type, TypeCondition,
    Value as GValue, VariableDefinition,
};
use serde_json::{Map, Number, Value};

use super::errors::GqlError;
use super::schema::{self, applies_to, InputTy};

pub(crate) type Fragments<'d, 'q> = HashMap<&'d str, &'d FragmentDefinition<'q, String>>;

/// Coerces the request's `variables` against the operation's declarations:
/// defaults filled in, non-null enforced, leaf types checked, IDs given as
/// numbers turned into strings (as GraphQL coercion does).
pub(crate) fn coerce_variables(
    defs: &[VariableDefinition<'_, String>],
    provided: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<GqlError>> {
    let mut out = Map::new();
    let mut errors = Vec::new();
    for def in defs {
        let name = def.name.as_str();
        let (named, non_null, is_list) = unwrap_type(&def.var_type);
        let Some(input) = schema::input_type(named) else {
            errors.push(GqlError::variable_type_unknown(name, named).at(def.position));
            continue;
        };
        let declared = def.var_type.to_string();
        let value = match provided.get(name) {
            Some(v) => v.clone(),
            None => match &def.default_value {
                Some(default) => to_json(default, &Map::new()),
                None => Value::Null,
            },
        };
        if value.is_null() {
            if non_null {
                errors.push(GqlError::variable_invalid_value(
                    name,
                    &declared,
                    &value,
                    "Expected value to not be null",
                ));
            } else {
                out.insert(name.to_owned(), Value::Null);
            }
            continue;
        }
        if is_list {
            // No list inputs in this schema slice; pass through for completeness.
            out.insert(name.to_owned(), value);
            continue;
        }
        if let InputTy::Object(_) = input {
            let mut problems = Vec::new();
            let coerced = coerce_input(&value, input, &mut Vec::new(), &mut problems);
            if problems.is_empty() {
                out.insert(name.to_owned(), coerced);
            } else {
                errors.push(GqlError::variable_invalid_fields(
                    name, &declared, &value, &problems,
                ));
            }
            continue;
        }
        match coerce_leaf(&value, input) {
            Some(v) => {
                out.insert(name.to_owned(), v);
            }
            None => errors.push(GqlError::variable_invalid_value(
                name,
                &declared,
                &value,
                &format!("Could not coerce value {value} to {}", input.name()),
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The named type under any list/non-null wrappers, whether the outer type is
/// non-null, and whether a list is involved.
pub(crate) fn unwrap_type<'t>(ty: &'t Type<'_, String>) -> (&'t str, bool, bool) {
    match ty {
        Type::NamedType(n) => (n.as_str(), false, false),
        Type::NonNullType(inner) => {
            let (n, _, list) = unwrap_type(inner);
            (n, true, list)
        }
        Type::ListType(inner) => {
            let (n, _, _) = unwrap_type(inner);
            (n, false, true)
        }
    }
}

/// One thing wrong inside an input object: where (field names and list
/// indexes) and why, in graphql-ruby's words.
pub(crate) type Problem = (Vec<Value>, String);

/// Coerces `value` to `ty`, recursing into input objects (see
/// [`schema::INPUT_OBJECTS`]): unknown fields, missing non-null fields and
/// leaves of the wrong type are collected in `problems`; a single value
/// where a list is expected becomes a list of one, as GraphQL coerces it.
pub(crate) fn coerce_input(
    value: &Value,
    ty: InputTy,
    path: &mut Vec<Value>,
    problems: &mut Vec<Problem>,
) -> Value {
    let InputTy::Object(name) = ty else {
        return match coerce_leaf(value, ty) {
            Some(v) => v,
            None => {
                problems.push((
                    path.clone(),
                    format!("Could not coerce value {value} to {}", ty.name()),
                ));
                Value::Null
            }
        };
    };
    let (Some(fields), Some(given)) = (schema::input_object(name), value.as_object()) else {
        problems.push((
            path.clone(),
            format!("Expected {value} to be a key-value object"),
        ));
        return Value::Null;
    };
    for key in given.keys() {
        if !fields.iter().any(|f| f.name == key) {
            path.push(Value::String(key.clone()));
            problems.push((path.clone(), format!("Field is not defined on {name}")));
            path.pop();
        }
    }
    let mut out = Map::new();
    for field in fields {
        path.push(Value::String(field.name.to_owned()));
        match given.get(field.name) {
            None | Some(Value::Null) => {
                if field.required {
                    problems.push((path.clone(), "Expected value to not be null".to_owned()));
                }
            }
            Some(v) if field.list => {
                let items = match v {
                    Value::Array(items) => items.clone(),
                    single => vec![single.clone()],
                };
                let coerced = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        path.push(Value::from(i));
                        let c = coerce_input(item, field.ty, path, problems);
                        path.pop();
                        c
                    })
                    .collect();
                out.insert(field.name.to_owned(), Value::Array(coerced));
            }
            Some(v) => {
                let c = coerce_input(v, field.ty, path, problems);
                out.insert(field.name.to_owned(), c);
            }
        }
        path.pop();
    }
    Value::Object(out)
}

fn coerce_leaf(value: &Value, ty: InputTy) -> Option<Value> {
    match ty {
        InputTy::Int => value
            .as_i64()
            .filter(|n| i32::try_from(*n).is_ok())
            .map(|n| Value::Number(Number::from(n))),
        InputTy::String => value.is_string().then(|| value.clone()),
        InputTy::Boolean => value.is_boolean().then(|| value.clone()),
        InputTy::Id => match value {
            Value::String(_) => Some(value.clone()),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(Value::String(n.to_string())),
            _ => None,
        },
        InputTy::Enum(_, allowed) => value
            .as_str()
            .filter(|s| allowed.contains(s))
            .map(|s| Value::String(s.to_owned())),
        InputTy::Object(_) => None,
    }
}

/// A GraphQL value as JSON, variables substituted (an unknown variable is null;
/// validation reports it before anything runs).
pub(crate) fn to_json(value: &GValue<'_, String>, vars: &Map<String, Value>) -> Value {
    match value {
        GValue::Variable(name) => vars.get(name.as_str()).cloned().unwrap_or(Value::Null),
        GValue::Int(n) => n
            .as_i64()
            .map(|n| Value::Number(n.into()))
            .unwrap_or(Value::Null),
        GValue::Float(f) => Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        GValue::String(s) => Value::String(s.clone()),
        GValue::Boolean(b) => Value::Bool(*b),
        GValue::Null => Value::Null,
        GValue::Enum(e) => Value::String(e.clone()),
        GValue::List(items) => Value::Array(items.iter().map(|v| to_json(v, vars)).collect()),
        GValue::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v, vars)))
                .collect(),
        ),
    }
}

/// An argument's value, or `None` when it is absent or null.
pub(crate) fn arg(
    field: &Field<'_, String>,
    name: &str,
    vars: &Map<String, Value>,
) -> Option<Value> {
    field
        .arguments
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| to_json(v, vars))
        .filter(|v| !v.is_null())
}

/// `@skip(if: true)` drops a selection; `@include(if: false)` too.
pub(crate) fn included(directives: &[Directive<'_, String>], vars: &Map<String, Value>) -> bool {
    directives.iter().all(|d| {
        let condition = d
            .arguments
            .iter()
            .find(|(n, _)| n == "if")
            .map(|(_, v)| to_json(v, vars))
            .and_then(|v| v.as_bool());
        !matches!(
            (d.name.as_str(), condition),
            ("skip", Some(true)) | ("include", Some(false))
        )
    })
}

/// One response key and every field node that contributes to it (GraphQL
/// merges `a { x } a { y }` into `a { x y }`).
pub(crate) struct Collected<'d, 'q> {
    pub key: String,
    pub fields: Vec<&'d Field<'q, String>>,
}

impl<'d, 'q> Collected<'d, 'q> {
    pub(crate) fn first(&self) -> &'d Field<'q, String> {
        self.fields[0]
    }

    pub(crate) fn sub_selections(&self) -> Vec<&'d SelectionSet<'q, String>> {
        self.fields.iter().map(|f| &f.selection_set).collect()
    }
}

/// The fields selected on an object of concrete type `type_name`, in order,
/// fragments flattened. Cycles are impossible here: validation rejects them.
pub(crate) fn collect_fields<'d, 'q>(
    type_name: &str,
    sets: &[&'d SelectionSet<'q, String>],
    fragments: &Fragments<'d, 'q>,
    vars: &Map<String, Value>,
) -> Vec<Collected<'d, 'q>> {
    let mut out: Vec<Collected<'d, 'q>> = Vec::new();
    for set in sets {
        collect_into(type_name, set, fragments, vars, &mut out, 0);
    }
    out
}

fn collect_into<'d, 'q>(
    type_name: &str,
    set: &'d SelectionSet<'q, String>,
    fragments: &Fragments<'d, 'q>,
    vars: &Map<String, Value>,
    out: &mut Vec<Collected<'d, 'q>>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    for selection in &set.items {
        match selection {
            Selection::Field(field) => {
                if !included(&field.directives, vars) {
                    continue;
                }
                let key = field.alias.as_ref().unwrap_or(&field.name);
                match out.iter_mut().find(|c| &c.key == key) {
                    Some(existing) => existing.fields.push(field),
                    None => out.push(Collected {
                        key: key.clone(),
                        fields: vec![field],
                    }),
                }
            }
            Selection::FragmentSpread(spread) => {
                if !included(&spread.directives, vars) {
                    continue;
                }
                if let Some(fragment) = fragments.get(spread.fragment_name.as_str()) {
                    let TypeCondition::On(condition) = &fragment.type_condition;
                    if applies_to(condition, type_name) {
                        collect_into(
                            type_name,
                            &fragment.selection_set,
                            fragments,
                            vars,
                            out,
                            depth + 1,
                        );
                    }
                }
            }
            Selection::InlineFragment(inline) => {
                if !included(&inline.directives, vars) {
                    continue;
                }
                let applies = match &inline.type_condition {
                    Some(TypeCondition::On(condition)) => applies_to(condition, type_name),
                    None => true,
                };
                if applies {
                    collect_into(
                        type_name,
                        &inline.selection_set,
                        fragments,
                        vars,
                        out,
                        depth + 1,
                    );
                }
            }
        }
    }
}
