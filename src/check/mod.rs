//! Checking: AST to checked IR ([`Program`]). Resolves names across files and
//! rulesets, checks types, citations, overrides and cycles, and runs the static
//! analyses (unreachable rules, overlapping `unique` rules, unused items).
//!
//! It collects every diagnostic before giving up; a [`Program`] exists only if
//! there was no error. It never evaluates a case and never touches a file.

mod analysis;
mod depth;
mod expr;
pub mod ir;
pub mod lower;
mod nulls;
pub mod plan;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

pub use ir::*;

use crate::diag::{did_you_mean, Diagnostic, FileId, SourceMap, Span};
use crate::syntax::ast::{self, ItemKind, Policy, QuantKind, TypeKind};
use crate::syntax::parse_all;
use crate::time::{Calendar, Clause, Computation, Holiday};
use crate::value::{parse_date, EnumId, RecordId, Type, Value};
use expr::Cites;

/// What compiling a rule tree gives: the program (if there were no errors) and
/// every diagnostic, errors and warnings, in file and position order.
pub struct Compiled {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: SourceMap,
}

impl Compiled {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Input names the case record reserves for itself.
pub const RESERVED_KEYS: [&str; 2] = ["case", "as_of"];

const BUILTIN_TYPES: [(&str, Type); 9] = [
    ("bool", Type::Bool),
    ("integer", Type::Integer),
    ("decimal", Type::Decimal),
    ("money", Type::Money),
    ("percent", Type::Percent),
    ("text", Type::Text),
    ("date", Type::Date),
    ("datetime", Type::DateTime),
    ("duration", Type::Duration),
];

/// Compiles rule files given as (name, text) pairs, e.g. `("eu/apr/procedure.rules", "…")`.
pub fn compile<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> Compiled {
    let mut map = SourceMap::default();
    let mut diagnostics = Vec::new();
    let mut asts = Vec::new();
    let (mut broken, mut broken_kinds) = (HashSet::new(), HashSet::new());
    let texts: Vec<(FileId, &str)> = files
        .iter()
        .map(|(name, text)| (map.add(name.as_ref(), text.as_ref()), text.as_ref()))
        .collect();
    // Every syntax error of every file; the items that parsed are checked
    // too, so that their mistakes come in the same run.
    for (parsed, &(id, _)) in parse_all(&texts).into_iter().zip(&texts) {
        diagnostics.extend(parsed.errors);
        for item in parsed.broken {
            broken_kinds.insert(item.keyword);
            broken.extend(item.names);
        }
        if let Some(file) = parsed.file {
            asts.push((id, file));
        }
    }
    let syntax_errors = !diagnostics.is_empty();
    let mut checker = Checker::new(&asts);
    checker.broken = broken;
    checker.broken_kinds = broken_kinds;
    checker.quiet = syntax_errors;
    checker.run();
    if !checker.quiet && !checker.diagnostics.iter().any(Diagnostic::is_error) {
        let found = checker.null_lint(&map);
        checker.diagnostics.extend(found);
    }
    diagnostics.append(&mut checker.diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    sort_diagnostics(&map, &mut diagnostics);
    let program = if failed {
        None
    } else {
        Some(checker.finish(map.clone()))
    };
    Compiled {
        program,
        diagnostics,
        files: map,
    }
}

fn sort_diagnostics(map: &SourceMap, diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (map.name(a.span.file), a.span.start, a.severity, &a.message).cmp(&(
            map.name(b.span.file),
            b.span.start,
            b.severity,
            &b.message,
        ))
    });
}

/// An `applies` line and the def its condition is checked as; `at` where
/// it stands (the line's head, or where a named line is used again).
#[derive(Clone, Copy)]
struct Applies<'a> {
    decl: &'a ast::AppliesDecl,
    def: DefId,
    at: Span,
}

/// An `applies` line of a file or decision as declared: written out (its
/// def declared), or a named line used again, found once every file is
/// declared (in the ruleset named, or the one it stands in).
#[derive(Clone, Copy)]
enum Line<'a> {
    Ready(Applies<'a>),
    Use(&'a ast::AppliesUse, &'a str),
}

/// Whether `name` is one an unnamed `applies` line is known by
/// (`applies_2`, `applies_3`, …).
fn positional(name: &str) -> bool {
    name.strip_prefix("applies_")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A name declared inside a ruleset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Local {
    Param(ParamId),
    Def(DefId),
    Decision(DecisionId),
}

/// A dependency edge target for cycle detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Dep {
    Def(DefId),
    Decision(DecisionId),
}

struct Checker<'a> {
    asts: &'a [(FileId, ast::File)],
    diagnostics: Vec<Diagnostic>,
    /// Where `error` would point if a pushed diagnostic vanished (it cannot).
    sink: Diagnostic,
    sources: Vec<SourceDef>,
    source_names: HashMap<String, (SourceId, Span)>,
    enums: Vec<EnumDef>,
    enum_names: HashMap<String, (EnumId, Span)>,
    records: Vec<RecordDef>,
    record_names: HashMap<String, (RecordId, Span)>,
    record_asts: Vec<&'a ast::RecordDecl>,
    inputs: Vec<InputDef>,
    input_names: HashMap<String, (InputId, Span)>,
    input_spans: Vec<Span>,
    calendars: Vec<Calendar>,
    calendar_names: HashMap<String, (CalendarId, Span)>,
    computations: Vec<Computation>,
    computation_names: HashMap<String, (ComputationId, Span)>,
    computation_asts: Vec<&'a ast::ComputationDecl>,
    rulesets: BTreeMap<String, HashMap<String, (Local, Span)>>,
    params: Vec<ParamDef>,
    defs: Vec<DefDef>,
    decisions: Vec<DecisionDef>,
    /// The AST of each def and decision, and the file's default validity
    /// and `applies`.
    def_asts: Vec<(DefId, &'a ast::DefDecl)>,
    decision_asts: Vec<(&'a ast::DecisionDecl, Validity, Vec<Applies<'a>>)>,
    /// The `applies` lines, each checked as a def of its own.
    applies: Vec<Applies<'a>>,
    /// The named `applies` lines, by key (`ruleset.name`), each where its
    /// name was declared without a clash.
    named_lines: HashMap<String, Applies<'a>>,
    /// The `warn` items, each checked as a def of its own (a truth).
    warn_asts: Vec<(DefId, &'a ast::WarnDecl)>,
    /// Each selection's AST, ruleset and doc; by key, where each was declared.
    selection_asts: Vec<(String, &'a ast::SelectionDecl, String)>,
    selection_names: HashMap<String, Span>,
    selections: Vec<SelectionDef>,
    label_asts: Vec<&'a ast::LabelDecl>,
    labels: Labels,
    paths: Vec<String>,
    path_ids: HashMap<String, PathId>,
    deps: HashMap<Dep, Vec<(Dep, Span)>>,
    /// The decisions, each after those it depends on (`check_cycles`'s
    /// post-order; meaningful where there is no cycle).
    decision_order: Vec<DecisionId>,
    used_inputs: HashSet<InputId>,
    used_locals: HashSet<Local>,
    /// Names declared by items that did not parse: a use of one is not
    /// reported again as unknown.
    broken: HashSet<String>,
    /// The kinds of those items (`calendar`, `source`…): what is missing
    /// because one did not parse (no calendar, no computation for an act)
    /// is not reported either.
    broken_kinds: HashSet<String>,
    /// Citations naming an act that is not declared (or did not parse):
    /// the provisions they cite are not asked how they compute time limits.
    unresolved_citations: HashSet<Span>,
    /// Each act cited but not declared: its diagnostic (at the first
    /// citation; an index into `diagnostics`, which nothing reorders before
    /// `run` ends, where the count is written into it) and how many
    /// citations name it.
    unknown_sources: HashMap<String, (usize, usize)>,
    /// Each unknown name, by ruleset and name: the index of its diagnostic
    /// (at its first use) and how many uses there are, for the same.
    unknown_names: HashMap<(String, String), (usize, usize)>,
    /// Parts of the rules did not parse: no warnings (an item that looks
    /// unused may be used by one of them).
    quiet: bool,
    /// Names an unknown name may still be compared with, for a "did you
    /// mean": ten thousand misspelt names against ten thousand declared ones
    /// would take seconds, and nobody reads that many suggestions.
    suggestion_budget: usize,
}

fn doc_text(doc: &[String]) -> String {
    doc.join("\n")
}

impl<'a> Checker<'a> {
    fn new(asts: &'a [(FileId, ast::File)]) -> Checker<'a> {
        Checker {
            asts,
            diagnostics: Vec::new(),
            sink: Diagnostic::error(Span::default(), ""),
            sources: Vec::new(),
            source_names: HashMap::new(),
            enums: Vec::new(),
            enum_names: HashMap::new(),
            records: Vec::new(),
            record_names: HashMap::new(),
            record_asts: Vec::new(),
            inputs: Vec::new(),
            input_names: HashMap::new(),
            input_spans: Vec::new(),
            calendars: Vec::new(),
            calendar_names: HashMap::new(),
            computations: Vec::new(),
            computation_names: HashMap::new(),
            computation_asts: Vec::new(),
            rulesets: BTreeMap::new(),
            params: Vec::new(),
            defs: Vec::new(),
            decisions: Vec::new(),
            def_asts: Vec::new(),
            decision_asts: Vec::new(),
            applies: Vec::new(),
            named_lines: HashMap::new(),
            warn_asts: Vec::new(),
            selection_asts: Vec::new(),
            selection_names: HashMap::new(),
            selections: Vec::new(),
            label_asts: Vec::new(),
            labels: Labels::default(),
            paths: Vec::new(),
            path_ids: HashMap::new(),
            deps: HashMap::new(),
            decision_order: Vec::new(),
            used_inputs: HashSet::new(),
            used_locals: HashSet::new(),
            broken: HashSet::new(),
            broken_kinds: HashSet::new(),
            unresolved_citations: HashSet::new(),
            unknown_sources: HashMap::new(),
            unknown_names: HashMap::new(),
            quiet: false,
            suggestion_budget: 2_000_000,
        }
    }

    fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let index = self.diagnostics.len();
        self.diagnostics.push(Diagnostic::error(span, message));
        // INVARIANT: just pushed, so `get_mut` finds it; the sink is never reached.
        match self.diagnostics.get_mut(index) {
            Some(d) => d,
            None => &mut self.sink,
        }
    }

    fn warn(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(span, message).with_help(help));
    }

    /// An `applies` line written out again alike (the same citation, the
    /// same condition once checked, the same reason): a warning at each
    /// copy after the first, which may be named and used again, so that
    /// an amendment to it is made once.
    fn repeated_lines(&mut self) {
        // The first of each (by citation, checked condition and reason):
        // where it is, and its key where it is named.
        type Alike<'r> = (String, String, &'r str);
        let mut first: HashMap<Alike<'_>, (Span, Option<Arc<str>>)> = HashMap::new();
        let mut repeated: Vec<(Span, Span, Option<Arc<str>>)> = Vec::new();
        for a in &self.applies {
            let Some(def) = self.defs.get(a.def.index()) else {
                continue;
            };
            let cite = a
                .decl
                .citation
                .as_ref()
                .map(crate::syntax::print::citation)
                .unwrap_or_default();
            let condition = format!("{:?}", lower::lower(&def.body));
            let named = a.decl.name.as_ref().map(|_| def.key.clone());
            match first.entry((cite, condition, a.decl.otherwise.as_str())) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    let (at, key) = e.get().clone();
                    repeated.push((a.at, at, key));
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((a.at, named));
                }
            }
        }
        for (at, first, key) in repeated {
            let help = match key {
                Some(key) => format!("use that line here by its name (`applies {key}`), so that an amendment is made once"),
                None => "name that line (`applies NAME [CITATION] when …`) and use it again here (`applies NAME`, or `RULESET.NAME` from another ruleset), so that an amendment is made once".to_string(),
            };
            let d = Diagnostic::warning(at, "this `applies` line repeats one written before")
                .with_related(first, "the same citation, condition and reason")
                .with_help(help);
            self.diagnostics.push(d);
        }
    }

    fn duplicate(&mut self, what: &str, name: &ast::Ident, first: Span) {
        let d = Diagnostic::error(
            name.span,
            format!("{what} `{}` is declared twice", name.name),
        )
        .with_related(first, "first declared here")
        .with_help("rename one of them");
        self.diagnostics.push(d);
    }

    fn intern_path(&mut self, path: String) -> PathId {
        if let Some(id) = self.path_ids.get(&path) {
            return *id;
        }
        let id = PathId(self.paths.len() as u32);
        self.paths.push(path.clone());
        self.path_ids.insert(path, id);
        id
    }

    fn run(&mut self) {
        self.declare();
        self.resolve_declared_types();
        self.resolve_computations();
        self.check_bodies();
        // Cycles among what did check, reported with the other errors.
        self.check_cycles();
        if !self.diagnostics.iter().any(Diagnostic::is_error) {
            self.item_paths();
        }
        if !self.diagnostics.iter().any(Diagnostic::is_error) {
            let found = depth::check(&self.defs, &self.decisions);
            self.diagnostics.extend(found);
        }
        self.check_labels();
        // Selections read defs and decisions: checked once those are sound.
        if !self.diagnostics.iter().any(Diagnostic::is_error) {
            self.check_selections();
        }
        if !self.diagnostics.iter().any(Diagnostic::is_error) {
            let found = analysis::analyse(&self.defs, &self.decisions, &self.enums);
            self.diagnostics.extend(found);
        }
        if !self.quiet {
            self.unused();
            self.repeated_lines();
        }
        self.count_unknown_sources();
        self.count_unknown_names();
    }

    /// What a checked citation cites (nothing without one).
    fn cited(&self, c: &Option<Citation>) -> Cites {
        c.as_ref().map_or_else(Cites::default, |c| Cites {
            sources: c.sources.clone(),
            unresolved: self.unresolved_citations.contains(&c.span),
        })
    }

    /// Each unknown name is reported once in its ruleset, at its first use:
    /// its help says how many uses there are (the next few are shown beside
    /// it).
    fn count_unknown_names(&mut self) {
        let counted: Vec<(usize, String)> = self
            .unknown_names
            .iter()
            .filter(|(_, (_, count))| *count > 1)
            .map(|((_, name), (at, count))| {
                let more = format!(
                    "`{name}` is used {count} times in this ruleset; this error stands for all"
                );
                (*at, more)
            })
            .collect();
        for (at, more) in counted {
            self.add_to_help(at, more);
        }
    }

    /// Adds `more` to the help of diagnostic `at`, in brackets after what
    /// it says.
    fn add_to_help(&mut self, at: usize, more: String) {
        if let Some(d) = self.diagnostics.get_mut(at) {
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help} ({more})"),
                None => more,
            });
        }
    }

    /// Each act cited but not declared is reported once, at its first
    /// citation: its help says how many citations name it.
    fn count_unknown_sources(&mut self) {
        let counted: Vec<(usize, String)> = self
            .unknown_sources
            .iter()
            .filter(|(_, (_, count))| *count > 1)
            .map(|(name, (at, count))| {
                let more = format!("`{name}` is cited {count} times; only the first is shown");
                (*at, more)
            })
            .collect();
        for (at, more) in counted {
            self.add_to_help(at, more);
        }
    }

    /// Where a value that may be `null` is ordered or computed with
    /// unguarded (`nulls`): texts from the files, which the checked
    /// expressions do not hold yet.
    fn null_lint(&self, files: &SourceMap) -> Vec<Diagnostic> {
        let warnings: Vec<DefId> = self.warn_asts.iter().map(|(id, _)| *id).collect();
        let applies: Vec<DefId> = self.applies.iter().map(|a| a.def).collect();
        nulls::lint(
            &self.defs,
            &self.decisions,
            &self.records,
            &warnings,
            &applies,
            files,
        )
    }

    /// Names the record path of every field read from a list item that a
    /// def or `first` hands on (`doc.issuing_state`, where `doc` is
    /// `first(d in responsibility.documents: …)`, reads
    /// `responsibility.documents[].issuing_state`), so that what a case
    /// lacks is asked for by the path the record gives it.
    fn item_paths(&mut self) {
        let mut defs = std::mem::take(&mut self.defs);
        let mut fixed = Vec::new();
        for (i, d) in defs.iter().enumerate() {
            let mut body = d.body.clone();
            let mut stack = Vec::new();
            if self.fix_item_paths(&defs, &mut body, &mut stack) {
                fixed.push((i, body));
            }
        }
        for (i, body) in fixed {
            if let Some(d) = defs.get_mut(i) {
                d.body = body;
            }
        }
        let mut decisions = std::mem::take(&mut self.decisions);
        for d in &mut decisions {
            if let Some(n) = &mut d.default {
                self.fix_item_paths(&defs, n, &mut Vec::new());
            }
            for r in &mut d.rules {
                self.fix_item_paths(&defs, &mut r.when, &mut Vec::new());
                self.fix_item_paths(&defs, &mut r.then, &mut Vec::new());
            }
        }
        self.defs = defs;
        self.decisions = decisions;
    }

    /// [`Checker::item_paths`] for one expression; `stack` holds the record
    /// path (if any) of the list of each quantifier around it. Whether it
    /// changed anything.
    fn fix_item_paths(
        &mut self,
        defs: &[DefDef],
        n: &mut Node,
        stack: &mut Vec<Option<String>>,
    ) -> bool {
        let mut changed = false;
        if let Expr::Quant {
            list, body, keys, ..
        } = &mut n.kind
        {
            changed |= self.fix_item_paths(defs, list, stack);
            let source = self.list_path(defs, list, 0);
            stack.push(source);
            changed |= self.fix_item_paths(defs, body, stack);
            for k in keys {
                changed |= self.fix_item_paths(defs, &mut k.key, stack);
            }
            stack.pop();
            return changed;
        }
        for child in n.children_mut() {
            changed |= self.fix_item_paths(defs, child, stack);
        }
        let Expr::Field { base, field, path } = &mut n.kind else {
            return changed;
        };
        let base_path = match &base.kind {
            Expr::Local(i) => stack
                .get(*i as usize)
                .cloned()
                .flatten()
                .map(|p| format!("{p}[]")),
            Expr::Field { path, .. } => self.paths.get(path.index()).cloned(),
            Expr::Def(_) | Expr::Quant { .. } => self.item_path(defs, base, 0),
            _ => None,
        };
        let name = match base.ty.base() {
            Type::Record(r) => self
                .records
                .get(r.0 as usize)
                .and_then(|r| r.fields.get(*field as usize))
                .map(|f| f.name.clone()),
            _ => None,
        };
        if let (Some(b), Some(name)) = (base_path, name) {
            let id = self.intern_path(format!("{b}.{name}"));
            if id != *path {
                *path = id;
                changed = true;
            }
        }
        changed
    }

    /// The record path of the list a list-valued expression comes from.
    fn list_path(&self, defs: &[DefDef], n: &Node, depth: usize) -> Option<String> {
        if depth > 64 {
            return None;
        }
        match &n.kind {
            Expr::Field { path, .. } => self.paths.get(path.index()).cloned(),
            Expr::Input(i) => self
                .inputs
                .get(i.index())
                .and_then(|d| self.paths.get(d.path.index()).cloned()),
            Expr::Def(id) => self.list_path(defs, &defs.get(id.index())?.body, depth + 1),
            Expr::Quant {
                kind: QuantKind::Those,
                list,
                ..
            } => self.list_path(defs, list, depth + 1),
            _ => None,
        }
    }

    /// The record path of the list item a record-valued expression is.
    fn item_path(&self, defs: &[DefDef], n: &Node, depth: usize) -> Option<String> {
        if depth > 64 {
            return None;
        }
        match &n.kind {
            Expr::Def(id) => self.item_path(defs, &defs.get(id.index())?.body, depth + 1),
            Expr::Quant {
                kind: QuantKind::First,
                list,
                ..
            } => self
                .list_path(defs, list, depth + 1)
                .map(|p| format!("{p}[]")),
            _ => None,
        }
    }

    fn finish(mut self, files: SourceMap) -> Program {
        let mut numbering = Numbering::default();
        for def in &mut self.defs {
            def.body.fill_text(&files, &mut numbering, false);
        }
        for sel in &mut self.selections {
            sel.among.fill_text(&files, &mut numbering, false);
            for k in &mut sel.keys {
                k.expr.fill_text(&files, &mut numbering, false);
            }
            if let Some(t) = &mut sel.take {
                t.fill_text(&files, &mut numbering, false);
            }
        }
        for d in &mut self.decisions {
            if let Some(n) = &mut d.default {
                n.fill_text(&files, &mut numbering, false);
            }
            if let Some(n) = &mut d.met_by.owed {
                n.fill_text(&files, &mut numbering, false);
            }
            for r in &mut d.rules {
                r.when.fill_text(&files, &mut numbering, false);
                r.then.fill_text(&files, &mut numbering, false);
                if let Some(n) = &mut r.met_by.owed {
                    n.fill_text(&files, &mut numbering, false);
                }
                r.json = rule_json(r).into();
            }
            d.json_head = decision_json_head(d).into();
        }
        let plans = Plans {
            when: self
                .decisions
                .iter()
                .map(|d| d.rules.iter().map(|r| plan::plan(&r.when)).collect())
                .collect(),
            defs: self.defs.iter().map(|d| plan::plan(&d.body)).collect(),
            derive_order: std::mem::take(&mut self.decision_order),
        };
        let warnings: Vec<WarningDef> = self
            .warn_asts
            .iter()
            .filter_map(|(id, _)| {
                let def = self.defs.get(id.index())?;
                Some(WarningDef {
                    def: *id,
                    key: def.key.clone(),
                    citation: def.citation.clone(),
                    facts: def.body.facts(&self.inputs),
                    decisions: def.body.decisions_read(),
                })
            })
            .collect();
        let fast = crate::eval::fast::Nodes::new_apart(
            &self.defs,
            &self.decisions,
            &warnings,
            numbering.counts.slots,
            &self.params,
            &self.computations,
        );
        Program {
            sources: self.sources,
            enums: self.enums,
            records: self.records,
            inputs: self.inputs,
            params: self.params,
            defs: self.defs,
            decisions: self.decisions,
            selections: self.selections,
            warnings,
            labels: self.labels,
            calendars: self.calendars.into_iter().map(Arc::new).collect(),
            computations: self.computations,
            paths: self.paths,
            files,
            nodes: numbering.counts,
            plans,
            fast,
            provenance: Provenance::default(),
        }
    }

    // ------------------------------------------------------------ declarations

    fn declare(&mut self) {
        let asts = self.asts;
        // Each file's `applies` lines and each decision's own, and which of
        // them each decision takes (by place in `lines`): a named line used
        // again is found once every file is declared.
        let mut lines: Vec<Vec<Line<'a>>> = Vec::new();
        let mut decision_lines: Vec<usize> = Vec::new();
        for (_, file) in asts {
            // (Borrowed from the file: the lines keep it.)
            let ruleset: &'a str = &file.ruleset.name;
            self.rulesets.entry(ruleset.to_string()).or_default();
            // What every decision of the file takes unless it says otherwise
            // (checked once per file, so a mistake in them is reported once).
            let file_validity = self.file_validity(file);
            let file_applies: Vec<Line<'a>> = file
                .items
                .iter()
                .filter_map(|item| match &item.kind {
                    ItemKind::Applies(a) => Some(a),
                    _ => None,
                })
                .map(|a| self.declare_line(ruleset, a))
                .collect();
            let file_lines = lines.len();
            lines.push(file_applies);
            for item in &file.items {
                match &item.kind {
                    ItemKind::Source(s) => {
                        if let Some((_, first)) = self.source_names.get(&s.name.name) {
                            let first = *first;
                            self.duplicate("source", &s.name, first);
                            continue;
                        }
                        let id = SourceId(self.sources.len() as u32);
                        self.sources.push(SourceDef {
                            name: s.name.name.clone(),
                            title: s.title.clone(),
                            url: s.url.clone(),
                            computation: None,
                        });
                        self.source_names
                            .insert(s.name.name.clone(), (id, s.name.span));
                    }
                    ItemKind::Enum(e) => {
                        if let Some(first) = self.type_name_taken(&e.name.name) {
                            self.duplicate("type", &e.name, first);
                            continue;
                        }
                        let mut variants: Vec<String> = Vec::new();
                        for v in &e.variants {
                            if variants.contains(&v.name.name) {
                                self.error(
                                    v.name.span,
                                    format!("enum value `{}` is listed twice", v.name.name),
                                );
                            }
                            variants.push(v.name.name.clone());
                        }
                        let id = EnumId(self.enums.len() as u32);
                        let shared = variants.iter().map(|v| Arc::from(v.as_str())).collect();
                        self.enums.push(EnumDef {
                            name: e.name.name.clone(),
                            variants,
                            shared,
                            doc: doc_text(&item.doc),
                        });
                        self.enum_names
                            .insert(e.name.name.clone(), (id, e.name.span));
                    }
                    ItemKind::Record(r) => {
                        if let Some(first) = self.type_name_taken(&r.name.name) {
                            self.duplicate("type", &r.name, first);
                            continue;
                        }
                        let id = RecordId(self.records.len() as u32);
                        self.records.push(RecordDef {
                            name: r.name.name.clone(),
                            fields: Vec::new(),
                            doc: doc_text(&item.doc),
                        });
                        self.record_asts.push(r);
                        self.record_names
                            .insert(r.name.name.clone(), (id, r.name.span));
                    }
                    ItemKind::Input(i) => {
                        if let Some((_, first)) = self.input_names.get(&i.name.name) {
                            let first = *first;
                            self.duplicate("input", &i.name, first);
                            continue;
                        }
                        if RESERVED_KEYS.contains(&i.name.name.as_str()) {
                            self.error(
                                i.name.span,
                                format!("`{}` is reserved in case records", i.name.name),
                            )
                            .help = Some("choose another name for this input".into());
                        }
                        let id = InputId(self.inputs.len() as u32);
                        let path = self.intern_path(i.name.name.clone());
                        self.inputs.push(InputDef {
                            name: i.name.name.clone(),
                            ty: Type::Error,
                            doc: doc_text(&item.doc),
                            path,
                        });
                        self.input_spans.push(i.name.span);
                        self.input_names
                            .insert(i.name.name.clone(), (id, i.name.span));
                    }
                    ItemKind::Computation(c) => {
                        if let Some((_, first)) = self.computation_names.get(&c.name.name) {
                            let first = *first;
                            self.duplicate("computation", &c.name, first);
                            continue;
                        }
                        let id = ComputationId(self.computations.len() as u32);
                        self.computation_names
                            .insert(c.name.name.clone(), (id, c.name.span));
                        // Clauses are filled in once sources are known (citations).
                        self.computations
                            .push(Computation::new(c.name.name.clone(), None, []));
                        self.computation_asts.push(c);
                    }
                    ItemKind::Applies(_) => {}
                    ItemKind::Calendar(c) => {
                        if let Some((_, first)) = self.calendar_names.get(&c.name.name) {
                            let first = *first;
                            self.duplicate("calendar", &c.name, first);
                            continue;
                        }
                        let id = CalendarId(self.calendars.len() as u32);
                        self.calendar_names
                            .insert(c.name.name.clone(), (id, c.name.span));
                        // Holidays are filled in once sources are known (citations).
                        self.calendars.push(Calendar::new(
                            c.name.name.clone(),
                            c.title.clone(),
                            None,
                            Vec::new(),
                        ));
                    }
                    ItemKind::Param(p) => {
                        let id = ParamId(self.params.len() as u32);
                        if self.declare_local(ruleset, &p.name, Local::Param(id)) {
                            self.params.push(ParamDef {
                                ruleset: ruleset.to_string(),
                                name: p.name.name.clone(),
                                key: format!("{ruleset}.{}", p.name.name).into(),
                                ty: Type::Error,
                                citation: None,
                                doc: doc_text(&item.doc),
                                values: Vec::new(),
                                span: p.name.span,
                            });
                        }
                    }
                    ItemKind::Def(d) => {
                        if let Some(id) = self.declare_def(ruleset, &d.name, Type::Error, item) {
                            self.def_asts.push((id, d));
                        }
                    }
                    ItemKind::Decision(d) => {
                        let id = DecisionId(self.decisions.len() as u32);
                        if self.declare_local(ruleset, &d.name, Local::Decision(id)) {
                            self.decisions.push(DecisionDef {
                                json_head: Arc::from(""),
                                ruleset: ruleset.to_string(),
                                name: d.name.name.clone(),
                                key: format!("{ruleset}.{}", d.name.name).into(),
                                ty: Type::Error,
                                citation: None,
                                doc: doc_text(&item.doc).into(),
                                validity: Validity::default(),
                                policy: d.policy.map(|p| p.0).unwrap_or_default(),
                                default: None,
                                met_by: MetBy::default(),
                                rules: Vec::new(),
                                has_exceptions: false,
                                span: d.name.span,
                                applies: Vec::new(),
                            });
                            let own = if d.applies.is_empty() {
                                file_lines
                            } else {
                                let own: Vec<Line<'a>> = d
                                    .applies
                                    .iter()
                                    .map(|a| self.declare_line(ruleset, a))
                                    .collect();
                                lines.push(own);
                                lines.len() - 1
                            };
                            self.decision_asts.push((d, file_validity, Vec::new()));
                            decision_lines.push(own);
                        }
                    }
                    ItemKind::InForce(_) => {}
                    ItemKind::Selection(sel) => {
                        let key = format!("{ruleset}.{}", sel.name.name);
                        if let Some(first) = self.selection_names.get(&key) {
                            let first = *first;
                            self.duplicate("selection", &sel.name, first);
                            continue;
                        }
                        self.selection_names.insert(key, sel.name.span);
                        self.selection_asts
                            .push((ruleset.to_string(), sel, doc_text(&item.doc)));
                    }
                    ItemKind::Label(l) => self.label_asts.push(l),
                    ItemKind::Warn(w) => {
                        if let Some(id) = self.declare_def(ruleset, &w.name, Type::Bool, item) {
                            // The warning reads it.
                            self.used_locals.insert(Local::Def(id));
                            self.warn_asts.push((id, w));
                        }
                    }
                }
            }
        }
        let resolved: Vec<Vec<Applies<'a>>> = lines.iter().map(|l| self.resolve_lines(l)).collect();
        for ((_, _, applies), k) in self.decision_asts.iter_mut().zip(decision_lines) {
            if let Some(r) = resolved.get(k) {
                applies.clone_from(r);
            }
        }
        // A ruleset-local name may not hide an input: `x.y` must mean one thing.
        let clashes: Vec<(String, Span, Span)> = self
            .rulesets
            .values()
            .flat_map(|items| items.iter())
            .filter_map(|(name, (_, span))| {
                self.input_names
                    .get(name)
                    .map(|(_, input)| (name.clone(), *span, *input))
            })
            .collect();
        for (name, span, input) in clashes {
            let d = Diagnostic::error(span, format!("`{name}` is also the name of an input"))
                .with_related(input, "the input")
                .with_help("rename one of them");
            self.diagnostics.push(d);
        }
    }

    /// Declares a def of `ruleset` named `name` (a `def`, or a `warn`'s
    /// condition), its body checked later; `None` if the name is taken.
    fn declare_def(
        &mut self,
        ruleset: &str,
        name: &ast::Ident,
        ty: Type,
        item: &ast::Item,
    ) -> Option<DefId> {
        let id = DefId(self.defs.len() as u32);
        if !self.declare_local(ruleset, name, Local::Def(id)) {
            return None;
        }
        self.defs.push(DefDef {
            ruleset: ruleset.to_string(),
            name: name.name.clone(),
            key: format!("{ruleset}.{}", name.name).into(),
            ty,
            citation: None,
            doc: doc_text(&item.doc),
            body: Node::unchecked(name.span),
            span: name.span,
        });
        Some(id)
    }

    fn type_name_taken(&self, name: &str) -> Option<Span> {
        self.enum_names
            .get(name)
            .map(|(_, s)| *s)
            .or_else(|| self.record_names.get(name).map(|(_, s)| *s))
            .or_else(|| {
                BUILTIN_TYPES
                    .iter()
                    .any(|(n, _)| *n == name)
                    .then(Span::default)
            })
    }

    fn declare_local(&mut self, ruleset: &str, name: &ast::Ident, local: Local) -> bool {
        let items = self.rulesets.entry(ruleset.to_string()).or_default();
        if let Some((_, first)) = items.get(&name.name) {
            let first = *first;
            self.duplicate("name", name, first);
            return false;
        }
        items.insert(name.name.clone(), (local, name.span));
        true
    }

    /// The `in force` line of a file (its default validity), checked.
    fn file_validity(&mut self, file: &ast::File) -> Validity {
        let mut found: Option<&ast::InForce> = None;
        for item in &file.items {
            if let ItemKind::InForce(f) = &item.kind {
                if found.is_some() {
                    self.error(f.span, "a file has one `in force` line").help =
                        Some("give a decision or a rule its own `in force` instead".into());
                }
                found = Some(f);
            }
        }
        found.map(|f| self.validity(Some(f))).unwrap_or_default()
    }

    /// A file's `applies` lines, or a decision's own, are at most
    /// [`crate::eval::MAX_APPLIES`] (an outcome keeps the place of the one
    /// that decided in a byte).
    fn at_most_max_applies(&mut self, lines: &[Applies<'a>]) {
        if let Some(a) = lines.get(crate::eval::MAX_APPLIES) {
            self.error(
                a.at,
                format!(
                    "a file or a decision has at most {} `applies` lines",
                    crate::eval::MAX_APPLIES
                ),
            )
            .help = Some("join conditions that share a reason with `and`".into());
        }
    }

    /// Declares an `applies` line: the def its condition is checked as,
    /// where it is written out; where it uses a named line again, that
    /// line is found later ([`Checker::resolve_lines`]).
    fn declare_line(&mut self, ruleset: &'a str, line: &'a ast::AppliesLine) -> Line<'a> {
        match line {
            ast::AppliesLine::Line(a) => Line::Ready(self.declare_applies(ruleset, a)),
            ast::AppliesLine::Use(u) => Line::Use(u, ruleset),
        }
    }

    /// Declares the def an `applies` line's condition is checked as. An
    /// unnamed line's def has no name a rule can use (`ruleset.applies`,
    /// `ruleset.applies_2`, … by its place among the ruleset's unnamed
    /// lines: `applies` is a keyword); a named line's is a def of its
    /// ruleset by that name, which other lines use again and rules may read.
    fn declare_applies(&mut self, ruleset: &str, a: &'a ast::AppliesDecl) -> Applies<'a> {
        let id = DefId(self.defs.len() as u32);
        let applies = Applies {
            decl: a,
            def: id,
            at: a.head,
        };
        let name = match &a.name {
            Some(n) => {
                if positional(&n.name) {
                    self.error(
                        n.span,
                        format!(
                            "`{}` is the name an unnamed `applies` line is known by",
                            n.name
                        ),
                    )
                    .help = Some("give the line another name".into());
                } else if self.declare_local(ruleset, n, Local::Def(id)) {
                    // Read by the decisions it governs.
                    self.used_locals.insert(Local::Def(id));
                    self.named_lines
                        .insert(format!("{ruleset}.{}", n.name), applies);
                }
                n.name.clone()
            }
            None => {
                let n = self
                    .applies
                    .iter()
                    .filter(|x| {
                        x.decl.name.is_none()
                            && self
                                .defs
                                .get(x.def.index())
                                .is_some_and(|d| d.ruleset == ruleset)
                    })
                    .count();
                if n == 0 {
                    "applies".to_string()
                } else {
                    format!("applies_{}", n + 1)
                }
            }
        };
        self.defs.push(DefDef {
            ruleset: ruleset.to_string(),
            key: format!("{ruleset}.{name}").into(),
            name,
            ty: Type::Bool,
            citation: None,
            doc: doc_text(&a.doc),
            body: Node::unchecked(a.span),
            span: a.span,
        });
        self.applies.push(applies);
        applies
    }

    /// A file's or a decision's `applies` lines, each named line used
    /// again found (an error where none is so named, or where a line
    /// stands twice); at most [`crate::eval::MAX_APPLIES`].
    fn resolve_lines(&mut self, lines: &[Line<'a>]) -> Vec<Applies<'a>> {
        let mut out: Vec<Applies<'a>> = Vec::with_capacity(lines.len());
        for line in lines {
            let found = match *line {
                Line::Ready(a) => Some(a),
                Line::Use(u, here) => self.named_line(u, here),
            };
            let Some(a) = found else { continue };
            if let Some(first) = out.iter().find(|b| b.def == a.def) {
                let first = first.at;
                let d = Diagnostic::error(a.at, "this `applies` line is already a line here")
                    .with_related(first, "the line")
                    .with_help("remove one of them");
                self.diagnostics.push(d);
                continue;
            }
            out.push(a);
        }
        self.at_most_max_applies(&out);
        out
    }

    /// The named `applies` line `u` uses again (in the ruleset it names, or
    /// in `here`), where it stands; an error where there is none (none
    /// where the name is one an item that did not parse declares).
    fn named_line(&mut self, u: &'a ast::AppliesUse, here: &str) -> Option<Applies<'a>> {
        let ruleset = u.ruleset.as_ref().map_or(here, |r| r.name.as_str());
        let key = format!("{ruleset}.{}", u.name.name);
        if let Some(a) = self.named_lines.get(&key) {
            return Some(Applies { at: u.span, ..*a });
        }
        if self.broken.contains(&u.name.name) {
            return None;
        }
        let what = match self.rulesets.get(ruleset).and_then(|m| m.get(&u.name.name)) {
            Some(_) => format!("`{key}` is not an `applies` line"),
            None => format!("no `applies` line is named `{key}`"),
        };
        let mut named: Vec<&str> = self.named_lines.keys().map(String::as_str).collect();
        named.sort_unstable();
        let help = match did_you_mean(&key, named.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if named.is_empty() => {
                "name a line where it is written (`applies NAME [CITATION] when …`) to use it again"
                    .to_string()
            }
            None => {
                let shown: Vec<String> = named.iter().take(6).map(|k| format!("`{k}`")).collect();
                let more = named.len().saturating_sub(shown.len());
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("the named lines are {}{more}", shown.join(", "))
            }
        };
        self.error(u.name.span, what).help = Some(help);
        None
    }

    fn date(&mut self, d: &ast::DateLit) -> Option<jiff::civil::Date> {
        let parsed = parse_date(&d.text);
        if parsed.is_none() {
            self.error(d.span, format!("`{}` is not a date", d.text))
                .help = Some("dates are written YYYY-MM-DD and must exist".into());
        }
        parsed
    }

    fn validity(&mut self, f: Option<&ast::InForce>) -> Validity {
        let Some(f) = f else {
            return Validity::default();
        };
        let from = self.date(&f.from);
        let until = f.until.as_ref().and_then(|u| self.date(u));
        if let (Some(a), Some(b)) = (from, until) {
            if b < a {
                self.error(f.span, "`until` is before `from`");
            }
        }
        Validity { from, until }
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> Type {
        let base = match &t.kind {
            TypeKind::List(inner) => Type::List(Box::new(self.resolve_type(inner))),
            TypeKind::Named(name) => {
                if let Some((_, ty)) = BUILTIN_TYPES.iter().find(|(n, _)| *n == name.name) {
                    ty.clone()
                } else if let Some((id, _)) = self.enum_names.get(&name.name) {
                    Type::Enum(*id)
                } else if let Some((id, _)) = self.record_names.get(&name.name) {
                    Type::Record(*id)
                } else if self.broken.contains(&name.name) {
                    // Declared by an item that did not parse: already reported.
                    Type::Error
                } else {
                    let mut names: Vec<&str> = BUILTIN_TYPES.iter().map(|(n, _)| *n).collect();
                    names.extend(self.enum_names.keys().map(String::as_str));
                    names.extend(self.record_names.keys().map(String::as_str));
                    let help = match did_you_mean(&name.name, names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "types are bool, integer, decimal, money, percent, text, date, datetime, duration, list<T>, or a declared enum or record".into(),
                    };
                    self.error(name.span, format!("unknown type `{}`", name.name))
                        .help = Some(help);
                    Type::Error
                }
            }
        };
        if t.optional {
            Type::Optional(Box::new(base))
        } else {
            base
        }
    }

    fn citation(&mut self, c: &Option<ast::Citation>) -> Option<Citation> {
        let c = c.as_ref()?;
        let mut sources = Vec::new();
        for cite in &c.cites {
            let name = &cite.source.name;
            if let Some((id, _)) = self.source_names.get(name) {
                sources.push(*id);
                continue;
            }
            // (The provision's time limits are then not asked for a
            // computation: see `cited`.)
            self.unresolved_citations.insert(c.span);
            if self.broken.contains(name) {
                // Declared by an item that did not parse: reported.
                continue;
            }
            // An act not declared: reported at its first citation, which
            // says how many there are (a source misspelt where it is
            // declared is cited everywhere).
            if let Some((_, count)) = self.unknown_sources.get_mut(name) {
                *count += 1;
                continue;
            }
            let help = match did_you_mean(name, self.source_names.keys().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("declare it: `source {name} \"title of the act\"`"),
            };
            self.error(
                cite.source.span,
                format!("citation names `{name}`, which is not a declared source"),
            )
            .help = Some(help);
            let at = self.diagnostics.len() - 1;
            self.unknown_sources.insert(name.clone(), (at, 1));
        }
        let text = c
            .cites
            .iter()
            .map(|c| format!("{} {}", c.source.name, c.pinpoint))
            .collect::<Vec<_>>()
            .join("; ");
        Some(Citation {
            json: crate::json::quoted(&text).into(),
            text: text.into(),
            sources,
            span: c.span,
        })
    }

    fn resolve_declared_types(&mut self) {
        // Record fields.
        for (i, r) in self.record_asts.clone().into_iter().enumerate() {
            let mut fields: Vec<FieldDef> = Vec::new();
            for f in &r.fields {
                if fields.iter().any(|x| x.name == f.name.name) {
                    self.error(
                        f.name.span,
                        format!("field `{}` is declared twice", f.name.name),
                    );
                    continue;
                }
                let ty = self.resolve_type(&f.ty);
                let constraints = f
                    .constraints
                    .iter()
                    .filter_map(|c| self.constraint(c, &ty))
                    .collect();
                fields.push(FieldDef {
                    name: f.name.name.clone(),
                    ty,
                    doc: doc_text(&f.doc),
                    constraints,
                    protected: f.protected,
                });
            }
            if let Some(rec) = self.records.get_mut(i) {
                rec.fields = fields;
            }
        }
        self.check_record_cycles();
        // Inputs, calendars, params, defs, decisions: their declared types.
        let asts = self.asts;
        let mut input_index = 0usize;
        let mut calendar_index = 0usize;
        for (_, file) in asts {
            for item in &file.items {
                match &item.kind {
                    ItemKind::Input(i) => {
                        if self.input_names.get(&i.name.name).map(|(id, _)| id.index())
                            == Some(input_index)
                        {
                            let ty = self.resolve_type(&i.ty);
                            if let Some(def) = self.inputs.get_mut(input_index) {
                                def.ty = ty;
                            }
                        }
                        input_index += 1;
                    }
                    ItemKind::Calendar(c) => {
                        if self
                            .calendar_names
                            .get(&c.name.name)
                            .map(|(id, _)| id.0 as usize)
                            == Some(calendar_index)
                        {
                            let citation = self.citation(&c.citation).map(|c| c.text.to_string());
                            let mut holidays = Vec::new();
                            for h in &c.holidays {
                                let validity = self.validity(h.in_force.as_ref());
                                if let crate::time::DayRule::Fixed { day, month } = h.rule {
                                    if jiff::civil::Date::new(2024, month as i8, day as i8).is_err()
                                    {
                                        self.error(
                                            h.span,
                                            format!(
                                                "{day} {} does not exist",
                                                crate::syntax::print::day_rule(&h.rule)
                                            ),
                                        );
                                    }
                                }
                                let cite = self
                                    .citation(&h.citation)
                                    .map(|c| c.text.to_string())
                                    .or_else(|| citation.clone());
                                holidays.push(Holiday {
                                    name: h.name.clone(),
                                    rule: h.rule,
                                    citation: cite,
                                    from: validity.from,
                                    until: validity.until,
                                });
                            }
                            if let Some(cal) = self.calendars.get_mut(calendar_index) {
                                *cal = Calendar::new(
                                    cal.name.clone(),
                                    cal.title.clone(),
                                    citation,
                                    holidays,
                                );
                            }
                        }
                        calendar_index += 1;
                    }
                    _ => {}
                }
            }
        }
        for k in 0..self.def_asts.len() {
            let Some((id, d)) = self.def_asts.get(k).copied() else {
                continue;
            };
            let ty = self.resolve_type(&d.ty);
            let citation = self.citation(&d.citation);
            if let Some(def) = self.defs.get_mut(id.index()) {
                def.ty = ty;
                def.citation = citation;
            }
        }
        for i in 0..self.decision_asts.len() {
            let Some((d, file_validity)) = self.decision_asts.get(i).map(|(d, v, _)| (*d, *v))
            else {
                continue;
            };
            let ty = self.resolve_type(&d.ty);
            let citation = self.citation(&d.citation);
            let own = self.validity(d.in_force.as_ref());
            let validity = if d.in_force.is_some() {
                own
            } else {
                file_validity
            };
            if d.policy.map(|p| p.0) == Some(Policy::Collect)
                && !matches!(ty, Type::List(_) | Type::Error)
            {
                let span = d.ty.span;
                self.error(span, "a `collect` decision gives a list").help = Some(format!(
                    "declare its type as `list<{}>`",
                    crate::syntax::print::type_expr(&d.ty)
                ));
            }
            if let Some(def) = self.decisions.get_mut(i) {
                def.ty = ty;
                def.citation = citation;
                def.validity = validity;
            }
        }
    }

    /// Each `computation`: the acts it is the rule for, and its clauses.
    fn resolve_computations(&mut self) {
        for (i, c) in self.computation_asts.clone().into_iter().enumerate() {
            let id = ComputationId(i as u32);
            let citation = self.citation(&c.citation).map(|c| c.text);
            let mut clauses: Vec<(Clause, Arc<str>)> = Vec::new();
            for clause in &c.clauses {
                let cite = self.citation(&Some(clause.citation.clone()));
                let Some(kind) = Clause::parse(&clause.name.name) else {
                    let names = Clause::ALL.map(Clause::name);
                    let help = match did_you_mean(&clause.name.name, names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the clauses are: {}", names.join(", ")),
                    };
                    self.error(
                        clause.name.span,
                        format!("`{}` is not a clause of a computation", clause.name.name),
                    )
                    .help = Some(help);
                    continue;
                };
                if clauses.iter().any(|(k, _)| *k == kind) {
                    self.error(
                        clause.name.span,
                        format!("clause `{}` is listed twice", clause.name.name),
                    );
                    continue;
                }
                if let Some(cite) = cite {
                    clauses.push((kind, cite.text));
                }
            }
            if let Some(slot) = self.computations.get_mut(i) {
                *slot = Computation::new(c.name.name.clone(), citation, clauses);
            }
            for source in &c.sources {
                let Some((sid, _)) = self.source_names.get(&source.name).copied() else {
                    if self.broken.contains(&source.name) {
                        // Declared by an item that did not parse: reported.
                        continue;
                    }
                    let help = match did_you_mean(
                        &source.name,
                        self.source_names.keys().map(String::as_str),
                    ) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "name a declared `source`".into(),
                    };
                    self.error(
                        source.span,
                        format!("`{}` is not a declared source", source.name),
                    )
                    .help = Some(help);
                    continue;
                };
                let Some(def) = self.sources.get_mut(sid.index()) else {
                    continue;
                };
                match def.computation {
                    Some(other) if other != id => {
                        let other = self
                            .computations
                            .get(other.index())
                            .map(|c| c.name.clone())
                            .unwrap_or_default();
                        self.error(
                            source.span,
                            format!(
                                "`{}` already computes its time limits by `{other}`",
                                source.name
                            ),
                        )
                        .help = Some("an act has one computation rule".into());
                    }
                    _ => def.computation = Some(id),
                }
            }
        }
    }

    /// A field's constraint, checked against the field's type.
    fn constraint(&mut self, c: &ast::ConstraintDecl, ty: &Type) -> Option<Constraint> {
        match c {
            ast::ConstraintDecl::Between { low, high, span } => {
                if !ty.is_ordered() || matches!(ty.base(), Type::Text) {
                    self.error(
                        *span,
                        "`between` limits a number, an amount, a percentage or a date",
                    )
                    .help = Some("use `matching \"PATTERN\"` for a text".into());
                    return None;
                }
                let base = ty.base().clone();
                let literal = |this: &mut Self, e: &ast::Expr| -> Option<Value> {
                    let owner = Dep::Def(DefId(u32::MAX));
                    let n = this.typed("", owner, &Cites::default(), e, &base, "a limit");
                    match n.kind {
                        Expr::Lit(v) if n.ty != Type::Error => Some(v),
                        Expr::Lit(_) => None,
                        _ => {
                            this.error(e.span, "a limit is written out, not computed");
                            None
                        }
                    }
                };
                let (low, high) = (literal(self, low)?, literal(self, high)?);
                if crate::value::order(&low, &high) == Some(std::cmp::Ordering::Greater) {
                    self.error(*span, "the lower limit is above the upper one");
                    return None;
                }
                Some(Constraint::Between(low, high))
            }
            ast::ConstraintDecl::Matching { pattern, span } => {
                if ty.base() != &Type::Text {
                    self.error(*span, "`matching` limits a text").help =
                        Some("use `between LOW and HIGH` for a number or a date".into());
                    return None;
                }
                match regex_lite::Regex::new(&format!("^(?:{pattern})$")) {
                    Ok(regex) => Some(Constraint::Matching {
                        pattern: pattern.as_str().into(),
                        regex: Arc::new(regex),
                        simple: crate::check::ir::SimpleAlt::parse(pattern),
                    }),
                    Err(e) => {
                        let why = e.to_string();
                        let why = why.lines().last().unwrap_or("").trim().to_string();
                        self.error(*span, format!("`{pattern}` is not a pattern: {why}"))
                            .help =
                            Some("patterns are regular expressions: `[A-Z]{3}|stateless`".into());
                        None
                    }
                }
            }
        }
    }

    fn check_record_cycles(&mut self) {
        fn contains(
            records: &[RecordDef],
            ty: &Type,
            target: RecordId,
            seen: &mut HashSet<RecordId>,
        ) -> bool {
            match ty {
                Type::Record(id) => {
                    if *id == target {
                        return true;
                    }
                    if !seen.insert(*id) {
                        return false;
                    }
                    records.get(id.0 as usize).is_some_and(|r| {
                        r.fields
                            .iter()
                            .any(|f| contains(records, &f.ty, target, seen))
                    })
                }
                Type::List(t) | Type::Optional(t) => contains(records, t, target, seen),
                _ => false,
            }
        }
        for (i, r) in self.records.iter().enumerate() {
            let id = RecordId(i as u32);
            if r.fields
                .iter()
                .any(|f| contains(&self.records, &f.ty, id, &mut HashSet::new()))
            {
                let span = self
                    .record_names
                    .get(&r.name)
                    .map(|(_, s)| *s)
                    .unwrap_or_default();
                self.diagnostics.push(
                    Diagnostic::error(span, format!("record `{}` contains itself", r.name))
                        .with_help("a case record is a finite tree: break the cycle"),
                );
            }
        }
    }

    // ------------------------------------------------------------ bodies

    fn check_bodies(&mut self) {
        // Params: literal values by date.
        let asts = self.asts;
        for (_, file) in asts {
            let ruleset = file.ruleset.name.clone();
            for item in &file.items {
                if let ItemKind::Param(p) = &item.kind {
                    let Some((Local::Param(id), span)) = self
                        .rulesets
                        .get(&ruleset)
                        .and_then(|m| m.get(&p.name.name))
                        .copied()
                    else {
                        continue;
                    };
                    if span != p.name.span {
                        continue;
                    }
                    self.check_param(&ruleset, id, p);
                }
            }
        }
        for k in 0..self.def_asts.len() {
            let Some((id, d)) = self.def_asts.get(k).copied() else {
                continue;
            };
            let (ruleset, ty, cites) = match self.defs.get(id.index()) {
                Some(def) => (
                    def.ruleset.clone(),
                    def.ty.clone(),
                    self.cited(&def.citation),
                ),
                None => continue,
            };
            let owner = Dep::Def(id);
            let body = self.typed(&ruleset, owner, &cites, &d.body, &ty, "the def's value");
            if let Some(def) = self.defs.get_mut(id.index()) {
                def.body = body;
            }
        }
        // `applies` conditions, each a def of its own (a time limit in one
        // follows the act the line cites).
        // And `warn` conditions.
        let conditions: Vec<_> = self
            .applies
            .iter()
            .map(|a| {
                (
                    a.def,
                    &a.decl.citation,
                    &a.decl.when,
                    "the condition of `applies`",
                )
            })
            .chain(
                self.warn_asts
                    .iter()
                    .map(|(id, w)| (*id, &w.citation, &w.when, "the condition of `warn`")),
            )
            .collect();
        for (id, citation, when, what) in conditions {
            let citation = self.citation(citation);
            let ruleset = match self.defs.get(id.index()) {
                Some(def) => def.ruleset.clone(),
                None => continue,
            };
            let owner = Dep::Def(id);
            let body = self.typed(
                &ruleset,
                owner,
                &self.cited(&citation),
                when,
                &Type::Bool,
                what,
            );
            if let Some(def) = self.defs.get_mut(id.index()) {
                def.body = body;
                def.citation = citation;
            }
        }
        for i in 0..self.decision_asts.len() {
            self.check_decision(i);
        }
    }

    /// Each label names one thing of the program, and says each language once.
    fn check_labels(&mut self) {
        for l in self.label_asts.clone() {
            let Some(what) = self.label_target(&l.target, l.span) else {
                continue;
            };
            let is_path = matches!(what, Labelled::Path(_));
            for t in &l.texts {
                if t.ask.is_some() && !is_path {
                    self.error(t.span, "only a fact of the case record is asked for")
                        .help = Some(
                        "give `ask \"…?\"` to record fields; other things take a label".into(),
                    );
                }
                let entry = self.labels.map.entry(what.clone()).or_default();
                match entry.get_mut(t.lang.index()) {
                    Some(slot @ None) => {
                        *slot = Some(Words {
                            label: t.label.as_str().into(),
                            ask: t.ask.as_deref().map(Into::into),
                        })
                    }
                    _ => {
                        self.error(
                            t.span,
                            format!("a second `{}` label for the same thing", t.lang.code()),
                        )
                        .help = Some("each thing has one label in each language".into());
                    }
                }
            }
        }
    }

    /// What a label names: a decision, rule, def, param or selection
    /// (`ruleset.name`, `ruleset.decision.rule`), a record path (`input.field…`), an enum
    /// value (`Enum.value`), a source (`APR`) or a holiday.
    fn label_target(&mut self, target: &ast::LabelTarget, span: Span) -> Option<Labelled> {
        let parts = match target {
            ast::LabelTarget::Holiday(name) => {
                let known = self
                    .calendars
                    .iter()
                    .any(|c| c.holiday_named(name).is_some());
                if !known {
                    // (Unless a calendar did not parse: it may have it.)
                    if !self.broken_kinds.contains("calendar") {
                        self.error(span, format!("no calendar has a holiday \"{name}\""));
                    }
                    return None;
                }
                return Some(Labelled::Holiday(name.clone()));
            }
            ast::LabelTarget::Text(text) => {
                if text.is_empty() {
                    self.error(span, "an empty text has no label").help =
                        Some("label a code the case record gives: `label \"LTU\"`".into());
                    return None;
                }
                return Some(Labelled::Text(text.clone()));
            }
            ast::LabelTarget::Path(p) => p,
        };
        let names: Vec<&str> = parts.iter().map(|i| i.name.as_str()).collect();
        let mut found: Vec<Labelled> = Vec::new();
        match names.as_slice() {
            [one] => {
                if let Some((id, _)) = self.source_names.get(*one) {
                    found.push(Labelled::Source(*id));
                }
                if self.calendar_names.contains_key(*one) {
                    found.push(Labelled::Calendar(one.to_string()));
                }
            }
            [ruleset, name] => {
                // An `applies` line: its def (`ruleset.applies`, `…applies_2`).
                let key = format!("{ruleset}.{name}");
                let applies = self
                    .applies
                    .iter()
                    .find(|a| self.defs.get(a.def.index()).is_some_and(|d| *d.key == *key));
                if let Some(a) = applies {
                    found.push(Labelled::Def(a.def));
                }
                if let Some((local, _)) = self.rulesets.get(*ruleset).and_then(|m| m.get(*name)) {
                    let local = match local {
                        Local::Param(id) => Labelled::Param(*id),
                        Local::Def(id) => Labelled::Def(*id),
                        Local::Decision(id) => Labelled::Decision(*id),
                    };
                    // (A named `applies` line is a def of its ruleset too.)
                    if !found.contains(&local) {
                        found.push(local);
                    }
                }
                let selection = self
                    .selection_asts
                    .iter()
                    .any(|(rs, sel, _)| rs == ruleset && sel.name.name == *name);
                if selection {
                    found.push(Labelled::Selection(key.clone()));
                }
                if let Some((eid, _)) = self.enum_names.get(*ruleset) {
                    let v = self
                        .enums
                        .get(eid.0 as usize)
                        .and_then(|e| e.variants.iter().position(|v| v == name));
                    if let Some(v) = v {
                        found.push(Labelled::Value(*eid, v as u32));
                    }
                }
            }
            [ruleset, decision, rule] => {
                if let Some((Local::Decision(id), _)) =
                    self.rulesets.get(*ruleset).and_then(|m| m.get(*decision))
                {
                    let index = self
                        .decisions
                        .get(id.index())
                        .and_then(|d| d.rules.iter().position(|r| &*r.name == *rule));
                    if let Some(i) = index {
                        found.push(Labelled::Rule(*id, i as u32));
                    }
                }
            }
            _ => {}
        }
        if let Some(path) = self.record_path(&names) {
            found.push(Labelled::Path(path));
        }
        match found.len() {
            1 => found.pop(),
            // What an item that did not parse declared: already reported.
            0 if self.may_name_broken(&names) => None,
            0 => {
                self.error(span, format!("`{}` names nothing a label can name", names.join(".")))
                    .help = Some(
                    "label a decision, def, warning, param or selection (`ruleset.name`), a rule (`ruleset.decision.rule`), a record section or field (`input`, `input.field`), an enum value (`Enum.value`), an `applies` line (`ruleset.applies`), a source, a calendar, `holiday \"…\"` or a text value (`\"LTU\"`)".into(),
                );
                None
            }
            _ => {
                self.error(
                    span,
                    format!("`{}` names more than one thing", names.join(".")),
                );
                None
            }
        }
    }

    /// The case record's path that `input.field.…` names, if it is one: a
    /// field of a list's items is written through the list
    /// (`responsibility.documents.valid_until`) and named as the evaluator
    /// names it (`responsibility.documents[].valid_until`).
    fn record_path(&self, names: &[&str]) -> Option<String> {
        self.walk_record_path(names).ok()
    }

    /// [`record_path`](Self::record_path), or where it stops: `Err(true)`
    /// at a type that did not resolve (an error reported already),
    /// `Err(false)` at a name that is not there.
    fn walk_record_path(&self, names: &[&str]) -> Result<String, bool> {
        let (first, rest) = names.split_first().ok_or(false)?;
        let (id, _) = self.input_names.get(*first).ok_or(false)?;
        let mut ty = self.inputs.get(id.0 as usize).ok_or(false)?.ty.clone();
        let mut path = (*first).to_string();
        for name in rest {
            if let Type::List(item) = ty.base() {
                path.push_str("[]");
                ty = (**item).clone();
            }
            let rid = match ty.base() {
                Type::Record(rid) => *rid,
                base => return Err(matches!(base, Type::Error)),
            };
            let field = self
                .records
                .get(rid.0 as usize)
                .and_then(|r| r.fields.iter().find(|f| f.name == *name))
                .ok_or(false)?;
            path.push('.');
            path.push_str(name);
            ty = field.ty.clone();
        }
        Ok(path)
    }

    /// Whether a label that names nothing may name what an item that did
    /// not parse declared (one of its names), or a field of a type that did
    /// not resolve: either is reported, and the label is not reported again.
    fn may_name_broken(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.broken.contains(*n)) || self.walk_record_path(names) == Err(true)
    }

    /// Each selection: `among` a truth value, keys that can be ordered and
    /// read no protected characteristic, `take up to` an integer.
    fn check_selections(&mut self) {
        let owner = Dep::Def(DefId(u32::MAX));
        for (ruleset, sel, doc) in self.selection_asts.clone() {
            let citation = self.citation(&sel.citation);
            let cites = self.cited(&citation);
            let among = self.typed(&ruleset, owner, &cites, &sel.among, &Type::Bool, "`among`");
            if let Some(field) = self.protected_read(&among, &mut HashSet::new()) {
                self.error(
                    sel.among.span,
                    format!("who qualifies for a selection may not depend on `{field}`, a protected characteristic"),
                )
                .help = Some(
                    "choosing people by nationality, ethnicity or religion (fields marked `protected`) is discrimination".into(),
                );
            }
            let mut keys = Vec::new();
            for k in &sel.keys {
                let key_citation = self.citation(&k.citation);
                let node = self.untyped(&ruleset, owner, &cites, &k.expr);
                let orderable = matches!(node.ty.base(), Type::Bool | Type::Enum(_) | Type::Error)
                    || (node.ty.is_ordered() && node.ty.base() != &Type::Text);
                if !orderable {
                    let word = self.type_word(&node.ty);
                    self.error(
                        k.expr.span,
                        format!("a selection cannot rank by {word}"),
                    )
                    .help = Some(
                        "rank by a truth value, a number, an amount, a percentage, a date or an enum value"
                            .into(),
                    );
                }
                if let Some(field) = self.protected_read(&node, &mut HashSet::new()) {
                    self.error(
                        k.expr.span,
                        format!("a selection may not rank by `{field}`, a protected characteristic"),
                    )
                    .help = Some(
                        "ranking by nationality, ethnicity or religion (fields marked `protected`) is discrimination; rank by what the law names".into(),
                    );
                }
                keys.push(SelectionKey {
                    expr: node,
                    descending: k.descending,
                    citation: key_citation,
                    doc: doc_text(&k.doc),
                });
            }
            let take = sel
                .take
                .as_ref()
                .map(|t| self.typed(&ruleset, owner, &cites, t, &Type::Integer, "`take up to`"));
            self.selections.push(SelectionDef {
                key: format!("{ruleset}.{}", sel.name.name).into(),
                ruleset,
                name: sel.name.name.clone(),
                citation,
                doc,
                among,
                keys,
                take,
                span: sel.name.span,
            });
        }
    }

    /// The first protected field `node` reads, directly or through the defs
    /// and decisions it reads (`seen` keeps each visited once).
    fn protected_read(&self, node: &Node, seen: &mut HashSet<Dep>) -> Option<String> {
        match &node.kind {
            Expr::Field { base, field, .. } => {
                if let Type::Record(rid) = base.ty.base() {
                    let f = self
                        .records
                        .get(rid.0 as usize)
                        .and_then(|r| r.fields.get(*field as usize));
                    if let Some(f) = f.filter(|f| f.protected) {
                        return Some(f.name.clone());
                    }
                }
                self.protected_read(base, seen)
            }
            Expr::Def(id) => {
                if !seen.insert(Dep::Def(*id)) {
                    return None;
                }
                let def = self.defs.get(id.index())?;
                self.protected_read(&def.body, seen)
            }
            Expr::Decision(id) => {
                if !seen.insert(Dep::Decision(*id)) {
                    return None;
                }
                let d = self.decisions.get(id.index())?;
                let applies = d
                    .applies
                    .iter()
                    .filter_map(|a| self.defs.get(a.def.index()))
                    .map(|def| &def.body);
                d.default
                    .iter()
                    .chain(applies)
                    .chain(d.rules.iter().flat_map(|r| [&r.when, &r.then]))
                    .find_map(|n| self.protected_read(n, seen))
            }
            _ => node
                .children()
                .into_iter()
                .find_map(|c| self.protected_read(c, seen)),
        }
    }

    fn check_param(&mut self, ruleset: &str, id: ParamId, p: &ast::ParamDecl) {
        let ty = self.resolve_type(&p.ty);
        let citation = self.citation(&p.citation);
        let mut values: Vec<(jiff::civil::Date, Value)> = Vec::new();
        for v in &p.values {
            let from = self.date(&v.from);
            let owner = Dep::Def(DefId(u32::MAX));
            let node = self.typed(
                ruleset,
                owner,
                &Cites::default(),
                &v.value,
                &ty,
                "the param's value",
            );
            let value = match node.kind {
                Expr::Lit(value) => Some(value),
                _ if node.ty == Type::Error => None,
                _ => {
                    self.error(v.value.span, "a param's value is written out, not computed")
                        .help = Some("use a `def` for a computed value".into());
                    None
                }
            };
            if let (Some(from), Some(value)) = (from, value) {
                if values.iter().any(|(d, _)| *d == from) {
                    self.error(v.from.span, "two values from the same date");
                }
                values.push((from, value));
            }
        }
        values.sort_by_key(|(d, _)| *d);
        if let Some(def) = self.params.get_mut(id.index()) {
            def.ty = ty;
            def.citation = citation;
            def.values = values;
        }
    }

    fn check_decision(&mut self, index: usize) {
        let Some((d, _, lines)) = self.decision_asts.get(index).cloned() else {
            return;
        };
        let Some(def) = self.decisions.get(index) else {
            return;
        };
        let ruleset = def.ruleset.clone();
        let ty = def.ty.clone();
        let policy = def.policy;
        let decision_validity = def.validity;
        let decision_cites = self.cited(&def.citation);
        let owner = Dep::Decision(DecisionId(index as u32));
        let value_ty = match (&ty, policy) {
            (Type::List(inner), Policy::Collect) => (**inner).clone(),
            (Type::Error, _) => Type::Error,
            _ => ty.clone(),
        };
        let default = d
            .default
            .as_ref()
            .map(|e| self.typed(&ruleset, owner, &decision_cites, e, &ty, "the default"));
        let met_by = self.met_by(&ruleset, d.met_by.as_ref(), &ty);
        let applies = lines.iter().map(|a| {
            self.deps
                .entry(owner)
                .or_default()
                .push((Dep::Def(a.def), a.at));
            Applicability {
                def: a.def,
                citation: self
                    .defs
                    .get(a.def.index())
                    .and_then(|d| d.citation.clone()),
                otherwise: a.decl.otherwise.as_str().into(),
            }
        });
        let applies: Vec<Applicability> = applies.collect();
        // Rule names, then overrides.
        let mut names: HashMap<&str, usize> = HashMap::new();
        for (i, r) in d.rules.iter().enumerate() {
            if let Some(first) = names.get(r.name.name.as_str()) {
                let first_span = d.rules.get(*first).map(|r| r.name.span).unwrap_or_default();
                self.duplicate("rule", &r.name, first_span);
            } else {
                names.insert(&r.name.name, i);
            }
        }
        let mut direct: Vec<Vec<usize>> = vec![Vec::new(); d.rules.len()];
        for (i, r) in d.rules.iter().enumerate() {
            for o in &r.overrides {
                match names.get(o.name.as_str()) {
                    Some(&j) if j == i => {
                        self.error(
                            o.span,
                            format!("exception `{}` overrides itself", r.name.name),
                        );
                    }
                    Some(&j) => {
                        if let Some(list) = direct.get_mut(i) {
                            list.push(j);
                        }
                    }
                    None => {
                        let elsewhere = self
                            .decision_asts
                            .iter()
                            .filter(|(other, _, _)| !std::ptr::eq(*other, d))
                            .find_map(|(other, _, _)| {
                                other
                                    .rules
                                    .iter()
                                    .any(|x| x.name.name == o.name)
                                    .then(|| other.name.name.clone())
                            });
                        let help = match elsewhere {
                            Some(other) => format!(
                                "`{}` is a rule of decision `{other}`; an exception sets aside rules of its own decision only",
                                o.name
                            ),
                            None => match did_you_mean(&o.name, names.keys().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!("the rules of `{}` are: {}", d.name.name, rule_list(d)),
                            },
                        };
                        self.error(
                            o.span,
                            format!("`{}` is not a rule of decision `{}`", o.name, d.name.name),
                        )
                        .help = Some(help);
                    }
                }
            }
        }
        let closure = match override_closure(&direct) {
            Ok(c) => c,
            Err(cycle) => {
                let names: Vec<String> = cycle
                    .iter()
                    .filter_map(|i| d.rules.get(*i))
                    .map(|r| format!("`{}`", r.name.name))
                    .collect();
                let span = cycle
                    .first()
                    .and_then(|i| d.rules.get(*i))
                    .map(|r| r.name.span)
                    .unwrap_or(d.name.span);
                self.error(
                    span,
                    format!(
                        "exceptions override each other in a cycle: {}",
                        names.join(" → ")
                    ),
                )
                .help = Some(
                    "an exception must not, directly or through others, set aside itself".into(),
                );
                vec![Vec::new(); d.rules.len()]
            }
        };
        let mut rules = Vec::new();
        for (i, r) in d.rules.iter().enumerate() {
            let citation = self.citation(&r.citation);
            // A time limit in the rule follows the computation of the act it
            // cites (else of the act its decision cites).
            let cites = match self.cited(&citation) {
                own if !own.sources.is_empty() || own.unresolved => own,
                _ => decision_cites.clone(),
            };
            let when = self.typed(&ruleset, owner, &cites, &r.when, &Type::Bool, "a condition");
            let then = self.typed(
                &ruleset,
                owner,
                &cites,
                &r.then,
                &value_ty,
                "the rule's value",
            );
            let validity = if r.in_force.is_some() {
                self.validity(r.in_force.as_ref())
            } else {
                decision_validity
            };
            let met_by = match &r.met_by {
                Some(m) => self.met_by(&ruleset, Some(m), &ty),
                None => met_by.clone(),
            };
            rules.push(RuleDef {
                json: Arc::from(""),
                name: r.name.name.as_str().into(),
                key: format!("{ruleset}.{}", r.name.name).into(),
                is_exception: r.is_exception,
                citation,
                doc: doc_text(&r.doc).into(),
                validity,
                own_validity: r.in_force.is_some(),
                overrides: closure.get(i).cloned().unwrap_or_default(),
                met_by,
                when,
                then,
                span: r.name.span,
            });
        }
        if let Some(def) = self.decisions.get_mut(index) {
            def.default = default;
            def.met_by = met_by;
            def.applies = applies;
            def.has_exceptions = rules.iter().any(|r| !r.overrides.is_empty());
            def.rules = rules;
        }
    }

    /// A `met by` clause of a decision of type `ty`: each fact checked as
    /// a date field of the case record, its `owed when` as a truth.
    fn met_by(&mut self, ruleset: &str, m: Option<&ast::MetBy>, ty: &Type) -> MetBy {
        let Some(m) = m else {
            return MetBy::default();
        };
        if !matches!(ty.base(), Type::Date | Type::Error) {
            let word = self.type_word(ty);
            self.error(
                m.span,
                format!("`met by` is for a time limit, but this decision is {word}"),
            )
            .help = Some(
                "a time limit is a decision of type `date`, met by the date its act was done"
                    .into(),
            );
            return MetBy::default();
        }
        // Not the decision's own reading: what meets its time limit is read
        // beside it, never by its rules.
        let owner = Dep::Def(DefId(u32::MAX));
        let owed = m.owed.as_ref().map(|e| {
            self.typed(
                ruleset,
                owner,
                &Cites::default(),
                e,
                &Type::Bool,
                "`owed when`",
            )
        });
        let mut facts = Vec::new();
        for e in &m.facts {
            let n = self.untyped(ruleset, owner, &Cites::default(), e);
            if n.ty == Type::Error {
                continue;
            }
            if !crate::check::ir::is_input_path(&n) {
                self.error(
                    e.span,
                    "`met by` names a fact of the case record, such as `application.registered_on`",
                )
                .help = Some(
                    "a time limit is met by the date its act was done, as the record holds it; a def, decision or computed value cannot say that".into(),
                );
            } else if !matches!(n.ty.base(), Type::Date) {
                let word = self.type_word(&n.ty);
                self.error(
                    e.span,
                    format!("the date an act was done is a date, but this is {word}"),
                );
            } else {
                facts.push(n);
            }
        }
        MetBy { facts, owed }
    }

    // ------------------------------------------------------------ cycles and usage

    fn dep_name(&self, dep: Dep) -> String {
        match dep {
            Dep::Def(id) => self
                .defs
                .get(id.index())
                .map(|d| format!("{}.{}", d.ruleset, d.name))
                .unwrap_or_default(),
            Dep::Decision(id) => self
                .decisions
                .get(id.index())
                .map(DecisionDef::key)
                .unwrap_or_default(),
        }
    }

    fn dep_span(&self, dep: Dep) -> Span {
        match dep {
            Dep::Def(id) => self
                .defs
                .get(id.index())
                .map(|d| d.span)
                .unwrap_or_default(),
            Dep::Decision(id) => self
                .decisions
                .get(id.index())
                .map(|d| d.span)
                .unwrap_or_default(),
        }
    }

    fn check_cycles(&mut self) {
        // Iterative DFS with colours; each cycle is reported once, at its first
        // member. A node is done once all it depends on is: the decisions in
        // that order are `decision_order`.
        let mut nodes: Vec<Dep> = (0..self.defs.len() as u32)
            .map(|i| Dep::Def(DefId(i)))
            .collect();
        nodes.extend((0..self.decisions.len() as u32).map(|i| Dep::Decision(DecisionId(i))));
        let mut colour: HashMap<Dep, u8> = HashMap::new();
        let mut reported: HashSet<Vec<Dep>> = HashSet::new();
        for start in nodes {
            if colour.get(&start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(Dep, usize)> = vec![(start, 0)];
            colour.insert(start, 1);
            while let Some((node, next)) = stack.last().copied() {
                let edges = self.deps.get(&node).cloned().unwrap_or_default();
                if let Some((target, _)) = edges.get(next) {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match colour.get(target).copied().unwrap_or(0) {
                        0 => {
                            colour.insert(*target, 1);
                            stack.push((*target, 0));
                        }
                        1 => {
                            let pos = stack.iter().position(|(n, _)| n == target).unwrap_or(0);
                            let mut cycle: Vec<Dep> = stack
                                .get(pos..)
                                .unwrap_or(&[])
                                .iter()
                                .map(|(n, _)| *n)
                                .collect();
                            let mut key = cycle.clone();
                            key.sort();
                            if reported.insert(key) {
                                cycle.push(*target);
                                let names: Vec<String> = cycle
                                    .iter()
                                    .map(|d| format!("`{}`", self.dep_name(*d)))
                                    .collect();
                                let span = self.dep_span(*target);
                                self.error(
                                    span,
                                    format!(
                                        "`{}` depends on itself: {}",
                                        self.dep_name(*target),
                                        names.join(" → ")
                                    ),
                                )
                                .help = Some(
                                    "definitions and decisions must not refer back to themselves"
                                        .into(),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour.insert(node, 2);
                    if let Dep::Decision(id) = node {
                        self.decision_order.push(id);
                    }
                    stack.pop();
                }
            }
        }
    }

    fn unused(&mut self) {
        for (i, input) in self.inputs.clone().iter().enumerate() {
            if !self.used_inputs.contains(&InputId(i as u32)) {
                let span = self.input_spans.get(i).copied().unwrap_or_default();
                self.warn(
                    span,
                    format!("input `{}` is never used", input.name),
                    "remove it, or use it in a rule",
                );
            }
        }
        let locals: Vec<(Local, Span, String)> = self
            .rulesets
            .iter()
            .flat_map(|(rs, items)| {
                items
                    .iter()
                    .map(move |(n, (l, s))| (*l, *s, format!("{rs}.{n}")))
            })
            .collect();
        for (local, span, name) in locals {
            let what = match local {
                Local::Param(_) => "param",
                Local::Def(_) => "def",
                Local::Decision(_) => continue,
            };
            if !self.used_locals.contains(&local) {
                self.warn(
                    span,
                    format!("{what} `{name}` is never used"),
                    "remove it, or use it in a rule",
                );
            }
        }
        for d in self.decisions.clone() {
            if d.citation.is_none() {
                self.warn(
                    d.span,
                    format!("decision `{}` cites no provision", d.key()),
                    "add a citation like `[APR Art. 28(1)]` after its type",
                );
            }
            for r in &d.rules {
                if r.citation.is_none() {
                    self.warn(
                        r.span,
                        format!("rule `{}` of `{}` cites no provision", r.name, d.key()),
                        "add a citation like `[APR Art. 28(1)]` after its name",
                    );
                }
            }
        }
    }
}

fn rule_list(d: &ast::DecisionDecl) -> String {
    d.rules
        .iter()
        .map(|r| format!("`{}`", r.name.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The transitive closure of the direct override edges, or a cycle.
fn override_closure(direct: &[Vec<usize>]) -> Result<Vec<Vec<usize>>, Vec<usize>> {
    let n = direct.len();
    let mut closure = Vec::with_capacity(n);
    for start in 0..n {
        let mut seen = vec![false; n];
        let mut stack: Vec<usize> = direct.get(start).cloned().unwrap_or_default();
        let mut order = Vec::new();
        while let Some(x) = stack.pop() {
            if x == start {
                // A path leads back: report the direct edges that form the cycle.
                let mut cycle = vec![start];
                cycle.extend(
                    direct
                        .get(start)
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .take(1),
                );
                return Err(cycle);
            }
            if seen.get(x).copied().unwrap_or(true) {
                continue;
            }
            if let Some(s) = seen.get_mut(x) {
                *s = true;
            }
            order.push(x);
            stack.extend(direct.get(x).cloned().unwrap_or_default());
        }
        order.sort_unstable();
        closure.push(order);
    }
    Ok(closure)
}

/// A rule as explanations' JSON names it: `{"kind":…,"name":…,"citation":…,
/// "doc":…}` (citation and doc where it has them).
fn rule_json(r: &RuleDef) -> String {
    let kind = if r.is_exception { "exception" } else { "rule" };
    let mut out = Vec::new();
    let mut m = crate::json::Obj::new(&mut out);
    m.str("kind", kind);
    named_json(&mut m, "name", &r.name, &r.citation, &r.doc);
    m.end();
    String::from_utf8(out).unwrap_or_default()
}

/// How a decision's explanation starts in JSON: `"decision":…,"citation":…,
/// "doc":…` (citation and doc where it has them), without the braces.
fn decision_json_head(d: &DecisionDef) -> String {
    let mut out = Vec::new();
    let mut m = crate::json::Obj::new(&mut out);
    named_json(&mut m, "decision", &d.key, &d.citation, &d.doc);
    // (Without the opening brace: the object is not ended.)
    String::from_utf8(out.split_off(1)).unwrap_or_default()
}

/// A rule's or decision's name under `key`, its citation and its doc, where
/// it has them.
fn named_json(
    m: &mut crate::json::Obj,
    key: &str,
    name: &str,
    citation: &Option<Citation>,
    doc: &str,
) {
    m.str(key, name);
    if let Some(c) = citation {
        m.json("citation", &c.json);
    }
    if !doc.is_empty() {
        m.str("doc", doc);
    }
}
