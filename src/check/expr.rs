//! Expressions: name resolution and type checking, bidirectionally (the
//! expected type flows down, so `protection_status == none` finds the enum of
//! `none` from the other side).

use rust_decimal::Decimal;

use super::{Checker, Dep, Local};
use crate::check::ir::*;
use crate::diag::{did_you_mean, Span};
use crate::syntax::ast::{self, BinOp, ExprKind, Literal, QuantKind};
use crate::value::{parse_date, Money, Period, Type, Value};

/// The acts a provision cites (a time limit in it follows their
/// computation), and whether it also names one that is not declared (that
/// is reported, and how the provision computes time limits is not asked).
#[derive(Clone, Debug, Default)]
pub(super) struct Cites {
    pub(super) sources: Vec<SourceId>,
    pub(super) unresolved: bool,
}

pub(super) struct Scope {
    ruleset: String,
    owner: Dep,
    /// What the enclosing rule (or def, or decision) cites.
    cites: Cites,
    /// Quantifier variables, outermost first: name, type, record path of the list.
    locals: Vec<(String, Type, Option<PathId>)>,
}

impl Scope {
    /// The scope of an expression of `ruleset`, owned by `owner`.
    fn new(ruleset: &str, owner: Dep, cites: &Cites) -> Scope {
        Scope {
            ruleset: ruleset.to_string(),
            owner,
            cites: cites.clone(),
            locals: Vec::new(),
        }
    }
}

const BUILTINS: [&str; 7] = [
    "known",
    "exists",
    "determined",
    "age",
    "days_between",
    "deadline",
    "as_of",
];

fn node(kind: Expr, ty: Type, span: Span) -> Node {
    Node {
        kind,
        ty,
        span,
        text: std::sync::Arc::from(""),
        json: std::sync::Arc::from(""),
        id: 0,
        slot: 0,
    }
}

/// What a bare name stands for as a value ([`Checker::named`]).
#[derive(Clone, Copy)]
enum Named {
    /// A list variable, by its place among the quantifiers' variables.
    Item(usize),
    Local(Local),
    Input(InputId),
}

impl Named {
    /// What it is, in words, with and without its article.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Named::Item(_) => ("a list variable", "list variable"),
            Named::Local(Local::Param(_)) => ("a param of this ruleset", "param"),
            Named::Local(Local::Def(_)) => ("a def of this ruleset", "def"),
            Named::Local(Local::Decision(_)) => ("a decision of this ruleset", "decision"),
            Named::Input(_) => ("an input", "input"),
        }
    }
}

fn error_node(span: Span) -> Node {
    node(Expr::Lit(Value::None), Type::Error, span)
}

/// The common type of two operands, if they fit together.
fn unify(a: &Type, b: &Type) -> Option<Type> {
    let (a, b) = (a.base(), b.base());
    match (a, b) {
        (Type::Error, t) | (t, Type::Error) => Some(t.clone()),
        (Type::Integer, Type::Decimal) | (Type::Decimal, Type::Integer) => Some(Type::Decimal),
        (Type::List(x), Type::List(y)) => unify(x, y).map(|t| Type::List(Box::new(t))),
        (x, y) if x == y => Some(x.clone()),
        _ => None,
    }
}

/// Whether a value of type `actual` may stand where `expected` is wanted.
fn fits(actual: &Type, expected: &Type) -> bool {
    match (actual, expected) {
        (Type::Error, _) | (_, Type::Error) => true,
        (Type::Optional(a), Type::Optional(e)) => fits(a, e),
        (a, Type::Optional(e)) => fits(a, e),
        // An optional value used where a value is required: `none` there is an
        // evaluation error in that outcome, reported with its path.
        (Type::Optional(a), e) => fits(a, e),
        (Type::Integer, Type::Decimal) => true,
        (Type::List(a), Type::List(e)) => fits(a, e),
        (a, e) => a == e,
    }
}

impl Checker<'_> {
    /// Checks `e` against `expected`, reporting a mismatch once.
    pub(super) fn typed(
        &mut self,
        ruleset: &str,
        owner: Dep,
        cites: &Cites,
        e: &ast::Expr,
        expected: &Type,
        what: &str,
    ) -> Node {
        let n = self.expr(&mut Scope::new(ruleset, owner, cites), e, Some(expected));
        self.expect(n, expected, what)
    }

    /// Checks `e`, of whatever type it has.
    pub(super) fn untyped(
        &mut self,
        ruleset: &str,
        owner: Dep,
        cites: &Cites,
        e: &ast::Expr,
    ) -> Node {
        self.expr(&mut Scope::new(ruleset, owner, cites), e, None)
    }

    fn expect(&mut self, n: Node, expected: &Type, what: &str) -> Node {
        if fits(&n.ty, expected) {
            return coerce(n, expected);
        }
        let message = format!(
            "{what} should be {}, but this is {}",
            self.type_word(expected),
            self.type_word(&n.ty)
        );
        let help = match (expected.base(), n.ty.base()) {
            (Type::Money, Type::Integer | Type::Decimal) => {
                "write the currency: `1153.00 EUR`".to_string()
            }
            (Type::Bool, _) => "compare it: `==`, `<`, `in [...]`".to_string(),
            _ => format!("give it a value of type {}", self.type_word(expected)),
        };
        self.error(n.span, message).help = Some(help);
        Node {
            ty: Type::Error,
            ..n
        }
    }

    pub(super) fn type_word(&self, t: &Type) -> String {
        let name = |t: &Type| declared_name(&self.enums, &self.records, t);
        match t {
            Type::Optional(inner) => format!("{} (optional)", self.type_word(inner)),
            Type::List(inner) => format!("a list of {}", self.type_word(inner)),
            Type::Enum(_) => format!("`{}`", name(t)),
            Type::Record(_) => format!("a `{}` record", name(t)),
            Type::Bool => "a true/false value".into(),
            Type::Integer => "an integer".into(),
            Type::Decimal => "a decimal".into(),
            Type::Money => "money".into(),
            Type::Percent => "a percentage".into(),
            Type::Text => "text".into(),
            Type::Date => "a date".into(),
            Type::DateTime => "a date and time".into(),
            Type::Duration => "a period of time".into(),
            Type::Error => "unknown".into(),
        }
    }

    fn use_local(&mut self, scope: &Scope, local: Local, span: Span) {
        self.used_locals.insert(local);
        let dep = match local {
            Local::Def(id) => Dep::Def(id),
            Local::Decision(id) => Dep::Decision(id),
            Local::Param(_) => return,
        };
        self.deps.entry(scope.owner).or_default().push((dep, span));
    }

    fn local_node(&mut self, scope: &Scope, local: Local, span: Span) -> Node {
        self.use_local(scope, local, span);
        let (kind, ty) = match local {
            Local::Param(id) => (Expr::Param(id), self.params.get(id.index()).map(|p| &p.ty)),
            Local::Def(id) => (Expr::Def(id), self.defs.get(id.index()).map(|d| &d.ty)),
            Local::Decision(id) => (
                Expr::Decision(id),
                self.decisions.get(id.index()).map(|d| &d.ty),
            ),
        };
        let ty = ty.cloned().unwrap_or(Type::Error);
        node(kind, ty, span)
    }

    /// Whether a bare name is a value (and not, say, an enum value to be found
    /// from the other operand's type).
    fn is_value_name(&self, scope: &Scope, name: &str) -> bool {
        self.named(scope, name).is_some() || name == "as_of"
    }

    /// What a bare name stands for as a value, looked up in this order: a
    /// list variable, a param, def or decision of the ruleset, an input.
    fn named(&self, scope: &Scope, name: &str) -> Option<Named> {
        if let Some(i) = scope.locals.iter().rposition(|(n, _, _)| n == name) {
            return Some(Named::Item(i));
        }
        if let Some((local, _)) = self.rulesets.get(&scope.ruleset).and_then(|m| m.get(name)) {
            return Some(Named::Local(*local));
        }
        self.input_names
            .get(name)
            .map(|(input, _)| Named::Input(*input))
    }

    /// The type of what a name stands for.
    fn named_type(&self, scope: &Scope, n: Named) -> Type {
        match n {
            Named::Item(i) => scope.locals.get(i).map(|l| &l.1),
            Named::Local(Local::Param(id)) => self.params.get(id.index()).map(|p| &p.ty),
            Named::Local(Local::Def(id)) => self.defs.get(id.index()).map(|d| &d.ty),
            Named::Local(Local::Decision(id)) => self.decisions.get(id.index()).map(|d| &d.ty),
            Named::Input(input) => self.inputs.get(input.index()).map(|i| &i.ty),
        }
        .cloned()
        .unwrap_or(Type::Error)
    }

    fn expr(&mut self, scope: &mut Scope, e: &ast::Expr, expected: Option<&Type>) -> Node {
        crate::syntax::grow_stack(|| self.expr_here(scope, e, expected))
    }

    fn expr_here(&mut self, scope: &mut Scope, e: &ast::Expr, expected: Option<&Type>) -> Node {
        let span = e.span;
        match &e.kind {
            ExprKind::Lit(l) => self.literal(l, span, expected),
            ExprKind::Name(id) => self.name(scope, id, expected),
            ExprKind::Field(base, field) => self.field(scope, base, field, span, expected),
            ExprKind::Call { name, args } => self.call(scope, name, args, span),
            ExprKind::Quant {
                kind,
                var,
                list,
                body,
                keys,
            } => self.quantifier(scope, *kind, var, list, body, keys, span),
            ExprKind::List(items) => {
                let elem_expected = match expected.map(Type::base) {
                    Some(Type::List(t)) => Some((**t).clone()),
                    _ => None,
                };
                let mut elem_ty = elem_expected.clone();
                let mut nodes = Vec::new();
                for item in items {
                    let n = self.expr(scope, item, elem_ty.as_ref());
                    elem_ty = match &elem_ty {
                        None => Some(n.ty.clone()),
                        Some(t) => match unify(t, &n.ty) {
                            Some(u) => Some(u),
                            None => {
                                let msg = format!(
                                    "list items differ: {} and {}",
                                    self.type_word(t),
                                    self.type_word(&n.ty)
                                );
                                self.error(n.span, msg);
                                Some(t.clone())
                            }
                        },
                    };
                    nodes.push(n);
                }
                let ty = Type::List(Box::new(elem_ty.unwrap_or(Type::Error)));
                // A list written out of values is one value, built once.
                if nodes.iter().all(|n| matches!(n.kind, Expr::Lit(_))) {
                    let values: Vec<Value> = nodes
                        .into_iter()
                        .filter_map(|n| {
                            if let Expr::Lit(v) = n.kind {
                                Some(v)
                            } else {
                                None
                            }
                        })
                        .collect();
                    return node(Expr::Lit(Value::List(values.into())), ty, span);
                }
                node(Expr::List(nodes), ty, span)
            }
            ExprKind::Not(inner) => {
                let n = self.expr(scope, inner, Some(&Type::Bool));
                let n = self.expect(n, &Type::Bool, "the operand of `not`");
                node(Expr::Not(Box::new(n)), Type::Bool, span)
            }
            ExprKind::Neg(inner) => {
                let n = self.expr(scope, inner, expected);
                if !n.ty.is_numeric() {
                    let msg = format!("`-` needs a number, but this is {}", self.type_word(&n.ty));
                    self.error(n.span, msg);
                    return error_node(span);
                }
                let ty = n.ty.base().clone();
                node(Expr::Neg(Box::new(n)), ty, span)
            }
            ExprKind::If(c, a, b) => {
                let c = self.expr(scope, c, Some(&Type::Bool));
                let c = self.expect(c, &Type::Bool, "the condition of `if`");
                let a = self.expr(scope, a, expected);
                let b = self.expr(scope, b, expected.or(Some(&a.ty)));
                let ty = match unify(&a.ty, &b.ty) {
                    Some(t) if a.ty.is_optional() || b.ty.is_optional() => {
                        Type::Optional(Box::new(t))
                    }
                    Some(t) => t,
                    None => {
                        let msg = format!(
                            "the branches of `if` differ: {} and {}",
                            self.type_word(&a.ty),
                            self.type_word(&b.ty)
                        );
                        self.error(b.span, msg);
                        Type::Error
                    }
                };
                node(Expr::If(Box::new(c), Box::new(a), Box::new(b)), ty, span)
            }
            ExprKind::Binary(op, l, r) => self.binary(scope, *op, l, r, span),
        }
    }

    fn literal(&mut self, l: &Literal, span: Span, expected: Option<&Type>) -> Node {
        let lit = |v: Value, t: Type| node(Expr::Lit(v), t, span);
        match l {
            Literal::Bool(b) => lit(Value::Bool(*b), Type::Bool),
            Literal::Number(n) => {
                let wants_decimal = matches!(expected.map(Type::base), Some(Type::Decimal));
                if n.contains('.') || wants_decimal {
                    match n.parse::<Decimal>() {
                        Ok(d) => lit(Value::Decimal(d), Type::Decimal),
                        Err(_) => {
                            self.error(span, format!("`{n}` is too large a number"));
                            error_node(span)
                        }
                    }
                } else {
                    match n.parse::<i64>() {
                        Ok(i) => lit(Value::Integer(i), Type::Integer),
                        Err(_) => {
                            self.error(span, format!("`{n}` is too large an integer"))
                                .help = Some("integers run to 9223372036854775807".into());
                            error_node(span)
                        }
                    }
                }
            }
            Literal::Percent(p) => match p.parse::<Decimal>() {
                Ok(d) => lit(Value::Percent(d), Type::Percent),
                Err(_) => {
                    self.error(span, format!("`{p}%` is not a percentage"));
                    error_node(span)
                }
            },
            Literal::Money { amount, currency } => {
                let mut code = [0u8; 3];
                for (slot, b) in code.iter_mut().zip(currency.bytes()) {
                    *slot = b;
                }
                match amount.parse::<Decimal>() {
                    Ok(a) => lit(
                        Value::Money(Money {
                            amount: a,
                            currency: code,
                        }),
                        Type::Money,
                    ),
                    Err(_) => {
                        self.error(span, format!("`{amount}` is not an amount"));
                        error_node(span)
                    }
                }
            }
            Literal::Text(t) => lit(Value::Text(t.as_str().into()), Type::Text),
            Literal::Date(d) => match parse_date(d) {
                Some(date) => lit(Value::Date(date), Type::Date),
                None => {
                    self.error(span, format!("`{d}` is not a date")).help =
                        Some("dates are written YYYY-MM-DD and must exist".into());
                    error_node(span)
                }
            },
            Literal::Duration { amount, unit } => match amount.parse::<i64>() {
                Ok(a) => lit(
                    Value::Duration(Period {
                        amount: a,
                        unit: *unit,
                    }),
                    Type::Duration,
                ),
                Err(_) => {
                    self.error(span, format!("`{amount}` is not a whole number"))
                        .help = Some(
                        "periods are whole numbers of a unit: `10 working days`, `6 months`".into(),
                    );
                    error_node(span)
                }
            },
        }
    }

    fn name(&mut self, scope: &mut Scope, id: &ast::Ident, expected: Option<&Type>) -> Node {
        let span = id.span;
        let name = id.name.as_str();
        let named = self.named(scope, name);
        // A name that is also a value of the enum expected here: the name
        // wins, so a def named `unfounded` hides `unfounded` of an enum. Said
        // at once, instead of the type clash (or the cycle, inside that def)
        // it would lead to; a name of that enum itself is what is meant.
        if let (Some(n), Some(Type::Enum(eid))) = (named, expected.map(Type::base)) {
            let hidden = self
                .enums
                .get(eid.0 as usize)
                .filter(|e| e.variants.iter().any(|v| v == name))
                .map(|e| e.name.clone());
            if let Some(enum_name) = hidden {
                if self.named_type(scope, n).base() != &Type::Enum(*eid) {
                    let (what, noun) = n.words();
                    self.error(
                        span,
                        format!(
                            "`{name}` is {what} here, not the value `{enum_name}.{name}` expected"
                        ),
                    )
                    .help = Some(format!(
                        "write `{enum_name}.{name}` for the value, or give the {noun} another name"
                    ));
                    return error_node(span);
                }
            }
        }
        match named {
            Some(Named::Item(i)) => {
                let ty = self.named_type(scope, Named::Item(i));
                return node(Expr::Local(i as u32), ty, span);
            }
            Some(Named::Local(local)) => return self.local_node(scope, local, span),
            Some(Named::Input(input)) => {
                self.used_inputs.insert(input);
                let ty = self.named_type(scope, Named::Input(input));
                return node(Expr::Input(input), ty, span);
            }
            None => {}
        }
        if name == "as_of" {
            return node(Expr::AsOf, Type::Date, span);
        }
        // An enum value: from the expected type, else the one enum that has it.
        if let Some(Type::Enum(eid)) = expected.map(Type::base) {
            if let Some(v) = self
                .enums
                .get(eid.0 as usize)
                .and_then(|e| e.variants.iter().position(|v| v == name))
            {
                return node(
                    Expr::Lit(Value::Enum(*eid, v as u32)),
                    Type::Enum(*eid),
                    span,
                );
            }
        }
        let owners: Vec<(usize, usize)> = self
            .enums
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.variants.iter().position(|v| v == name).map(|v| (i, v)))
            .collect();
        if let [(e, v)] = owners.as_slice() {
            let eid = crate::value::EnumId(*e as u32);
            return node(
                Expr::Lit(Value::Enum(eid, *v as u32)),
                Type::Enum(eid),
                span,
            );
        }
        if owners.len() > 1 && matches!(expected.map(Type::base), Some(Type::Error)) {
            // Compared with something whose type did not resolve: that is
            // reported (or was declared by an item that did not parse).
            return error_node(span);
        }
        if owners.len() > 1 {
            let names: Vec<String> = owners
                .iter()
                .filter_map(|(e, _)| self.enums.get(*e))
                .map(|e| format!("`{}.{name}`", e.name))
                .collect();
            self.error(span, format!("`{name}` is a value of several enums"))
                .help = Some(format!("write one of {}", names.join(", ")));
            return error_node(span);
        }
        if self.rulesets.contains_key(name) {
            self.error(span, format!("`{name}` is a ruleset, not a value"))
                .help = Some(format!("name one of its items: `{name}.…`"));
            return error_node(span);
        }
        if self.broken.contains(name) {
            // Declared by an item that did not parse: already reported.
            return error_node(span);
        }
        // Said once in a ruleset: a name misspelt, or never declared, is the
        // same mistake at each use (the next three shown beside the first).
        let key = (scope.ruleset.clone(), name.to_string());
        if let Some((at, count)) = self.unknown_names.get_mut(&key) {
            *count += 1;
            let at = *at;
            if let Some(d) = self.diagnostics.get_mut(at) {
                if d.related.len() < 3 {
                    d.related.push((span, "also used here".into()));
                }
            }
            return error_node(span);
        }
        let ruleset = self.rulesets.get(&scope.ruleset);
        let count = scope.locals.len()
            + ruleset.map_or(0, |m| m.len())
            + self.input_names.len()
            + self.enums.iter().map(|e| e.variants.len()).sum::<usize>();
        let suggest = self.suggestion_budget >= count;
        self.suggestion_budget = self.suggestion_budget.saturating_sub(count);
        let candidates = scope
            .locals
            .iter()
            .map(|l| l.0.as_str())
            .chain(
                ruleset
                    .into_iter()
                    .flat_map(|m| m.keys().map(String::as_str)),
            )
            .chain(self.input_names.keys().map(String::as_str))
            .chain(
                self.enums
                    .iter()
                    .flat_map(|e| e.variants.iter().map(String::as_str)),
            )
            // Words of the language a name may be a slip for.
            .chain(["as_of", "true", "false"]);
        let help = match did_you_mean(name, candidates.filter(|_| suggest)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                "declare it as a `def`, `param` or `input` (or, for another ruleset's, write `ruleset.name`)".into()
            }
        };
        self.error(span, format!("unknown name `{name}`")).help = Some(help);
        let at = self.diagnostics.len() - 1;
        self.unknown_names.insert(key, (at, 1));
        error_node(span)
    }

    fn field(
        &mut self,
        scope: &mut Scope,
        base: &ast::Expr,
        field: &ast::Ident,
        span: Span,
        expected: Option<&Type>,
    ) -> Node {
        // `ruleset.item` and `Enum.value`, unless the first name is a value.
        if let ExprKind::Name(first) = &base.kind {
            let is_value = self.is_value_name(scope, &first.name);
            let input_has_field = self.input_names.get(&first.name).is_some_and(|(id, _)| {
                let ty = self.inputs.get(id.index()).map(|i| i.ty.base().clone());
                match ty {
                    Some(Type::Record(r)) => self
                        .records
                        .get(r.0 as usize)
                        .is_some_and(|r| r.fields.iter().any(|f| f.name == field.name)),
                    _ => false,
                }
            });
            let local_here = self
                .rulesets
                .get(&scope.ruleset)
                .is_some_and(|m| m.contains_key(&first.name));
            if let Some(items) = self.rulesets.get(&first.name) {
                if !input_has_field
                    && !local_here
                    && !scope.locals.iter().any(|l| l.0 == first.name)
                {
                    if let Some((local, _)) = items.get(&field.name).copied() {
                        return self.local_node(scope, local, span);
                    }
                    if self.broken.contains(&field.name) {
                        return error_node(span);
                    }
                    if !is_value {
                        let help = match did_you_mean(&field.name, items.keys().map(String::as_str))
                        {
                            Some(s) => format!("did you mean `{}.{s}`?", first.name),
                            None => {
                                format!("ruleset `{}` declares no `{}`", first.name, field.name)
                            }
                        };
                        self.error(
                            field.span,
                            format!("unknown name `{}.{}`", first.name, field.name),
                        )
                        .help = Some(help);
                        return error_node(span);
                    }
                }
            }
            if !is_value {
                if let Some((eid, _)) = self.enum_names.get(&first.name).copied() {
                    let variants = self
                        .enums
                        .get(eid.0 as usize)
                        .map(|e| e.variants.clone())
                        .unwrap_or_default();
                    if let Some(v) = variants.iter().position(|v| *v == field.name) {
                        return node(Expr::Lit(Value::Enum(eid, v as u32)), Type::Enum(eid), span);
                    }
                    let help = match did_you_mean(&field.name, variants.iter().map(String::as_str))
                    {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("its values are: {}", variants.join(", ")),
                    };
                    self.error(
                        field.span,
                        format!("`{}` has no value `{}`", first.name, field.name),
                    )
                    .help = Some(help);
                    return error_node(span);
                }
            }
        }
        let _ = expected;
        let b = self.expr(scope, base, None);
        let (record, optional) = match &b.ty {
            Type::Record(r) => (*r, false),
            Type::Optional(inner) => match inner.as_ref() {
                Type::Record(r) => (*r, true),
                Type::Error => return error_node(span),
                _ => return self.not_a_record(&b, field, span),
            },
            Type::Error => return error_node(span),
            _ => return self.not_a_record(&b, field, span),
        };
        let Some(rec) = self.records.get(record.0 as usize) else {
            return error_node(span);
        };
        let Some(index) = rec.fields.iter().position(|f| f.name == field.name) else {
            let help = match did_you_mean(&field.name, rec.fields.iter().map(|f| f.name.as_str())) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the fields of `{}` are: {}",
                    rec.name,
                    rec.fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let msg = format!("`{}` has no field `{}`", rec.name, field.name);
            self.error(field.span, msg).help = Some(help);
            return error_node(span);
        };
        let mut ty = rec
            .fields
            .get(index)
            .map(|f| f.ty.clone())
            .unwrap_or(Type::Error);
        if optional && !ty.is_optional() {
            ty = Type::Optional(Box::new(ty));
        }
        let base_path = match &b.kind {
            Expr::Input(i) => self
                .inputs
                .get(i.index())
                .map(|d| self.paths.get(d.path.index()).cloned().unwrap_or_default()),
            Expr::Field { path, .. } => self.paths.get(path.index()).cloned(),
            Expr::Local(i) => scope
                .locals
                .get(*i as usize)
                .and_then(|l| l.2)
                .and_then(|p| self.paths.get(p.index()).cloned())
                .map(|p| format!("{p}[]")),
            _ => None,
        };
        let path = match base_path {
            Some(p) => self.intern_path(format!("{p}.{}", field.name)),
            None => self.intern_path(field.name.clone()),
        };
        node(
            Expr::Field {
                base: Box::new(b),
                field: index as u32,
                path,
            },
            ty,
            span,
        )
    }

    /// Where a bare name stands for a def, decision or input but is also a
    /// value of the enum on the other side: how to say the value.
    fn shadowed_value(&self, e: &ast::Expr, other: &Type) -> Option<String> {
        let ExprKind::Name(n) = &e.kind else {
            return None;
        };
        let Type::Enum(id) = other.base() else {
            return None;
        };
        let en = self.enums.get(id.0 as usize)?;
        en.variants.contains(&n.name).then(|| {
            format!(
                "`{0}` here is the name of something declared, not the value of `{1}`: write `{1}.{0}` for the value",
                n.name, en.name
            )
        })
    }

    fn not_a_record(&mut self, b: &Node, field: &ast::Ident, span: Span) -> Node {
        let msg = format!(
            "`.{}` needs a record, but this is {}",
            field.name,
            self.type_word(&b.ty)
        );
        self.error(b.span, msg);
        error_node(span)
    }

    fn binary(
        &mut self,
        scope: &mut Scope,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
    ) -> Node {
        match op {
            BinOp::And | BinOp::Or => {
                let a = self.expr(scope, l, Some(&Type::Bool));
                let a = self.expect(
                    a,
                    &Type::Bool,
                    &format!("the left side of `{}`", op.symbol()),
                );
                let b = self.expr(scope, r, Some(&Type::Bool));
                let b = self.expect(
                    b,
                    &Type::Bool,
                    &format!("the right side of `{}`", op.symbol()),
                );
                let kind = if op == BinOp::And {
                    Expr::And(Box::new(a), Box::new(b))
                } else {
                    Expr::Or(Box::new(a), Box::new(b))
                };
                node(kind, Type::Bool, span)
            }
            BinOp::In | BinOp::NotIn => {
                // The list first when the item is a bare enum value.
                let item_first =
                    !matches!(&l.kind, ExprKind::Name(n) if !self.is_value_name(scope, &n.name));
                let (item, list) = if item_first {
                    let item = self.expr(scope, l, None);
                    let list_ty = Type::List(Box::new(item.ty.base().clone()));
                    let list = self.expr(scope, r, Some(&list_ty));
                    (item, list)
                } else {
                    let list = self.expr(scope, r, None);
                    let elem = match list.ty.base() {
                        Type::List(t) => (**t).clone(),
                        _ => Type::Error,
                    };
                    let item = self.expr(scope, l, Some(&elem));
                    (item, list)
                };
                match list.ty.base() {
                    Type::List(elem) => {
                        if unify(&item.ty, elem).is_none() {
                            let msg = format!(
                                "`{}` compares {} with a list of {}",
                                op.symbol(),
                                self.type_word(&item.ty),
                                self.type_word(elem)
                            );
                            self.error(span, msg);
                        }
                    }
                    Type::Error => {}
                    other => {
                        let msg = format!(
                            "`{}` needs a list on its right, but this is {}",
                            op.symbol(),
                            self.type_word(other)
                        );
                        self.error(list.span, msg).help =
                            Some("write the values in brackets: `in [refugee, subsidiary]`".into());
                    }
                }
                node(
                    Expr::In {
                        item: Box::new(item),
                        list: Box::new(list),
                        negated: op == BinOp::NotIn,
                    },
                    Type::Bool,
                    span,
                )
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let left_first =
                    !matches!(&l.kind, ExprKind::Name(n) if !self.is_value_name(scope, &n.name));
                let (a, b) = if left_first {
                    let a = self.expr(scope, l, None);
                    let want = a.ty.base().clone();
                    let b = self.expr(scope, r, Some(&want));
                    (a, b)
                } else {
                    let b = self.expr(scope, r, None);
                    let want = b.ty.base().clone();
                    let a = self.expr(scope, l, Some(&want));
                    (a, b)
                };
                let cmp = match op {
                    BinOp::Eq => CmpOp::Eq,
                    BinOp::Ne => CmpOp::Ne,
                    BinOp::Lt => CmpOp::Lt,
                    BinOp::Le => CmpOp::Le,
                    BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                match unify(&a.ty, &b.ty) {
                    None => {
                        let msg = format!(
                            "`{}` compares {} with {}",
                            op.symbol(),
                            self.type_word(&a.ty),
                            self.type_word(&b.ty)
                        );
                        let help = self
                            .shadowed_value(l, &b.ty)
                            .or_else(|| self.shadowed_value(r, &a.ty))
                            .unwrap_or_else(|| "both sides must have the same type".into());
                        self.error(span, msg).help = Some(help);
                    }
                    Some(t) if !matches!(cmp, CmpOp::Eq | CmpOp::Ne) && !t.is_ordered() => {
                        let msg = format!(
                            "{} cannot be ordered with `{}`",
                            self.type_word(&t),
                            op.symbol()
                        );
                        let help = if t == Type::Duration {
                            "periods of different units have no order (is 1 month more than 30 days?); compare the dates they lead to"
                        } else {
                            "use `==` or `!=`"
                        };
                        self.error(span, msg).help = Some(help.into());
                    }
                    Some(_) => {}
                }
                node(Expr::Cmp(cmp, Box::new(a), Box::new(b)), Type::Bool, span)
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let a = self.expr(scope, l, None);
                let b = self.expr(scope, r, None);
                let aop = match op {
                    BinOp::Add => ArithOp::Add,
                    BinOp::Sub => ArithOp::Sub,
                    BinOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let ty = self.arith_type(aop, &a, &b, span);
                node(Expr::Arith(aop, Box::new(a), Box::new(b)), ty, span)
            }
        }
    }

    fn arith_type(&mut self, op: ArithOp, a: &Node, b: &Node, span: Span) -> Type {
        use ArithOp::*;
        use Type::*;
        let result = match (op, a.ty.base(), b.ty.base()) {
            (_, Error, _) | (_, _, Error) => Some(Error),
            (Add | Sub | Mul, Integer, Integer) => Some(Integer),
            (Div, Integer, Integer) => Some(Decimal),
            (_, Integer | Decimal, Integer | Decimal) => Some(Decimal),
            (Add | Sub, Money, Money) => Some(Money),
            (Mul, Money, Integer | Decimal | Percent)
            | (Mul, Integer | Decimal | Percent, Money) => Some(Money),
            (Div, Money, Integer | Decimal) => Some(Money),
            (Add | Sub, Percent, Percent) => Some(Percent),
            (Add | Sub, Date, Duration) => {
                if let Expr::Lit(crate::value::Value::Duration(p)) = &b.kind {
                    if matches!(
                        p.unit,
                        crate::time::DurationUnit::WorkingDays | crate::time::DurationUnit::Hours
                    ) {
                        self.error(
                            b.span,
                            format!("a date moves by days, weeks, months or years, not {}", p.unit.word(true)),
                        )
                        .help =
                            Some("for a time limit in working days use `deadline(from: DATE, 10 working days)`".into());
                    }
                }
                Some(Date)
            }
            (Add, Duration, Date) => Some(Date),
            (Sub, Date, Date) => {
                self.error(span, "dates are not subtracted").help =
                    Some("use `days_between(earlier, later)`".into());
                Some(Error)
            }
            _ => None,
        };
        result.unwrap_or_else(|| {
            let sym = match op {
                Add => "+",
                Sub => "-",
                Mul => "*",
                Div => "/",
            };
            let msg = format!(
                "`{sym}` does not apply to {} and {}",
                self.type_word(&a.ty),
                self.type_word(&b.ty)
            );
            // A date moved by a bare number: the unit is missing.
            let help = match (op, a.ty.base(), b.ty.base()) {
                (Add | Sub, Date, Integer) | (Add, Integer, Date) => {
                    let number = [&a.kind, &b.kind].into_iter().find_map(|k| match k {
                        Expr::Lit(crate::value::Value::Integer(n)) => Some(*n),
                        _ => None,
                    });
                    let period = match number {
                        Some(1) => "1 day".to_string(),
                        Some(n) => format!("{n} days"),
                        None => "N days".to_string(),
                    };
                    Some(format!(
                        "a date moves by a period: give its unit, as in `{period}` (or weeks, months, years)"
                    ))
                }
                _ => None,
            };
            self.error(span, msg).help = help;
            Error
        })
    }

    fn call(
        &mut self,
        scope: &mut Scope,
        name: &ast::Ident,
        args: &[ast::Arg],
        span: Span,
    ) -> Node {
        let named = |n: &str| {
            args.iter()
                .find(|a| a.name.as_ref().is_some_and(|x| x.name == n))
                .map(|a| &a.value)
        };
        let positional: Vec<&ast::Expr> = args
            .iter()
            .filter(|a| a.name.is_none())
            .map(|a| &a.value)
            .collect();
        if let Some(Local::Param(id)) = self
            .rulesets
            .get(&scope.ruleset)
            .and_then(|m| m.get(&name.name))
            .map(|(local, _)| *local)
        {
            return self.param_on(scope, id, name, args, span);
        }
        if self.broken.contains(&name.name) {
            // A param declared by an item that did not parse: already reported.
            return error_node(span);
        }
        let allowed: &[&str] = match name.name.as_str() {
            "known" | "exists" | "determined" | "days_between" => &[],
            "age" => &["on"],
            "deadline" => &["from", "before", "calendar", "under"],
            _ => &[],
        };
        for a in args {
            if let Some(n) = &a.name {
                if !allowed.contains(&n.name.as_str()) {
                    let help = if allowed.is_empty() {
                        format!("`{}` takes no named arguments", name.name)
                    } else {
                        format!(
                            "`{}` takes {}",
                            name.name,
                            allowed
                                .iter()
                                .map(|a| format!("`{a}:`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    self.error(n.span, format!("unknown argument `{}`", n.name))
                        .help = Some(help);
                }
            }
        }
        let arity = |this: &mut Self, want: usize, usage: &str| -> bool {
            if positional.len() != want {
                this.error(
                    span,
                    format!(
                        "`{}` takes {want} argument{}",
                        name.name,
                        if want == 1 { "" } else { "s" }
                    ),
                )
                .help = Some(format!("write `{usage}`"));
                false
            } else {
                true
            }
        };
        match name.name.as_str() {
            "known" | "exists" => {
                if !arity(
                    self,
                    1,
                    &format!("{}(applicant.consents_to_relocation)", name.name),
                ) {
                    return error_node(span);
                }
                let Some(arg) = positional.first() else {
                    return error_node(span);
                };
                let n = self.expr(scope, arg, None);
                if name.name == "exists" && !n.ty.is_optional() && n.ty != Type::Error {
                    let msg = format!(
                        "`exists` tests an optional value, and this is {}",
                        self.type_word(&n.ty)
                    );
                    self.error(n.span, msg).help =
                        Some("use `known(…)` to test whether the record gives it".into());
                }
                let kind = if name.name == "known" {
                    Expr::Known(Box::new(n))
                } else {
                    Expr::Exists(Box::new(n))
                };
                node(kind, Type::Bool, span)
            }
            "determined" => {
                if !arity(self, 1, "determined(responsibility.member_state)") {
                    return error_node(span);
                }
                let Some(arg) = positional.first() else {
                    return error_node(span);
                };
                let n = self.expr(scope, arg, None);
                if n.ty == Type::Error {
                    return error_node(span);
                }
                if !matches!(n.kind, Expr::Decision(_)) {
                    self.error(
                        n.span,
                        "`determined` tests whether a decision has a value for the case, and this is not a decision",
                    )
                    .help = Some(
                        "use `exists(…)` for an optional value, `known(…)` for whether the record gives a fact".into(),
                    );
                    return error_node(span);
                }
                node(Expr::Determined(Box::new(n)), Type::Bool, span)
            }
            "age" => {
                if !arity(
                    self,
                    1,
                    "age(applicant.date_of_birth, on: application.registered_on)",
                ) {
                    return error_node(span);
                }
                let Some(arg) = positional.first() else {
                    return error_node(span);
                };
                let birth = self.expr(scope, arg, Some(&Type::Date));
                let birth = self.expect(birth, &Type::Date, "a date of birth");
                let on = match named("on") {
                    Some(e) => {
                        let n = self.expr(scope, e, Some(&Type::Date));
                        self.expect(n, &Type::Date, "`on:`")
                    }
                    None => node(Expr::AsOf, Type::Date, span),
                };
                node(
                    Expr::Age {
                        birth: Box::new(birth),
                        on: Box::new(on),
                    },
                    Type::Integer,
                    span,
                )
            }
            "days_between" => {
                if !arity(
                    self,
                    2,
                    "days_between(application.registered_on, application.lodged_on)",
                ) {
                    return error_node(span);
                }
                let (Some(a), Some(b)) = (positional.first(), positional.get(1)) else {
                    return error_node(span);
                };
                let a = self.expr(scope, a, Some(&Type::Date));
                let a = self.expect(a, &Type::Date, "the first date");
                let b = self.expr(scope, b, Some(&Type::Date));
                let b = self.expect(b, &Type::Date, "the second date");
                node(
                    Expr::DaysBetween(Box::new(a), Box::new(b)),
                    Type::Integer,
                    span,
                )
            }
            "deadline" => self.deadline(scope, args, &positional, span),
            other => {
                let help = match did_you_mean(other, BUILTINS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "the functions are known, exists, age, days_between and deadline; list operations are any, all, count, sum, min and max".into(),
                };
                self.error(name.span, format!("unknown function `{other}`"))
                    .help = Some(help);
                error_node(span)
            }
        }
    }

    /// `param(on: DATE)`: the value a param had on a date of the case.
    fn param_on(
        &mut self,
        scope: &mut Scope,
        id: ParamId,
        name: &ast::Ident,
        args: &[ast::Arg],
        span: Span,
    ) -> Node {
        let usage = format!("{}(on: application.registered_on)", name.name);
        let on = match args {
            [ast::Arg {
                name: Some(n),
                value,
            }] if n.name == "on" => value,
            _ => {
                self.error(
                    span,
                    format!("`{}` is a param: it takes one argument, `on:`", name.name),
                )
                .help = Some(format!(
                    "write `{usage}` for its value on that date, or `{}` for its value on the as-of date",
                    name.name
                ));
                return error_node(span);
            }
        };
        self.use_local(scope, Local::Param(id), name.span);
        let on = self.expr(scope, on, Some(&Type::Date));
        let on = self.expect(on, &Type::Date, "`on:`");
        let ty = self
            .params
            .get(id.index())
            .map(|p| p.ty.clone())
            .unwrap_or(Type::Error);
        node(
            Expr::ParamOn {
                param: id,
                on: Box::new(on),
            },
            ty,
            span,
        )
    }

    /// The computation rule a time limit follows: the one named with
    /// `under:`, else that of the act the enclosing rule cites. `None` (Reg.
    /// 1182/71, built in) where the program declares no computation at all.
    fn computation(
        &mut self,
        scope: &Scope,
        args: &[ast::Arg],
        span: Span,
    ) -> Option<ComputationId> {
        let under = args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "under"));
        if let Some(a) = under {
            let ExprKind::Name(n) = &a.value.kind else {
                self.error(a.value.span, "`under:` takes the name of a computation");
                return None;
            };
            if let Some((id, _)) = self.computation_names.get(&n.name) {
                return Some(*id);
            }
            if self.broken.contains(&n.name) {
                // Declared by an item that did not parse: reported.
                return None;
            }
            let help =
                match did_you_mean(&n.name, self.computation_names.keys().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it with `computation NAME for SOURCE [CITATION] …`".into(),
                };
            self.error(n.span, format!("unknown computation `{}`", n.name))
                .help = Some(help);
            return None;
        }
        if self.computations.is_empty() {
            return None;
        }
        let mut found: Vec<ComputationId> = Vec::new();
        for s in &scope.cites.sources {
            if let Some(c) = self.sources.get(s.index()).and_then(|s| s.computation) {
                if !found.contains(&c) {
                    found.push(c);
                }
            }
        }
        let name = |this: &Self, c: &ComputationId| {
            this.computations
                .get(c.index())
                .map(|c| format!("`{}`", c.name))
                .unwrap_or_default()
        };
        match found.as_slice() {
            [one] => Some(*one),
            // An act cited is not declared, or a computation did not parse
            // (reported): it may be the one.
            [] if scope.cites.unresolved || self.broken_kinds.contains("computation") => None,
            [] => {
                let mut names: Vec<&str> =
                    self.computation_names.keys().map(String::as_str).collect();
                names.sort_unstable();
                self.error(
                    span,
                    "this time limit's provision cites no act that declares how it computes time limits",
                )
                .help = Some(format!(
                    "cite the provision that sets the period (its act's `computation` applies), or name one: `under: {}`",
                    names.first().copied().unwrap_or("NAME")
                ));
                None
            }
            many => {
                let names: Vec<String> = many.iter().map(|c| name(self, c)).collect();
                self.error(
                    span,
                    format!(
                        "the provisions cited compute time limits in different ways: {}",
                        names.join(", ")
                    ),
                )
                .help = Some("name the one this time limit follows: `under: NAME`".into());
                None
            }
        }
    }

    fn deadline(
        &mut self,
        scope: &mut Scope,
        args: &[ast::Arg],
        positional: &[&ast::Expr],
        span: Span,
    ) -> Node {
        let from = args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "from"));
        let before = args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "before"));
        let usage = "deadline(from: application.registered_on, 12 weeks) or deadline(before: relocation.council_act_adopted_on, 3 years)";
        let (anchor, retro) = match (from, before) {
            (Some(a), None) => (a, false),
            (None, Some(b)) => (b, true),
            _ => {
                self.error(span, "`deadline` needs either `from:` or `before:`")
                    .help = Some(format!("write `{usage}`"));
                return error_node(span);
            }
        };
        let [period] = positional else {
            self.error(span, "`deadline` takes one period").help = Some(format!("write `{usage}`"));
            return error_node(span);
        };
        let anchor_node = self.expr(scope, &anchor.value, Some(&Type::Date));
        let hours = matches!(anchor_node.ty.base(), Type::DateTime);
        let anchor_node = if hours {
            anchor_node
        } else {
            self.expect(anchor_node, &Type::Date, "the event date")
        };
        let period_node = self.expr(scope, period, Some(&Type::Duration));
        let period_node = self.expect(period_node, &Type::Duration, "the period");
        let computation = self.computation(scope, args, span);
        if retro {
            return node(
                Expr::DeadlineBefore {
                    anchor: Box::new(anchor_node),
                    period: Box::new(period_node),
                    computation,
                },
                Type::Date,
                span,
            );
        }
        let calendar_arg = args
            .iter()
            .find(|a| a.name.as_ref().is_some_and(|n| n.name == "calendar"));
        let calendar = match calendar_arg {
            Some(a) => match &a.value.kind {
                ExprKind::Name(n) => match self.calendar_names.get(&n.name) {
                    Some((id, _)) => Some(*id),
                    // Declared by an item that did not parse: reported.
                    None if self.broken.contains(&n.name) => None,
                    None => {
                        let help = match did_you_mean(
                            &n.name,
                            self.calendar_names.keys().map(String::as_str),
                        ) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "declare it with `calendar NAME … holiday …`".into(),
                        };
                        self.error(n.span, format!("unknown calendar `{}`", n.name))
                            .help = Some(help);
                        None
                    }
                },
                _ => {
                    self.error(a.value.span, "`calendar:` takes the name of a calendar");
                    None
                }
            },
            None if hours => None,
            None => match self.calendar_names.len() {
                1 => self.calendar_names.values().next().map(|(id, _)| *id),
                // The calendar did not parse: reported.
                0 if self.broken_kinds.contains("calendar") => None,
                0 => {
                    self.error(
                        span,
                        "a time limit needs a public-holiday calendar, and none is declared",
                    )
                    .help = Some(
                        "declare one with `calendar NAME … holiday …` (Reg. 1182/71 Art. 2(1))"
                            .into(),
                    );
                    None
                }
                _ => {
                    self.error(span, "several calendars are declared: name one")
                        .help = Some("add `calendar: LT` to the call".into());
                    None
                }
            },
        };
        let ty = if hours { Type::DateTime } else { Type::Date };
        node(
            Expr::DeadlineFrom {
                event: Box::new(anchor_node),
                period: Box::new(period_node),
                calendar,
                computation,
            },
            ty,
            span,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn quantifier(
        &mut self,
        scope: &mut Scope,
        kind: QuantKind,
        var: &ast::Ident,
        list: &ast::Expr,
        body: &ast::Expr,
        keys: &[ast::ListKey],
        span: Span,
    ) -> Node {
        let list = self.expr(scope, list, None);
        let elem = match list.ty.base() {
            Type::List(t) => (**t).clone(),
            Type::Error => Type::Error,
            other => {
                let msg = format!(
                    "`{}` goes over a list, but this is {}",
                    kind.keyword(),
                    self.type_word(other)
                );
                self.error(list.span, msg);
                Type::Error
            }
        };
        let list_path = match &list.kind {
            Expr::Field { path, .. } => Some(*path),
            Expr::Input(i) => self.inputs.get(i.index()).map(|d| d.path),
            _ => None,
        };
        scope
            .locals
            .push((var.name.clone(), elem.clone(), list_path));
        let local = (scope.locals.len() - 1) as u32;
        let is_test = matches!(
            kind,
            QuantKind::Any
                | QuantKind::All
                | QuantKind::Count
                | QuantKind::First
                | QuantKind::Those
        );
        let expected_body = is_test.then_some(Type::Bool);
        let body = self.expr(scope, body, expected_body.as_ref());
        let mut ordered = Vec::with_capacity(keys.len());
        for k in keys {
            let key = self.expr(scope, &k.key, None);
            if kind != QuantKind::First {
                let msg = format!(
                    "`by` gives the order `first` looks in; `{}` has none",
                    kind.keyword()
                );
                self.error(key.span, msg);
            } else if !key.ty.is_ordered() && key.ty != Type::Error {
                let msg = format!(
                    "`first` orders the items by values with an order (numbers, amounts, dates, texts), but this is {}",
                    self.type_word(&key.ty)
                );
                self.error(key.span, msg);
            }
            ordered.push(ListKey {
                key,
                descending: k.descending,
            });
        }
        scope.locals.pop();
        let ty = match kind {
            QuantKind::First | QuantKind::Those => {
                if !fits(&body.ty, &Type::Bool) {
                    let msg = format!(
                        "the condition of `{}` should be true/false, but this is {}",
                        kind.keyword(),
                        self.type_word(&body.ty)
                    );
                    self.error(body.span, msg);
                }
                match (kind, elem) {
                    (_, Type::Error) => Type::Error,
                    (QuantKind::First, t) if t.is_optional() => t,
                    (QuantKind::First, t) => Type::Optional(Box::new(t)),
                    (_, t) => Type::List(Box::new(t)),
                }
            }
            QuantKind::Any | QuantKind::All | QuantKind::Count => {
                let body_ok = fits(&body.ty, &Type::Bool);
                if !body_ok {
                    let msg = format!(
                        "the condition of `{}` should be true/false, but this is {}",
                        kind.keyword(),
                        self.type_word(&body.ty)
                    );
                    self.error(body.span, msg);
                }
                if kind == QuantKind::Count {
                    Type::Integer
                } else {
                    Type::Bool
                }
            }
            QuantKind::Sum => {
                if !body.ty.is_numeric() {
                    let msg = format!(
                        "`sum` adds numbers or money, but this is {}",
                        self.type_word(&body.ty)
                    );
                    self.error(body.span, msg);
                }
                body.ty.base().clone()
            }
            QuantKind::Min | QuantKind::Max => {
                if !body.ty.is_ordered() {
                    let msg = format!(
                        "`{}` needs values with an order, but this is {}",
                        kind.keyword(),
                        self.type_word(&body.ty)
                    );
                    self.error(body.span, msg);
                }
                body.ty.base().clone()
            }
        };
        node(
            Expr::Quant {
                kind,
                list: Box::new(list),
                body: Box::new(body),
                local,
                keys: ordered,
                reads: Vec::new(),
            },
            ty,
            span,
        )
    }
}

/// Integer literals where a decimal is wanted become decimals, so evaluation
/// never mixes the two.
fn coerce(n: Node, expected: &Type) -> Node {
    match (&n.kind, expected.base()) {
        (Expr::Lit(Value::Integer(i)), Type::Decimal) => Node {
            kind: Expr::Lit(Value::Decimal(Decimal::from(*i))),
            ty: Type::Decimal,
            ..n
        },
        _ => n,
    }
}
