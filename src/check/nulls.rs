//! A lint: a value that may be `null` (an optional field of the record, or
//! a def, decision or expression of an optional type) ordered, computed with
//! or counted from, where nothing around it says it is given. Ordering or
//! computing with `null` is an error of that case's outcome, and a warning's
//! condition that errs is not raised, silently: so `lsa lint` says where it
//! can happen, before a caseworker's record finds it.
//!
//! What says a value is given is what Kleene's logic lets the rules rely on:
//! the other operand of an `and` being true (`exists(a) and a < b`; `and` is
//! false whatever an error beside a false operand), of an `or` being false
//! (`not exists(a) or a < b`), an `if`'s test in its branches, a rule's
//! condition in its `then`, and an ordering comparison that has a value at
//! all (its operands were not `null`). Defs are followed (`both_given and a
//! < b`, where `both_given` is `exists(a) and exists(b)`). A field that is not
//! optional is given wherever its record is. Where it cannot tell, it says
//! nothing: every finding is a place where some record makes the outcome an
//! error.

use std::cell::RefCell;

use super::ir::*;
use crate::diag::{Diagnostic, SourceMap, Span};
use crate::value::Type;

/// An expression that may be `null`, as the guards name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Path(PathId),
    Def(DefId),
    Decision(DecisionId),
    Local(u32),
}

fn key(n: &Node) -> Option<Key> {
    Some(match &n.kind {
        Expr::Field { path, .. } => Key::Path(*path),
        Expr::Def(id) => Key::Def(*id),
        Expr::Decision(id) => Key::Decision(*id),
        Expr::Local(i) => Key::Local(*i),
        _ => return None,
    })
}

/// What an operation does with a value that must not be `null`.
#[derive(Clone, Copy, Debug)]
enum Use {
    Order,
    Compute,
    Count,
    Age,
    ParamOn,
}

impl Use {
    fn words(self) -> &'static str {
        match self {
            Use::Order => "comparing the order of `null` is an error",
            Use::Compute => "computing with `null` is an error",
            Use::Count => "a time limit counted from `null` is an error",
            Use::Age => "an age or a number of days from `null` is an error",
            Use::ParamOn => "a param's value on `null` is an error",
        }
    }
}

/// Where the expressions being looked at are, for what an error there does.
enum Place<'a> {
    Def(&'a str),
    Warning(&'a str),
    Applies,
    Rule {
        decision: &'a str,
        rule: &'a str,
    },
    Default(&'a str),
    /// A `met by`'s `owed when`, of a decision.
    Owed(&'a str),
}

impl Place<'_> {
    fn consequence(&self) -> String {
        match self {
            Place::Def(key) => format!("`{key}` is then an error, and so is what reads it"),
            Place::Warning(key) => {
                format!("the warning `{key}` is then not raised, and nothing says why")
            }
            Place::Applies => {
                "the `applies` condition is then an error for every decision it governs".into()
            }
            Place::Rule { decision, rule } => {
                format!("rule `{rule}` of `{decision}` then gives an error")
            }
            Place::Default(decision) => format!("the default of `{decision}` is then an error"),
            Place::Owed(decision) => format!(
                "whether the act `{decision}` limits is owed is then an error, and the agenda takes it as owed"
            ),
        }
    }
}

/// A use of a value that may be `null`: where the rules read it (`at`: the
/// operand, or a def read that uses it), and, through defs, the operand
/// itself (`inner`).
#[derive(Clone, Copy, Debug)]
struct Need {
    key: Option<Key>,
    at: Span,
    inner: Option<Span>,
    what: Use,
}

struct Lint<'a> {
    defs: &'a [DefDef],
    records: &'a [RecordDef],
    files: &'a SourceMap,
    out: Vec<Diagnostic>,
    /// What each def's body uses unguarded (`None`: not worked out yet).
    /// A def is evaluated only where it is read, so what a guard can give
    /// is its readers' to give.
    needs: Vec<Option<Vec<Need>>>,
    /// Defs evaluated for every case (warnings' conditions, `applies`
    /// lines): their findings are theirs, not their readers'.
    roots: Vec<DefId>,
    /// What each def's truth says is given, when true and when false
    /// (worked out once: followed afresh at every read, a def read twice
    /// in each of its readers would take time exponential in the chain).
    given_by_def: RefCell<Vec<[Option<Vec<Key>>; 2]>>,
}

/// The lint's findings over every def (warnings' conditions and `applies`
/// lines among them) and every rule and default of every decision.
pub(super) fn lint(
    defs: &[DefDef],
    decisions: &[DecisionDef],
    records: &[RecordDef],
    warnings: &[DefId],
    applies: &[DefId],
    files: &SourceMap,
) -> Vec<Diagnostic> {
    let mut l = Lint {
        defs,
        records,
        files,
        out: Vec::new(),
        needs: vec![None; defs.len()],
        roots: warnings.iter().chain(applies).copied().collect(),
        given_by_def: RefCell::new(vec![[None, None]; defs.len()]),
    };
    // A decision is made only where all its `applies` lines hold, and a
    // line matters only where those before it do (Kleene's `and`: false
    // whatever an error beside a false operand): what they say is given
    // there. A file's lines are the same list, in the same order, for each
    // decision they govern.
    let mut before: Vec<Option<Vec<Key>>> = vec![None; defs.len()];
    let mut under: Vec<Vec<Key>> = Vec::with_capacity(decisions.len());
    for d in decisions {
        let mut given = Vec::new();
        for a in &d.applies {
            if let Some(slot @ None) = before.get_mut(a.def.index()) {
                *slot = Some(given.clone());
            }
            given.extend(l.given_by(a.def, true));
        }
        under.push(given);
    }
    for (i, d) in defs.iter().enumerate() {
        let id = DefId(i as u32);
        let place = if warnings.contains(&id) {
            Place::Warning(&d.key)
        } else if applies.contains(&id) {
            Place::Applies
        } else {
            Place::Def(&d.key)
        };
        let mut needs = match before.get_mut(i).and_then(Option::take) {
            Some(mut given) => {
                let mut needs = Vec::new();
                l.walk(&d.body, &mut given, &mut needs);
                needs
            }
            None => l.needs_of(id),
        };
        if !l.roots.contains(&id) {
            // What a reader can give is the reader's to say.
            needs.retain(|n| n.key.is_none());
        }
        l.report(&needs, &place);
    }
    for (d, applying) in decisions.iter().zip(&under) {
        if let Some(n) = &d.default {
            let mut needs = Vec::new();
            l.walk(n, &mut applying.clone(), &mut needs);
            l.report(&needs, &Place::Default(&d.key));
        }
        for r in &d.rules {
            let mut needs = Vec::new();
            let mut given = applying.clone();
            l.walk(&r.when, &mut given, &mut needs);
            // The `then` is evaluated only where the condition is true.
            l.given_if(&r.when, true, &mut given);
            l.walk(&r.then, &mut given, &mut needs);
            let place = Place::Rule {
                decision: &d.key,
                rule: &r.name,
            };
            l.report(&needs, &place);
        }
        // Each `owed when` once: a rule without its own `met by` has its
        // decision's.
        let mut seen = Vec::new();
        let met_by = std::iter::once(&d.met_by).chain(d.rules.iter().map(|r| &r.met_by));
        for n in met_by.filter_map(|m| m.owed.as_ref()) {
            if !seen.contains(&n.span) {
                seen.push(n.span);
                let mut needs = Vec::new();
                l.walk(n, &mut applying.clone(), &mut needs);
                l.report(&needs, &Place::Owed(&d.key));
            }
        }
    }
    l.out
}

impl Lint<'_> {
    /// What def `id`'s body uses unguarded (worked out once; the checker
    /// has ruled out cycles).
    fn needs_of(&mut self, id: DefId) -> Vec<Need> {
        if let Some(Some(needs)) = self.needs.get(id.index()) {
            return needs.clone();
        }
        let defs = self.defs;
        let mut needs = Vec::new();
        if let Some(d) = defs.get(id.index()) {
            self.walk(&d.body, &mut Vec::new(), &mut needs);
        }
        if let Some(slot) = self.needs.get_mut(id.index()) {
            *slot = Some(needs.clone());
        }
        needs
    }

    /// The uses of a value that may be `null` in `n`, where the keys in
    /// `given` are known not to be, into `needs`.
    fn walk(&mut self, n: &Node, given: &mut Vec<Key>, needs: &mut Vec<Need>) {
        let base = given.len();
        match &n.kind {
            Expr::And(a, b) | Expr::Or(a, b) => {
                // Each operand matters only where the other one does not
                // decide: true for `and`, false for `or`.
                let when = matches!(n.kind, Expr::And(..));
                for (this, other) in [(a, b), (b, a)] {
                    self.given_if(other, when, given);
                    self.walk(this, given, needs);
                    given.truncate(base);
                }
            }
            Expr::If(c, t, e) => {
                self.walk(c, given, needs);
                for (branch, when) in [(t, true), (e, false)] {
                    self.given_if(c, when, given);
                    self.walk(branch, given, needs);
                    given.truncate(base);
                }
            }
            Expr::Def(id) if !self.roots.contains(id) => {
                // What the def cannot say of itself (a value with no name is
                // the def's own finding).
                for r in self.needs_of(*id) {
                    if r.key.is_some_and(|k| !given.contains(&k)) {
                        needs.push(Need {
                            at: n.span,
                            inner: r.inner.or(Some(r.at)),
                            ..r
                        });
                    }
                }
            }
            _ => {
                let (uses, what) = match &n.kind {
                    Expr::Cmp(op, a, b) if !matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                        (vec![&**a, &**b], Use::Order)
                    }
                    Expr::Arith(_, a, b) => (vec![&**a, &**b], Use::Compute),
                    Expr::Neg(a) => (vec![&**a], Use::Compute),
                    Expr::DeadlineFrom { event, period, .. } => {
                        (vec![&**event, &**period], Use::Count)
                    }
                    Expr::DeadlineBefore { anchor, period, .. } => {
                        (vec![&**anchor, &**period], Use::Count)
                    }
                    Expr::Age { birth, on } => (vec![&**birth, &**on], Use::Age),
                    Expr::DaysBetween(a, b) => (vec![&**a, &**b], Use::Age),
                    Expr::ParamOn { on, .. } => (vec![&**on], Use::ParamOn),
                    _ => (Vec::new(), Use::Order),
                };
                for operand in uses {
                    if self.may_be_null(operand, given) {
                        needs.push(Need {
                            key: key(operand),
                            at: operand.span,
                            inner: None,
                            what,
                        });
                    }
                }
                for child in n.children() {
                    self.walk(child, given, needs);
                }
            }
        }
    }

    /// A warning for each value that may be `null` in `needs` (the first
    /// use of each).
    fn report(&mut self, needs: &[Need], place: &Place) {
        let mut seen = Vec::new();
        for n in needs {
            let once = n.key.ok_or(n.at);
            if seen.contains(&once) {
                continue;
            }
            seen.push(once);
            let text = |span| fold_text(self.files, span);
            let operand = text(n.inner.unwrap_or(n.at));
            let message = match n.inner {
                None => format!("`{operand}` may be `null` here, and {}", n.what.words()),
                Some(_) => format!(
                    "`{}` reads `{operand}`, which may be `null` here, and {}",
                    text(n.at),
                    n.what.words()
                ),
            };
            let mut d = Diagnostic::warning(n.at, message)
                .with_label(format!(
                    "where the record gives `null`, {}",
                    place.consequence()
                ))
                .with_help(match n.key {
                    Some(_) => format!(
                        "say what holds where it is `null` first: `exists({operand}) and …`, or `not exists({operand}) or …`"
                    ),
                    None => "test the optional values it is computed from first (`exists(…) and …`)".into(),
                });
            if let Some(inner) = n.inner {
                d = d.with_related(inner, "used here");
            }
            self.out.push(d);
        }
    }

    /// Whether `n` may be `null` where the keys in `given` are not.
    fn may_be_null(&self, n: &Node, given: &[Key]) -> bool {
        if !n.ty.is_optional() || key(n).is_some_and(|k| given.contains(&k)) {
            return false;
        }
        match &n.kind {
            // A field that is not optional is given wherever its record is.
            Expr::Field { base, field, .. } => match self.field_type(&base.ty, *field) {
                Some(ty) if !ty.is_optional() => self.may_be_null(base, given),
                Some(_) => true,
                None => false,
            },
            // `if`: where either branch may be, under its test.
            Expr::If(c, t, e) => [(t, true), (e, false)].into_iter().any(|(branch, when)| {
                let mut g = given.to_vec();
                self.given_if(c, when, &mut g);
                self.may_be_null(branch, &g)
            }),
            _ => true,
        }
    }

    /// The declared type of field `field` of a record of type `ty`.
    fn field_type(&self, ty: &Type, field: u32) -> Option<&Type> {
        match ty.base() {
            Type::Record(id) => self
                .records
                .get(id.0 as usize)?
                .fields
                .get(field as usize)
                .map(|f| &f.ty),
            _ => None,
        }
    }

    /// Adds to `given` what `n` having the truth `when` says is not `null`.
    fn given_if(&self, n: &Node, when: bool, given: &mut Vec<Key>) {
        match (&n.kind, when) {
            (Expr::Exists(a), true) => self.present(a, given),
            (Expr::Not(a), _) => self.given_if(a, !when, given),
            // Both operands' truths hold.
            (Expr::And(a, b), true) | (Expr::Or(a, b), false) => {
                self.given_if(a, when, given);
                self.given_if(b, when, given);
            }
            // Either operand's truth holds: what both say.
            (Expr::And(a, b), false) | (Expr::Or(a, b), true) => {
                let (mut x, mut y) = (Vec::new(), Vec::new());
                self.given_if(a, when, &mut x);
                self.given_if(b, when, &mut y);
                given.extend(x.into_iter().filter(|k| y.contains(k)));
            }
            // An ordering with a value compared two values.
            (Expr::Cmp(op, a, b), _) if !matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                self.present(a, given);
                self.present(b, given);
            }
            (Expr::Def(id), _) => given.extend(self.given_by(*id, when)),
            _ => {}
        }
    }

    /// What def `id`'s truth `when` says is given (worked out once).
    fn given_by(&self, id: DefId, when: bool) -> Vec<Key> {
        let at = usize::from(when);
        let known = self
            .given_by_def
            .borrow()
            .get(id.index())
            .and_then(|g| g.get(at).cloned().flatten());
        if let Some(keys) = known {
            return keys;
        }
        let mut keys = Vec::new();
        if let Some(d) = self.defs.get(id.index()) {
            self.given_if(&d.body, when, &mut keys);
        }
        keys.sort_unstable();
        keys.dedup();
        if let Some(slot) = self
            .given_by_def
            .borrow_mut()
            .get_mut(id.index())
            .and_then(|g| g.get_mut(at))
        {
            *slot = Some(keys.clone());
        }
        keys
    }

    /// Adds `n` to `given`, and the records it is a field of (a field is
    /// `null` where its record is).
    fn present(&self, n: &Node, given: &mut Vec<Key>) {
        given.extend(key(n));
        if let Expr::Field { base, .. } = &n.kind {
            self.present(base, given);
        }
    }
}
