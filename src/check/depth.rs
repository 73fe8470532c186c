//! How deep evaluating a def or decision can nest: its expressions' heights,
//! plus, where an expression reads another def or decision, how deep that one
//! nests. The evaluator and the explanations recurse that deep, so a program
//! nesting deeper than [`MAX_NESTING`] is refused here, with the chain named,
//! rather than overflowing the stack of `check` or `batch` (reliability
//! finding F02) or writing an explanation indented without end (F04).
//!
//! Runs on a program without cycles; linear in the size of the program.

use super::ir::{DecisionDef, DefDef, Expr, Node};
use crate::diag::{Diagnostic, Span};

/// The deepest nesting of a def or decision, counted in expression levels
/// through every def and decision it reads. Law is written a few dozen
/// levels deep; the shipped law is under 40.
pub const MAX_NESTING: usize = 512;

/// At most this many chains are reported (each names its first items).
const MAX_REPORTS: usize = 5;

/// A def (its index) or a decision (the number of defs plus its index).
type Item = usize;

/// The defs and decisions whose nesting passes [`MAX_NESTING`], each chain
/// reported once, at its top.
pub(super) fn check(defs: &[DefDef], decisions: &[DecisionDef]) -> Vec<Diagnostic> {
    // Per item: its own height, and each read with the level it is read at.
    let mut items: Vec<Info> = Vec::with_capacity(defs.len() + decisions.len());
    for d in defs {
        let mut info = Info::new(&d.key, d.span);
        walk(&d.body, 1, defs.len(), &mut info);
        items.push(info);
    }
    for d in decisions {
        let mut info = Info::new(&d.key, d.span);
        for node in d
            .default
            .iter()
            .chain(d.rules.iter().flat_map(|r| [&r.when, &r.then]))
        {
            walk(node, 1, defs.len(), &mut info);
        }
        for a in &d.applies {
            info.reads.push((a.def.index(), 1));
        }
        items.push(info);
    }
    let depth = depths(&items);
    let depth_of = |i: Item| depth.get(i).copied().flatten().unwrap_or(0);
    let read_depth = |&(t, level): &(Item, usize)| level.saturating_add(depth_of(t));
    // The tops of the chains too deep: not read by another item too deep.
    let mut under = vec![false; items.len()];
    for info in items
        .iter()
        .zip(&depth)
        .filter(|(_, d)| d.unwrap_or(0) > MAX_NESTING)
    {
        for &(t, _) in &info.0.reads {
            if let Some(u) = under.get_mut(t) {
                *u = true;
            }
        }
    }
    let name = |i: Item| items.get(i).map_or("", |info| info.key);
    items
        .iter()
        .enumerate()
        .filter(|&(i, _)| depth_of(i) > MAX_NESTING && !under.get(i).copied().unwrap_or(false))
        .take(MAX_REPORTS)
        .map(|(top, info)| {
            // The chain, down the deepest read each time, its first items named.
            let mut chain = vec![format!("`{}`", info.key)];
            let mut at = info;
            while let Some(&(next, _)) = at.reads.iter().max_by_key(|r| read_depth(r)) {
                if chain.len() == 4 {
                    chain.push("…".into());
                    break;
                }
                chain.push(format!("`{}`", name(next)));
                match items.get(next) {
                    Some(i) => at = i,
                    None => break,
                }
            }
            Diagnostic::error(
                info.span,
                format!(
                    "`{}` nests too deeply: {} levels through the definitions and decisions it uses ({}); lsa evaluates at most {MAX_NESTING}",
                    info.key,
                    depth_of(top),
                    chain.join(" → ")
                ),
            )
            .with_help("law is not written this deep: shorten the chain, or check that each def reads the one intended")
        })
        .collect()
}

/// What one def or decision nests: its own height and what it reads.
struct Info<'a> {
    key: &'a str,
    span: Span,
    height: usize,
    /// Each def or decision read, with the level it is read at.
    reads: Vec<(Item, usize)>,
}

impl<'a> Info<'a> {
    fn new(key: &'a str, span: Span) -> Info<'a> {
        Info {
            key,
            span,
            height: 0,
            reads: Vec::new(),
        }
    }
}

/// Each item's deepest nesting, by an iterative depth-first walk (there are
/// no cycles here; an item on a cycle would be left `None`).
fn depths(items: &[Info]) -> Vec<Option<usize>> {
    let mut depth: Vec<Option<usize>> = vec![None; items.len()];
    let mut on_stack = vec![false; items.len()];
    for start in 0..items.len() {
        if depth.get(start).copied().flatten().is_some() {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        if let Some(s) = on_stack.get_mut(start) {
            *s = true;
        }
        while let Some(&(item, next)) = stack.last() {
            let Some(info) = items.get(item) else {
                stack.pop();
                continue;
            };
            match info.reads.get(next) {
                Some(&(target, _)) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    let seen = depth.get(target).copied().flatten().is_some();
                    // (A target already on the stack is a cycle: not followed.)
                    if let Some(s) = on_stack.get_mut(target).filter(|s| !seen && !**s) {
                        *s = true;
                        stack.push((target, 0));
                    }
                }
                None => {
                    let through = info
                        .reads
                        .iter()
                        .map(|&(t, level)| {
                            level.saturating_add(depth.get(t).copied().flatten().unwrap_or(0))
                        })
                        .max()
                        .unwrap_or(0);
                    if let Some(d) = depth.get_mut(item) {
                        *d = Some(info.height.max(through));
                    }
                    if let Some(s) = on_stack.get_mut(item) {
                        *s = false;
                    }
                    stack.pop();
                }
            }
        }
    }
    depth
}

/// The height of `node` (at `level`), and every def and decision it reads,
/// with the level of the read, into `info`. Recursion bounded by the
/// parser's height limit.
fn walk(node: &Node, level: usize, defs: usize, info: &mut Info) {
    info.height = info.height.max(level);
    match &node.kind {
        Expr::Def(id) => info.reads.push((id.index(), level)),
        Expr::Decision(id) => info.reads.push((defs + id.index(), level)),
        _ => {
            for child in node.children() {
                walk(child, level + 1, defs, info);
            }
        }
    }
}
