//! Canonical text of the AST: expressions with the fewest parentheses that keep
//! their meaning (used in explanations), and whole files for `lsa fmt`, with the
//! file's `//` comments put back beside the lines they were written on.

use super::ast::*;
use super::parse::{month_name, weekday_name};

/// An expression as the language reference writes it.
pub fn expr(e: &Expr) -> String {
    let mut s = String::new();
    write_expr(&mut s, e, 0);
    s
}

fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::If(..) => 0,
        ExprKind::Binary(op, ..) => op.precedence(),
        ExprKind::Not(_) => NOT_PRECEDENCE,
        ExprKind::Neg(_) => 7,
        _ => 8,
    }
}

fn write_expr(out: &mut String, e: &Expr, min: u8) {
    let paren = prec(e) < min;
    if paren {
        out.push('(');
    }
    match &e.kind {
        ExprKind::Lit(l) => out.push_str(&literal(l)),
        ExprKind::Name(i) => out.push_str(&i.name),
        ExprKind::Field(base, f) => {
            write_expr(out, base, 8);
            out.push('.');
            out.push_str(&f.name);
        }
        ExprKind::Call { name, args } => {
            out.push_str(&name.name);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if let Some(n) = &a.name {
                    out.push_str(&n.name);
                    out.push_str(": ");
                }
                write_expr(out, &a.value, 0);
            }
            out.push(')');
        }
        ExprKind::Quant {
            kind,
            var,
            list,
            body,
            keys,
        } => {
            out.push_str(kind.keyword());
            out.push('(');
            out.push_str(&var.name);
            out.push_str(" in ");
            write_expr(out, list, 0);
            out.push_str(": ");
            write_expr(out, body, 0);
            for k in keys {
                out.push_str(" by ");
                write_expr(out, &k.key, 0);
                out.push_str(if k.descending {
                    " descending"
                } else {
                    " ascending"
                });
            }
            out.push(')');
        }
        ExprKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, item, 0);
            }
            out.push(']');
        }
        ExprKind::Not(inner) => {
            out.push_str("not ");
            write_expr(out, inner, NOT_PRECEDENCE + 1);
        }
        ExprKind::Neg(inner) => {
            // `--x`, not `-(-x)`: a chain of negations needs no brackets.
            out.push('-');
            write_expr(out, inner, 7);
        }
        ExprKind::Binary(op, l, r) => {
            let p = op.precedence();
            // `or` over `and` keeps its brackets: `a or (b and c)` reads
            // unambiguously (unless that would nest brackets too deeply).
            let (lmin, rmin) = match op {
                BinOp::Or if CLARITY.get() => (p + 2, p + 2),
                BinOp::Or => (p + 1, p + 1),
                _ if op.is_comparison() => (p + 1, p + 1),
                _ => (p, p + 1),
            };
            let lmin = if *op == BinOp::Or && matches!(l.kind, ExprKind::Binary(BinOp::Or, ..)) {
                p
            } else {
                lmin
            };
            write_expr(out, l, lmin);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_expr(out, r, rmin);
        }
        ExprKind::If(c, a, b) => {
            out.push_str("if ");
            write_expr(out, c, 0);
            out.push_str(" then ");
            write_expr(out, a, 0);
            out.push_str(" else ");
            write_expr(out, b, 0);
        }
    }
    if paren {
        out.push(')');
    }
}

pub fn literal(l: &Literal) -> String {
    match l {
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => n.clone(),
        Literal::Money { amount, currency } => format!("{amount} {currency}"),
        Literal::Percent(p) => format!("{p}%"),
        Literal::Text(t) => quote(t),
        Literal::Date(d) => d.clone(),
        Literal::Duration { amount, unit } => format!("{amount} {}", unit.word(amount != "1")),
    }
}

pub fn quote(t: &str) -> String {
    let mut s = String::from("\"");
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

pub fn type_expr(t: &TypeExpr) -> String {
    let base = match &t.kind {
        TypeKind::Named(i) => i.name.clone(),
        TypeKind::List(inner) => format!("list<{}>", type_expr(inner)),
    };
    if t.optional {
        format!("{base}?")
    } else {
        base
    }
}

/// `between LOW and HIGH` or `matching "PATTERN"`.
pub fn constraint(c: &ConstraintDecl) -> String {
    match c {
        ConstraintDecl::Between { low, high, .. } => {
            format!("between {} and {}", expr(low), expr(high))
        }
        ConstraintDecl::Matching { pattern, .. } => format!("matching {}", quote(pattern)),
    }
}

pub fn citation(c: &Citation) -> String {
    let parts: Vec<String> = c
        .cites
        .iter()
        .map(|c| format!("{} {}", c.source.name, c.pinpoint))
        .collect();
    format!("[{}]", parts.join("; "))
}

pub fn day_rule(r: &DayRule) -> String {
    match *r {
        DayRule::Fixed { day, month } => format!("{day} {}", month_name(month)),
        DayRule::Easter { offset: 0 } => "easter".into(),
        DayRule::Easter { offset } => {
            let n = offset.unsigned_abs();
            format!(
                "easter {} {n} {}",
                if offset < 0 { "-" } else { "+" },
                if n == 1 { "day" } else { "days" }
            )
        }
        DayRule::NthWeekday {
            nth,
            weekday,
            month,
        } => {
            let ord = match nth {
                1 => "first",
                2 => "second",
                3 => "third",
                4 => "fourth",
                _ => "last",
            };
            format!("{ord} {} of {}", weekday_name(weekday), month_name(month))
        }
    }
}

/// `met by FACT or FACT…` (its `owed when` is a line of its own).
fn met_by(m: &MetBy) -> String {
    let facts: Vec<String> = m.facts.iter().map(expr).collect();
    format!("met by {}", facts.join(" or "))
}

fn in_force(f: &InForce) -> String {
    match &f.until {
        Some(u) => format!("in force from {} until {}", f.from.text, u.text),
        None => format!("in force from {}", f.from.text),
    }
}

thread_local! {
    /// Whether brackets that only help reading (`a or (b and c)`) are written.
    static CLARITY: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Formats a whole file. The result is checked: it must parse to the same
/// file. Brackets that only help reading can nest an expression deeper than
/// the parser allows; then the file is formatted without them, and where
/// even that would not parse, it is given back as it was, never damaged.
pub fn file(f: &File, source: &str) -> String {
    for clarity in [true, false] {
        CLARITY.set(clarity);
        let text = file_once(f, source);
        CLARITY.set(true);
        if super::parse_file(crate::diag::FileId(0), &text).is_ok() {
            return text;
        }
    }
    source.to_string()
}

fn file_once(f: &File, source: &str) -> String {
    let mut p = Printer {
        out: Vec::new(),
        comments: super::parse::comments(source),
        next: 0,
        source,
        pending_blank: false,
        commented: None,
    };
    p.docs(&f.doc, 0, 0);
    p.line(
        0,
        format!("ruleset {}", f.ruleset.name),
        f.ruleset.span.start,
    );
    let mut prev_input = false;
    for item in &f.items {
        let is_input = matches!(item.kind, ItemKind::Input(_)) && item.doc.is_empty();
        if !(is_input && prev_input) {
            p.blank();
        }
        prev_input = is_input;
        p.item(item);
    }
    p.flush(usize::MAX);
    let mut text = p.out.join("\n");
    text.push('\n');
    text
}

struct Printer<'s> {
    out: Vec<String>,
    comments: Vec<(usize, String)>,
    next: usize,
    source: &'s str,
    pending_blank: bool,
    /// The output line that has a comment at its end, if it is the last.
    commented: Option<usize>,
}

impl Printer<'_> {
    fn blank(&mut self) {
        if !self.out.is_empty() {
            self.pending_blank = true;
        }
    }

    /// Emits the comments that stand before `offset` in the source.
    fn flush(&mut self, offset: usize) {
        while let Some((pos, text)) = self.comments.get(self.next).cloned() {
            if pos >= offset {
                break;
            }
            self.next += 1;
            let line_start = self
                .source
                .get(..pos)
                .and_then(|s| s.rfind('\n'))
                .map(|i| i + 1)
                .unwrap_or(0);
            let trailing = self
                .source
                .get(line_start..pos)
                .is_some_and(|s| !s.trim().is_empty());
            let last = self.out.iter().rposition(|l| !l.trim().is_empty());
            match last.and_then(|i| Some((i, self.out.get_mut(i)?))) {
                // One comment at the end of a line.
                Some((i, last)) if trailing && self.commented != Some(i) => {
                    last.push_str("  ");
                    last.push_str(&text);
                    self.commented = Some(i);
                }
                // A second that lands on the same line (two source lines
                // printed as one) goes on a line of its own, as it will
                // stay when formatted again.
                Some((_, last)) if trailing => {
                    let indent = last.len() - last.trim_start().len();
                    self.emit_blank();
                    self.out.push(format!("{}{text}", " ".repeat(indent)));
                }
                _ => {
                    // An own-line comment keeps its indentation, and the
                    // blank lines around it (a heading over what follows
                    // stays apart from its doc comment; a closing comment
                    // apart from the item above).
                    if self.blank_line_before(line_start) {
                        self.blank();
                    }
                    self.emit_blank();
                    let indent = pos - line_start;
                    self.out.push(format!("{}{text}", " ".repeat(indent)));
                    self.pending_blank |= self.blank_line_after(pos);
                }
            }
            // A line that is (or ends in) a comment takes no other.
            self.commented = self.out.len().checked_sub(1);
        }
    }

    /// Whether the line before the one starting at `line_start` in the
    /// source is blank.
    fn blank_line_before(&self, line_start: usize) -> bool {
        let before = self.source.get(..line_start).unwrap_or("");
        before
            .strip_suffix('\n')
            .is_some_and(|b| b.rsplit('\n').next().is_some_and(|l| l.trim().is_empty()))
    }

    /// Whether the line after the one at `pos` in the source is blank (a
    /// whole line: the file's last is no blank line between two things).
    fn blank_line_after(&self, pos: usize) -> bool {
        let rest = self.source.get(pos..).unwrap_or("");
        rest.split_once('\n')
            .and_then(|(_, next)| next.split_once('\n'))
            .is_some_and(|(line, _)| line.trim().is_empty())
    }

    fn emit_blank(&mut self) {
        if self.pending_blank {
            self.out.push(String::new());
            self.pending_blank = false;
        }
    }

    fn line(&mut self, indent: usize, text: String, offset: u32) {
        self.flush(offset as usize);
        self.emit_blank();
        self.out.push(format!("{}{}", " ".repeat(indent), text));
    }

    /// Doc comment lines; they belong to what follows, so comments before them go first.
    fn docs(&mut self, doc: &[String], indent: usize, offset: u32) {
        for (i, d) in doc.iter().enumerate() {
            let text = if d.is_empty() {
                "///".to_string()
            } else {
                format!("/// {d}")
            };
            if i == 0 {
                self.line(indent, text, offset);
            } else {
                self.emit_blank();
                self.out.push(format!("{}{}", " ".repeat(indent), text));
            }
        }
    }

    fn cited(head: String, c: &Option<Citation>) -> String {
        match c {
            Some(c) => format!("{head} {}", citation(c)),
            None => head,
        }
    }

    fn item(&mut self, item: &Item) {
        let start = item.span.start;
        self.docs(&item.doc, 0, start);
        match &item.kind {
            ItemKind::Source(s) => {
                self.line(
                    0,
                    format!("source {} {}", s.name.name, quote(&s.title)),
                    start,
                );
                if let Some(url) = &s.url {
                    self.out.push(format!("  <{url}>"));
                }
            }
            ItemKind::InForce(f) => self.line(0, in_force(f), start),
            ItemKind::Enum(e) => {
                let names: Vec<&str> = e.variants.iter().map(|v| v.name.name.as_str()).collect();
                let one_line = format!("enum {} {{ {} }}", e.name.name, names.join(", "));
                if e.variants.iter().all(|v| v.doc.is_empty()) && one_line.len() <= WIDTH {
                    self.line(0, one_line, start);
                } else {
                    self.line(0, format!("enum {} {{", e.name.name), start);
                    let last = e.variants.len().saturating_sub(1);
                    for (i, v) in e.variants.iter().enumerate() {
                        self.docs(&v.doc, 2, v.name.span.start);
                        let comma = if i < last { "," } else { "" };
                        self.line(2, format!("{}{comma}", v.name.name), v.name.span.start);
                    }
                    self.line(0, "}".into(), item.span.end.saturating_sub(1));
                }
            }
            ItemKind::Record(r) => {
                self.line(0, format!("record {} {{", r.name.name), start);
                for f in &r.fields {
                    self.docs(&f.doc, 2, f.name.span.start);
                    let mut text = format!("{}: {}", f.name.name, type_expr(&f.ty));
                    for c in &f.constraints {
                        text.push(' ');
                        text.push_str(&constraint(c));
                    }
                    if f.protected {
                        text.push_str(" protected");
                    }
                    self.line(2, text, f.name.span.start);
                }
                self.line(0, "}".into(), item.span.end.saturating_sub(1));
            }
            ItemKind::Input(i) => self.line(
                0,
                format!("input {}: {}", i.name.name, type_expr(&i.ty)),
                start,
            ),
            ItemKind::Param(p) => {
                let head = format!("param {}: {}", p.name.name, type_expr(&p.ty));
                self.line(0, Self::cited(head, &p.citation), start);
                for v in &p.values {
                    self.line(
                        2,
                        format!("from {} = {}", v.from.text, expr(&v.value)),
                        v.from.span.start,
                    );
                }
            }
            ItemKind::Def(d) => {
                let head = format!("def {}: {}", d.name.name, type_expr(&d.ty));
                self.line(0, format!("{} =", Self::cited(head, &d.citation)), start);
                self.condition(2, "", &d.body);
            }
            ItemKind::Decision(d) => self.decision(d, start),
            ItemKind::Computation(c) => {
                let sources: Vec<&str> = c.sources.iter().map(|s| s.name.as_str()).collect();
                let head = format!("computation {} for {}", c.name.name, sources.join(", "));
                self.line(0, Self::cited(head, &c.citation), start);
                for clause in &c.clauses {
                    self.docs(&clause.doc, 2, clause.name.span.start);
                    self.line(
                        2,
                        format!("{} {}", clause.name.name, citation(&clause.citation)),
                        clause.name.span.start,
                    );
                }
            }
            // The item's doc comment, printed above, is the line's.
            ItemKind::Applies(a) => self.applies(0, a, false),
            ItemKind::Warn(w) => {
                let head = format!("warn {}", w.name.name);
                self.line(0, Self::cited(head, &w.citation), start);
                self.condition(2, "when ", &w.when);
            }
            ItemKind::Label(l) => {
                let target = match &l.target {
                    LabelTarget::Path(p) => p
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join("."),
                    LabelTarget::Holiday(name) => format!("holiday {}", quote(name)),
                    LabelTarget::Text(text) => quote(text),
                };
                self.line(0, format!("label {target}"), start);
                for t in &l.texts {
                    let mut text = format!("{} {}", t.lang.code(), quote(&t.label));
                    if let Some(ask) = &t.ask {
                        text.push_str(&format!(" ask {}", quote(ask)));
                    }
                    self.line(2, text, t.span.start);
                }
            }
            ItemKind::Selection(sel) => {
                let head = format!("selection {}", sel.name.name);
                self.line(0, Self::cited(head, &sel.citation), start);
                self.condition(2, "among ", &sel.among);
                for k in &sel.keys {
                    self.docs(&k.doc, 2, k.span.start);
                    let direction = if k.descending {
                        "descending"
                    } else {
                        "ascending"
                    };
                    let line = format!("by {} {direction}", expr(&k.expr));
                    self.line(2, Self::cited(line, &k.citation), k.span.start);
                }
                if let Some(take) = &sel.take {
                    self.condition(2, "take up to ", take);
                }
            }
            ItemKind::Calendar(c) => {
                let mut head = format!("calendar {}", c.name.name);
                if let Some(t) = &c.title {
                    head = format!("{head} {}", quote(t));
                }
                self.line(0, Self::cited(head, &c.citation), start);
                for h in &c.holidays {
                    self.docs(&h.doc, 2, h.span.start);
                    let mut text = Self::cited(format!("holiday {}", quote(&h.name)), &h.citation);
                    text = format!("{text} on {}", day_rule(&h.rule));
                    if let Some(f) = &h.in_force {
                        text = format!("{text} {}", in_force(f));
                    }
                    self.line(2, text, h.span.start);
                }
            }
        }
    }

    fn decision(&mut self, d: &DecisionDecl, start: u32) {
        let head = format!("decision {}: {}", d.name.name, type_expr(&d.ty));
        self.line(0, Self::cited(head, &d.citation), start);
        if let Some(f) = &d.in_force {
            self.line(2, in_force(f), f.span.start);
        }
        for a in &d.applies {
            self.applies(2, a, true);
        }
        if let Some((policy, span)) = &d.policy {
            self.line(2, format!("policy {}", policy.keyword()), span.start);
        }
        if let Some(e) = &d.default {
            self.line(2, format!("default {}", expr(e)), e.span.start);
        }
        if let Some(m) = &d.met_by {
            self.met_by(2, m);
        }
        for r in &d.rules {
            self.blank();
            self.docs(&r.doc, 2, r.span.start);
            let kw = if r.is_exception { "exception" } else { "rule" };
            self.line(
                2,
                Self::cited(format!("{kw} {}", r.name.name), &r.citation),
                r.span.start,
            );
            if r.is_exception {
                let names: Vec<&str> = r.overrides.iter().map(|o| o.name.as_str()).collect();
                let at = r
                    .overrides
                    .first()
                    .map(|o| o.span.start)
                    .unwrap_or(r.span.start);
                self.line(4, format!("overrides {}", names.join(", ")), at);
            }
            if let Some(f) = &r.in_force {
                self.line(4, in_force(f), f.span.start);
            }
            if let Some(m) = &r.met_by {
                self.met_by(4, m);
            }
            self.condition(4, "when ", &r.when);
            self.condition(4, "then ", &r.then);
        }
    }

    /// `met by FACT or FACT…`, and under it `owed when CONDITION`.
    fn met_by(&mut self, indent: usize, m: &MetBy) {
        self.line(indent, met_by(m), m.span.start);
        if let Some(e) = &m.owed {
            self.condition(indent + 2, "owed when ", e);
        }
    }

    /// `applies [NAME] [CITATION]`, its condition and what is said
    /// otherwise; or `applies [RULESET.]NAME`, a named line used again.
    fn applies(&mut self, indent: usize, line: &AppliesLine, with_doc: bool) {
        let a = match line {
            AppliesLine::Line(a) => a,
            AppliesLine::Use(u) => {
                if with_doc {
                    self.docs(&u.doc, indent, u.span.start);
                }
                let name = match &u.ruleset {
                    Some(r) => format!("applies {}.{}", r.name, u.name.name),
                    None => format!("applies {}", u.name.name),
                };
                self.line(indent, name, u.span.start);
                return;
            }
        };
        if with_doc {
            self.docs(&a.doc, indent, a.span.start);
        }
        let head = match &a.name {
            Some(n) => format!("applies {}", n.name),
            None => "applies".into(),
        };
        self.line(indent, Self::cited(head, &a.citation), a.span.start);
        self.condition(indent + 2, "when ", &a.when);
        let text = quote(&a.otherwise);
        let at = a.span.end.saturating_sub(text.len() as u32);
        self.line(indent + 2, format!("otherwise {text}"), at);
    }

    /// A condition or value: on one line if it fits, else one operand of its
    /// `and`/`or` chain per line, nested chains split the same way.
    fn condition(&mut self, indent: usize, keyword: &str, e: &Expr) {
        let first = format!("{}{keyword}", " ".repeat(indent));
        for (text, offset) in layout(e, first, indent, 0) {
            self.flush(offset as usize);
            self.emit_blank();
            self.out.push(text);
        }
    }
}

/// Lines are split when longer than this.
const WIDTH: usize = 90;

/// Lays out `e` after `prefix` (which ends where the expression starts);
/// `floor` is the indentation no continuation line goes left of. Returns each
/// line with the source offset of what starts it (for comments).
fn layout(e: &Expr, prefix: String, floor: usize, min: u8) -> Vec<(String, u32)> {
    let one = format!("{prefix}{}", expr_at(e, min.saturating_sub(1)));
    let (op, operands) = chain(e);
    let Some(op) = op.filter(|_| one.chars().count() > WIDTH && operands.len() > 1) else {
        return vec![(one, e.span.start)];
    };
    let paren = op.precedence() < min;
    let open = if paren { "(" } else { "" };
    let column = prefix.chars().count() + open.len();
    let op_width = op.symbol().len() + 1;
    let op_column = if column >= floor + op_width {
        column - op_width
    } else {
        floor
    };
    // As on one line: `and` under `or` in brackets where they only help
    // reading, unless that nests too deeply.
    let child_min = if op == BinOp::Or && CLARITY.get() {
        op.precedence() + 2
    } else {
        op.precedence() + 1
    };
    let mut lines = Vec::new();
    for (i, operand) in operands.iter().enumerate() {
        let lead = if i == 0 {
            format!("{prefix}{open}")
        } else {
            let pad = column.saturating_sub(op_column + op_width);
            format!(
                "{}{} {}",
                " ".repeat(op_column),
                op.symbol(),
                " ".repeat(pad)
            )
        };
        let floor_here = lead.chars().count();
        let mut sub = layout(
            operand,
            lead,
            floor_here.min(op_column + op_width),
            child_min,
        );
        if i > 0 {
            if let Some(first) = sub.first_mut() {
                first.1 = operand.span.start;
            }
        }
        lines.append(&mut sub);
    }
    if paren {
        if let Some(last) = lines.last_mut() {
            last.0.push(')');
        }
    }
    lines
}

fn expr_at(e: &Expr, min: u8) -> String {
    let mut s = String::new();
    write_expr(&mut s, e, min + 1);
    s
}

/// Flattens a left-nested chain of one boolean operator.
fn chain(e: &Expr) -> (Option<BinOp>, Vec<&Expr>) {
    let ExprKind::Binary(op @ (BinOp::And | BinOp::Or), ..) = &e.kind else {
        return (None, vec![e]);
    };
    let mut operands = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Binary(o, l, r) if o == op => {
                operands.push(r.as_ref());
                cur = l;
            }
            _ => {
                operands.push(cur);
                break;
            }
        }
    }
    operands.reverse();
    (Some(*op), operands)
}
