//! What each operation of the fast evaluation means, once: the nodes
//! (`nodes.rs`) and the code generated for the shipped law (`gen.rs`,
//! `shipped.rs`) both call these, on operands they read or compute
//! themselves. Each is inlined where it is called, so that the operation's
//! constants (a field's place, an enum value) are folded in.

use super::nodes::{Node, Truth};
use super::*;

/// An input itself.
#[inline(always)]
pub(super) fn input<'a>(f: &Fast<'a>, input: InputId) -> R<'a> {
    match f.inputs.get(input.index()) {
        Some(Slot::Value(v)) => Ok(of(v)),
        _ => Err(absent()),
    }
}

/// The fields `fields` of an input (one or more).
#[inline(always)]
pub(super) fn input_fields<'a>(f: &Fast<'a>, input: InputId, fields: &[u32]) -> R<'a> {
    // A field given in a record given, from the fields found for the case;
    // anything else (the input or the field not given, an input that is
    // none) through the record.
    if let Some((&first, rest)) = fields.split_first() {
        if let Some(v) = given(f, input, first) {
            return fields_of(v, rest);
        }
    }
    match f.inputs.get(input.index()) {
        Some(Slot::Value(v)) => fields_of(v, fields),
        _ => Err(absent()),
    }
}

/// The value of the field `field` straight below the input `input`, where
/// it is given in a record given ([`Fast::records`]); `None` where it must
/// be read through the record.
#[inline(always)]
fn given<'a>(f: &Fast<'a>, input: InputId, field: u32) -> Option<&'a Value> {
    match f.records.get(input.index())?.get(field as usize)? {
        Slot::Value(v) => Some(v),
        _ => None,
    }
}

/// The field `field` straight below the input `input`, whose type holds
/// values of the kind `kind`: a value of that kind read as it is (no
/// dispatch on what the value is); anything else (none, not given, a
/// value of another kind) as [`input_fields`] reads it, out of line.
#[inline(always)]
pub(super) fn field<'a>(f: &Fast<'a>, input: InputId, field: u32, kind: Kind) -> R<'a> {
    Ok(match (given(f, input, field), kind) {
        (Some(Value::Date(d)), Kind::Date) => V::D(*d),
        (Some(Value::Enum(id, v)), Kind::Enum) => V::E(*id, *v),
        (Some(Value::Bool(b)), Kind::Bool) => V::B(*b),
        (Some(Value::Integer(i)), Kind::Integer) => V::I(*i),
        _ => return field_apart(f, input, field),
    })
}

/// [`field`] where the value is not of its kind.
#[inline(never)]
fn field_apart<'a>(f: &Fast<'a>, input: InputId, field: u32) -> R<'a> {
    input_fields(f, input, &[field])
}

/// `exists` (or `not exists`, `negated`) of the field `field` straight below
/// the input `input`: a value given is looked at only for whether it is
/// none.
#[inline(always)]
pub(super) fn field_exists_truth(f: &Fast<'_>, input: InputId, field: u32, negated: bool) -> Truth {
    match given(f, input, field) {
        Some(v) => Truth::from(matches!(v, Value::None) == negated),
        None => exists_truth(field_apart(f, input, field), negated),
    }
}

/// A list variable (by its number in its expression), and the fields
/// below it.
#[inline(always)]
pub(super) fn local<'a>(f: &Fast<'a>, local: u32, fields: &[u32]) -> R<'a> {
    match (
        f.locals.get(f.local_base + local as usize),
        fields.is_empty(),
    ) {
        (Some(V::Ref(v)), false) => fields_of(v, fields),
        (Some(V::N), false) => Ok(V::N),
        (Some(v), true) => Ok(*v),
        _ => Err(GiveUp),
    }
}

/// A decision's value, read where a value is wanted (no value: the
/// general evaluator says why).
#[inline(always)]
pub(super) fn decision<'a>(f: &mut Fast<'a>, id: DecisionId) -> R<'a> {
    decided(f.decision(id))
}

/// A decision's outcome as its value (see [`decision`]).
#[inline(always)]
pub(super) fn decided(outcome: Result<Decided<'_>, Stop>) -> R<'_> {
    match outcome {
        Ok(Decided::Value(v, _)) => Ok(v),
        _ => Err(GiveUp),
    }
}

#[inline(always)]
pub(super) fn not(r: R<'_>) -> R<'_> {
    match r? {
        V::B(b) => Ok(V::B(!b)),
        _ => Err(GiveUp),
    }
}

#[inline(always)]
pub(super) fn not_truth(r: R<'_>) -> Truth {
    match r {
        Ok(V::B(b)) => Truth::from(!b),
        r => Truth::of(r),
    }
}

#[inline(always)]
pub(super) fn known(r: R<'_>) -> R<'_> {
    match r {
        Ok(_) => Ok(V::B(true)),
        Err(Unknown) => Ok(V::B(false)),
        Err(GiveUp) => Err(GiveUp),
    }
}

/// `determined(d)` of the decision's outcome: whether it has a value (an
/// undetermined one is false); unknown where it waits on facts.
#[inline(always)]
pub(super) fn determined<'a>(outcome: Result<Decided<'_>, Stop>) -> R<'a> {
    match outcome {
        Ok(Decided::Value(..)) => Ok(V::B(true)),
        Ok(Decided::Not(_)) => Ok(V::B(false)),
        Err(stop) => Err(stop),
    }
}

/// `exists` (or `not exists`, `negated`).
#[inline(always)]
pub(super) fn exists(r: R<'_>, negated: bool) -> R<'_> {
    let none = matches!(r?, V::N);
    Ok(V::B(none == negated))
}

#[inline(always)]
pub(super) fn exists_truth(r: R<'_>, negated: bool) -> Truth {
    match r {
        Ok(v) => Truth::from(matches!(v, V::N) == negated),
        Err(stop) => Truth::of(Err(stop)),
    }
}

/// `x == E.v` (or `!=`, `negated`).
#[inline(always)]
pub(super) fn is_enum(r: R<'_>, of: EnumId, variant: u32, negated: bool) -> R<'_> {
    Ok(V::B(match r? {
        V::E(id, v) => (id == of && v == variant) != negated,
        // (A value of another type is never equal to an enum value.)
        _ => negated,
    }))
}

#[inline(always)]
pub(super) fn is_enum_truth(r: R<'_>, of: EnumId, variant: u32, negated: bool) -> Truth {
    match r {
        Ok(V::E(id, v)) => Truth::from((id == of && v == variant) != negated),
        Ok(_) => Truth::from(negated),
        Err(stop) => Truth::of(Err(stop)),
    }
}

/// `x in [E.a, E.b, …]` (or `not in`, `negated`), the values as bits.
#[inline(always)]
pub(super) fn in_enums_truth(r: R<'_>, of: EnumId, bits: u64, negated: bool) -> Truth {
    let found = match r {
        Ok(V::E(id, v)) => id == of && v < 64 && bits & (1 << v) != 0,
        Ok(V::N) => false,
        Ok(_) => return Truth::GiveUp,
        Err(stop) => return Truth::of(Err(stop)),
    };
    Truth::from(found != negated)
}

/// `x cmp y` of two operands' values (giving up wins, then unknown).
#[inline(always)]
pub(super) fn compare<'a>(f: &Fast<'a>, cmp: CmpOp, x: R<'a>, y: R<'a>) -> R<'a> {
    let (x, y) = both(x, y)?;
    f.compare(cmp, x, y)
}

#[inline(always)]
pub(super) fn compare_truth<'a>(f: &Fast<'a>, cmp: CmpOp, x: R<'a>, y: R<'a>) -> Truth {
    match both(x, y) {
        // Two dates (of the record, the as-of date, a literal): compared here.
        Ok((V::D(x), V::D(y))) => Truth::from(cmp.holds(x.cmp(&y))),
        Ok((x, y)) => Truth::of(f.compare(cmp, x, y)),
        Err(stop) => Truth::of(Err(stop)),
    }
}

/// An `and` (`or_mode` false) or `or`'s truth so far, `worst`, after one
/// more operand that did not decide it: giving up wins over unknown, and
/// both over the value that does not decide.
#[inline(always)]
pub(super) fn worse(worst: Truth, t: Truth) -> Truth {
    match t {
        Truth::Unknown if worst != Truth::GiveUp => Truth::Unknown,
        Truth::GiveUp => Truth::GiveUp,
        _ => worst,
    }
}

/// A param's version in force on the date `on`.
#[inline(always)]
pub(super) fn param_on<'a>(f: &Fast<'a>, param: ParamId, on: R<'a>) -> R<'a> {
    match on? {
        V::D(d) => f.param(param, d),
        _ => Err(GiveUp),
    }
}

/// `x in l` (`not in`, `negated`).
#[inline(always)]
pub(super) fn in_list<'a>(f: &Fast<'a>, x: R<'a>, l: R<'a>, negated: bool) -> R<'a> {
    let (x, l) = both(x, l)?;
    f.in_list(x, l, negated)
}

/// `x in p` (`not in`, `negated`) for a param of texts folded as
/// [`Codes`] (`nationality in safe_countries_of_origin`): the text compared
/// with the version in force on the as-of date, written in the code;
/// anything else as [`in_list`] over the param's value.
#[inline(always)]
pub(super) fn text_in_codes<'a>(f: &Fast<'a>, x: R<'a>, codes: &Codes, negated: bool) -> R<'a> {
    if let Ok(v) = x {
        if let Some(found) = f.text_in_codes(v, codes, negated) {
            return Ok(V::B(found));
        }
    }
    text_in_param(f, x, codes.param, negated)
}

/// [`text_in_codes`]'s general way, out of the way of the usual one.
#[cold]
#[inline(never)]
fn text_in_param<'a>(f: &Fast<'a>, x: R<'a>, param: ParamId, negated: bool) -> R<'a> {
    let l = f.param(param, f.as_of);
    in_list(f, x, l, negated)
}

/// `x == []` (or `!=`, `negated`; `empty` the literal `[]`): a list's
/// length looked at, anything else compared as [`compare`] does.
#[inline(always)]
pub(super) fn compare_empty<'a>(f: &Fast<'a>, x: R<'a>, empty: R<'a>, negated: bool) -> R<'a> {
    let (x, y) = both(x, empty)?;
    match f.list(x) {
        Some(l) => Ok(V::B((l.len() == 0) != negated)),
        None => f.compare(if negated { CmpOp::Ne } else { CmpOp::Eq }, x, y),
    }
}

/// `E.v in l` (`not in`, `negated`) for an enum value `E.v` written in
/// the rules: as [`in_list`], each item compared as an enum value in
/// place (a value of another kind is never equal to it).
#[inline(always)]
pub(super) fn enum_in<'a>(
    f: &Fast<'a>,
    of: EnumId,
    variant: u32,
    l: R<'a>,
    negated: bool,
) -> R<'a> {
    f.found_in(
        l?,
        negated,
        |v| matches!(v, Value::Enum(id, x) if *id == of && *x == variant),
        |v| matches!(v, V::E(id, x) if id == of && x == variant),
    )
}

#[inline(always)]
pub(super) fn arith<'a>(f: &mut Fast<'a>, arith: ArithOp, x: R<'a>, y: R<'a>) -> R<'a> {
    let (x, y) = both(x, y)?;
    f.arith(arith, x, y)
}

#[inline(always)]
pub(super) fn neg<'a>(f: &mut Fast<'a>, v: R<'a>) -> R<'a> {
    let v = v?;
    f.neg(v)
}

/// `if c then a else b`: where `c` is unknown, the value both branches
/// agree on.
#[inline(always)]
pub(super) fn if_then_else<'a>(
    f: &mut Fast<'a>,
    c: Truth,
    a: impl FnOnce(&mut Fast<'a>) -> R<'a>,
    b: impl FnOnce(&mut Fast<'a>) -> R<'a>,
) -> R<'a> {
    match c {
        Truth::True => a(f),
        Truth::False => b(f),
        Truth::Unknown => match (a(f), b(f)) {
            (Ok(x), Ok(y)) if f.equal(x, y) => Ok(x),
            (Err(GiveUp), _) | (_, Err(GiveUp)) => Err(GiveUp),
            _ => Err(Unknown),
        },
        Truth::GiveUp => Err(GiveUp),
    }
}

/// One more item of a list written with expressions, into `values`;
/// `false` where the list gives up (it is not evaluated further).
#[inline(always)]
pub(super) fn list_item<'a>(
    values: &mut SmallVec<[V<'a>; 4]>,
    unknown: &mut bool,
    r: R<'a>,
) -> bool {
    match r {
        Ok(v) => values.push(v),
        Err(Unknown) => *unknown = true,
        Err(GiveUp) => return false,
    }
    true
}

/// The list of `values` ([`list_item`]), unknown where an item is.
#[inline(always)]
pub(super) fn list_of<'a>(f: &mut Fast<'a>, values: SmallVec<[V<'a>; 4]>, unknown: bool) -> R<'a> {
    if unknown {
        return Err(Unknown);
    }
    f.keep(values)
}

/// A number of two dates (`age`, `days_between`).
#[inline(always)]
pub(super) fn dates<'a>(x: R<'a>, y: R<'a>, of: fn(Date, Date) -> i64) -> R<'a> {
    match both(x, y)? {
        (V::D(x), V::D(y)) => Ok(V::I(of(x, y))),
        _ => Err(GiveUp),
    }
}

#[inline(always)]
pub(super) fn deadline_from<'a>(
    f: &mut Fast<'a>,
    at: R<'a>,
    p: R<'a>,
    calendar: Option<CalendarId>,
    computation: Option<ComputationId>,
) -> R<'a> {
    let (at, p) = both(at, p)?;
    f.deadline_from(at, p, calendar, computation)
}

/// `deadline(from: x, p(on: x))`: the period the version of the param
/// in force on the day the time limit runs from, that day read once.
#[inline(always)]
pub(super) fn deadline_on<'a>(
    f: &mut Fast<'a>,
    event: R<'a>,
    param: ParamId,
    calendar: Option<CalendarId>,
    computation: Option<ComputationId>,
) -> R<'a> {
    match event? {
        at @ V::D(d) => {
            let p = f.param(param, d)?;
            f.deadline_from(at, p, calendar, computation)
        }
        _ => Err(GiveUp),
    }
}

/// [`deadline_on`] where the generated code has the param's versions and
/// the computation rule's clause as constants ([`Limit`], see
/// [`Fast::folded_deadline`]); anything that is not plain (a period in
/// working days, no version in force, a date beyond the tables) as
/// `deadline_on` computes it.
#[inline(always)]
pub(super) fn deadline_folded<'a>(f: &mut Fast<'a>, event: R<'a>, limit: &Limit) -> R<'a> {
    match event? {
        V::D(d) => match f.folded_deadline(d, limit) {
            Some(end) => Ok(V::D(end)),
            None => deadline_unfolded(f, d, limit),
        },
        _ => Err(GiveUp),
    }
}

/// [`deadline_folded`]'s time limit that is not plain, out of the way of
/// the usual one.
#[cold]
#[inline(never)]
fn deadline_unfolded<'a>(f: &mut Fast<'a>, d: Date, limit: &Limit) -> R<'a> {
    let (calendar, computation) = (Some(limit.calendar), Some(limit.computation));
    deadline_on(f, Ok(V::D(d)), limit.param, calendar, computation)
}

#[inline(always)]
pub(super) fn deadline_before<'a>(f: &Fast<'a>, anchor: R<'a>, p: R<'a>) -> R<'a> {
    let (anchor, p) = both(anchor, p)?;
    f.deadline_before(anchor, p)
}

/// `any`, `all`, `count` or `those` over the value of `list`, `body` the
/// item's test (see [`Fast::tested`]).
#[inline(always)]
pub(super) fn tested<'a>(
    f: &mut Fast<'a>,
    kind: QuantKind,
    list: R<'a>,
    local: u32,
    body: impl FnMut(&mut Fast<'a>) -> Truth,
) -> R<'a> {
    let list = list?;
    f.tested(kind, list, local, body)
}

/// `first` over the value of `list`, `body` the item's test (see
/// [`Fast::first`]).
#[inline(always)]
pub(super) fn first<'a, K: std::ops::Deref<Target = dyn Node>>(
    f: &mut Fast<'a>,
    list: R<'a>,
    local: u32,
    body: impl FnMut(&mut Fast<'a>) -> Truth,
    keys: &'a [(K, bool)],
) -> R<'a> {
    let list = list?;
    f.first(list, local, body, keys)
}

/// `first(x in list: true)` (no keys): the list's first item, none where
/// it has none, as [`first`] finds it, without going through the others
/// (each of which would test true and come later).
#[inline(always)]
pub(super) fn first_item<'a>(f: &Fast<'a>, list: R<'a>) -> R<'a> {
    let list = list?;
    match f.len(list)? {
        0 => Ok(V::N),
        _ => f.item(list, 0),
    }
}

/// `sum`, `min` or `max` over the value of `list` (see [`Fast::valued`]).
#[inline(always)]
pub(super) fn valued<'a>(
    f: &mut Fast<'a>,
    kind: QuantKind,
    list: R<'a>,
    body: &'a dyn Node,
    local: u32,
) -> R<'a> {
    let list = list?;
    f.valued(kind, list, body, local)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `first(x in l: true)` read as the list's first item ([`first_item`])
    /// finds what `first` finds going through every item: on lists of none
    /// to three items, in the record and computed for the case, and on none.
    #[test]
    fn the_first_item_is_what_first_finds() {
        let compiled = crate::shipped::compile();
        let Some(program) = compiled.program.as_ref() else {
            return assert!(compiled.program.is_some(), "the shipped law compiles");
        };
        let lists: Vec<Value> = (0..=3)
            .map(|n| Value::List((0..n).map(|i| Value::Integer(10 - i)).collect()))
            .collect();
        let mut f = Fast::new(program, &[], jiff::civil::date(2027, 1, 1));
        let no_keys: &[(Box<dyn Node>, bool)] = &[];
        let mut values = vec![V::N];
        for (n, list) in (0..).zip(&lists) {
            values.push(V::Ref(list));
            values.extend(f.keep((0..n).map(|i| V::I(20 - i)).collect()).ok());
        }
        assert_eq!(values.len(), 9);
        for v in values {
            let quick = first_item(&f, Ok(v));
            let whole = f.first(v, 0, |_| Truth::True, no_keys);
            assert_eq!(format!("{quick:?}"), format!("{whole:?}"), "{v:?}");
        }
    }
}
