//! Static validation of a query document against [`super::schema`], before
//! anything runs — as Shopify does, a document with any problem gets only
//! `errors`, never partial data.
//!
//! Checked: fields exist on their type, arguments are accepted and literal
//! values fit their type, leaves have no sub-selection and objects have one,
//! fragments are defined, used, acyclic and spread where their type fits,
//! variables are declared, used, and of the argument's type.

use std::collections::HashSet;

use graphql_parser::query::{
    Field, Selection, SelectionSet, TypeCondition, Value as GValue, VariableDefinition,
};
use graphql_parser::Pos;

use super::errors::GqlError;
use super::input::{coerce_input, to_json, unwrap_type, Fragments};
use super::schema::{can_spread, type_def, InputTy};

/// Deeper than any sensible query; guards the recursion against abuse.
pub(crate) const MAX_DEPTH: usize = 30;

pub(crate) struct Validator<'v, 'd, 'q> {
    fragments: &'v Fragments<'d, 'q>,
    declared: &'v [VariableDefinition<'q, String>],
    /// The operation's name, or "anonymous query", as variable messages name it.
    operation_label: String,
    used_vars: HashSet<String>,
    used_fragments: HashSet<String>,
    fragment_stack: Vec<String>,
    errors: Vec<GqlError>,
}

impl<'v, 'd, 'q> Validator<'v, 'd, 'q> {
    pub(crate) fn new(
        fragments: &'v Fragments<'d, 'q>,
        declared: &'v [VariableDefinition<'q, String>],
        operation_label: String,
    ) -> Self {
        Validator {
            fragments,
            declared,
            operation_label,
            used_vars: HashSet::new(),
            used_fragments: HashSet::new(),
            fragment_stack: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Validates the operation's root selection and returns every problem found.
    /// `path_root` starts each error's path, e.g. `query CounterlineOrders`.
    pub(crate) fn run(
        mut self,
        root_type: &str,
        root: &SelectionSet<'q, String>,
        path_root: String,
    ) -> Vec<GqlError> {
        let mut path = vec![path_root];
        self.selection_set(root_type, root, &mut path);
        for def in self.declared {
            if !self.used_vars.contains(def.name.as_str()) {
                let e =
                    GqlError::variable_not_used(&def.name, &self.operation_label).at(def.position);
                self.errors.push(e);
            }
        }
        let mut unused: Vec<(&str, Pos)> = self
            .fragments
            .iter()
            .filter(|(name, _)| !self.used_fragments.contains(**name))
            .map(|(name, def)| (*name, def.position))
            .collect();
        unused.sort_by_key(|(_, pos)| (pos.line, pos.column));
        for (name, pos) in unused {
            self.errors.push(GqlError::fragment_unused(name).at(pos));
        }
        self.errors
    }

    fn selection_set(
        &mut self,
        parent: &str,
        set: &SelectionSet<'q, String>,
        path: &mut Vec<String>,
    ) {
        if path.len() > MAX_DEPTH {
            self.errors
                .push(GqlError::too_deep(MAX_DEPTH).at(set.span.0));
            return;
        }
        for selection in &set.items {
            match selection {
                Selection::Field(field) => self.field(parent, field, path),
                Selection::FragmentSpread(spread) => {
                    self.directive_args(&spread.directives);
                    let name = spread.fragment_name.as_str();
                    self.used_fragments.insert(name.to_owned());
                    let Some(fragment) = self.fragments.get(name) else {
                        self.errors
                            .push(GqlError::fragment_undefined(name).at(spread.position));
                        continue;
                    };
                    let TypeCondition::On(condition) = &fragment.type_condition;
                    if self.fragment_stack.iter().any(|f| f == name) {
                        self.errors
                            .push(GqlError::fragment_cycle(name).at(spread.position));
                        continue;
                    }
                    if self.check_condition(Some(name), condition, parent, spread.position) {
                        self.fragment_stack.push(name.to_owned());
                        self.selection_set(condition, &fragment.selection_set, path);
                        self.fragment_stack.pop();
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.directive_args(&inline.directives);
                    match &inline.type_condition {
                        Some(TypeCondition::On(condition)) => {
                            if self.check_condition(None, condition, parent, inline.position) {
                                self.selection_set(condition, &inline.selection_set, path);
                            }
                        }
                        None => self.selection_set(parent, &inline.selection_set, path),
                    }
                }
            }
        }
    }

    fn check_condition(
        &mut self,
        name: Option<&str>,
        condition: &str,
        parent: &str,
        pos: Pos,
    ) -> bool {
        if type_def(condition).is_none() {
            self.errors
                .push(GqlError::fragment_type_unknown(condition).at(pos));
            false
        } else if !can_spread(condition, parent) {
            self.errors
                .push(GqlError::fragment_spread_mismatch(name, condition, parent).at(pos));
            false
        } else {
            true
        }
    }

    fn field(&mut self, parent: &str, field: &Field<'q, String>, path: &mut Vec<String>) {
        self.directive_args(&field.directives);
        let name = field.name.as_str();
        path.push(field.alias.clone().unwrap_or_else(|| field.name.clone()));
        let here = |e: GqlError, path: &[String]| {
            let path: Vec<serde_json::Value> = path.iter().map(|p| p.clone().into()).collect();
            e.at(field.position).with_path(&path)
        };
        if name == "__typename" {
            if !field.selection_set.items.is_empty() {
                self.errors
                    .push(here(GqlError::selection_on_leaf(name, "String"), path));
            }
            path.pop();
            return;
        }
        let Some(def) = type_def(parent).and_then(|t| t.field(name)) else {
            self.errors
                .push(here(GqlError::undefined_field(parent, name), path));
            path.pop();
            return;
        };
        for (arg_name, value) in &field.arguments {
            match def.args.iter().find(|a| a.name == arg_name) {
                None => self
                    .errors
                    .push(here(GqlError::argument_not_accepted(name, arg_name), path)),
                Some(arg) => {
                    if let Some(e) = self.check_value(name, arg_name, value, arg.ty) {
                        self.errors.push(here(e, path));
                    }
                }
            }
        }
        let missing: Vec<&str> = def
            .args
            .iter()
            .filter(|a| a.required && !field.arguments.iter().any(|(n, _)| n == a.name))
            .map(|a| a.name)
            .collect();
        if !missing.is_empty() {
            self.errors.push(here(
                GqlError::missing_required_arguments(name, &missing),
                path,
            ));
        }
        let has_selection = !field.selection_set.items.is_empty();
        match def.ty.object_name() {
            None if has_selection => {
                self.errors.push(here(
                    GqlError::selection_on_leaf(name, &def.ty.display()),
                    path,
                ));
            }
            Some(_) if !has_selection => {
                self.errors.push(here(
                    GqlError::missing_selection(name, &def.ty.display()),
                    path,
                ));
            }
            Some(object) => self.selection_set(object, &field.selection_set, path),
            None => {}
        }
        path.pop();
    }

    /// Checks a literal against the argument type, or a variable's declared
    /// type against it.
    fn check_value(
        &mut self,
        field: &str,
        arg: &str,
        value: &GValue<'q, String>,
        ty: InputTy,
    ) -> Option<GqlError> {
        if let GValue::Variable(var) = value {
            self.used_vars.insert(var.clone());
            let Some(def) = self.declared.iter().find(|d| &d.name == var) else {
                return Some(GqlError::variable_not_defined(var, &self.operation_label));
            };
            let (named, _, is_list) = unwrap_type(&def.var_type);
            if is_list || named != ty.name() {
                return Some(GqlError::variable_mismatch(
                    var,
                    &def.var_type.to_string(),
                    arg,
                    ty.name(),
                ));
            }
            return None;
        }
        if let (InputTy::Object(_), GValue::Object(_)) = (ty, value) {
            return self.check_literal_object(field, arg, value, ty);
        }
        let fits = match (ty, value) {
            (_, GValue::Null) => true,
            (InputTy::Int, GValue::Int(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            (InputTy::String, GValue::String(_)) => true,
            (InputTy::Boolean, GValue::Boolean(_)) => true,
            (InputTy::Id, GValue::String(_) | GValue::Int(_)) => true,
            (InputTy::Enum(_, allowed), GValue::Enum(e)) => allowed.contains(&e.as_str()),
            _ => false,
        };
        (!fits).then(|| GqlError::argument_invalid(field, arg, &value.to_string(), ty.name()))
    }

    /// A literal input object: its variables count as used (and must be
    /// declared); without variables inside, it is coerced now, so a bad
    /// field fails before anything runs. With variables inside, the
    /// resolver coerces it once their values are known.
    fn check_literal_object(
        &mut self,
        field: &str,
        arg: &str,
        value: &GValue<'q, String>,
        ty: InputTy,
    ) -> Option<GqlError> {
        let mut vars = Vec::new();
        literal_variables(value, &mut vars);
        for var in &vars {
            self.used_vars.insert(var.clone());
            if !self.declared.iter().any(|d| &d.name == var) {
                return Some(GqlError::variable_not_defined(var, &self.operation_label));
            }
        }
        if !vars.is_empty() {
            return None;
        }
        let mut problems = Vec::new();
        coerce_input(
            &to_json(value, &serde_json::Map::new()),
            ty,
            &mut Vec::new(),
            &mut problems,
        );
        (!problems.is_empty()).then(|| GqlError::argument_invalid_fields(field, arg, &problems))
    }

    fn directive_args(&mut self, directives: &[graphql_parser::query::Directive<'q, String>]) {
        for d in directives {
            for (_, value) in &d.arguments {
                if let GValue::Variable(var) = value {
                    self.used_vars.insert(var.clone());
                    if !self.declared.iter().any(|def| &def.name == var) {
                        let e = GqlError::variable_not_defined(var, &self.operation_label)
                            .at(d.position);
                        self.errors.push(e);
                    }
                }
            }
        }
    }
}

/// Every variable inside a literal value.
fn literal_variables(value: &GValue<'_, String>, out: &mut Vec<String>) {
    match value {
        GValue::Variable(v) => out.push(v.clone()),
        GValue::List(items) => items.iter().for_each(|i| literal_variables(i, out)),
        GValue::Object(fields) => fields.values().for_each(|v| literal_variables(v, out)),
        _ => {}
    }
}
