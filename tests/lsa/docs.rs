//! Examples are tests: every ```lsa block of docs/language.md compiles, and
//! every ```lsa-error block fails with the message its first comment names.

use crate::common::{compile_one, rendered, repo};

fn blocks(text: &str, tag: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line.trim() == format!("```{tag}") {
            let mut body = String::new();
            for (_, l) in lines.by_ref() {
                if l.trim() == "```" {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push((n + 1, body));
        }
    }
    out
}

#[test]
fn every_example_in_the_language_reference_compiles() {
    let text = std::fs::read_to_string(repo().join("docs/language.md")).unwrap();
    let examples = blocks(&text, "lsa");
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    for (line, body) in examples {
        let c = compile_one(&format!("docs/language.md:{line}"), &body);
        assert!(
            c.program.is_some(),
            "docs/language.md line {line}:\n{}",
            rendered(&c)
        );
    }
}

#[test]
fn every_error_example_fails_as_documented() {
    let text = std::fs::read_to_string(repo().join("docs/language.md")).unwrap();
    let examples = blocks(&text, "lsa-error");
    assert!(examples.len() >= 3);
    for (line, body) in examples {
        let expected = body
            .lines()
            .find_map(|l| l.trim().strip_prefix("// error: "))
            .expect("an `// error:` line")
            .to_string();
        let c = compile_one("example.rules", &body);
        assert!(c.program.is_none(), "line {line} compiled");
        let r = rendered(&c);
        assert!(
            r.contains(&expected),
            "line {line}: expected `{expected}` in\n{r}"
        );
    }
}

#[test]
fn the_readme_commands_are_the_ones_ci_runs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(readme.contains("cargo test --locked") && ci.contains("cargo test --locked"));
    assert!(
        readme.contains("cargo run --release -- check tests/examples/border-low-recognition.yaml")
    );
    assert!(repo()
        .join("tests/examples/border-low-recognition.yaml")
        .exists());
}

/// The README's transcripts (```` ``` ```` blocks starting `$ lsa …`) are
/// what those commands print: every line shown (up to a `…`) is a line of
/// the output, in order.
#[test]
fn the_readme_transcripts_are_true() {
    let text = std::fs::read_to_string(repo().join("README.md")).unwrap();
    // Every fenced block, whatever its tag, read in order.
    let mut transcripts: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, l) in text.lines().enumerate() {
        match open.take() {
            None if l.trim_start().starts_with("```") => open = Some((n + 1, String::new())),
            None => {}
            Some(block) if l.trim() == "```" && block.1.starts_with("$ lsa ") => {
                transcripts.push(block)
            }
            Some(_) if l.trim() == "```" => {}
            Some((at, mut body)) => {
                body.push_str(l);
                body.push('\n');
                open = Some((at, body));
            }
        }
    }
    assert_eq!(transcripts.len(), 12, "{transcripts:?}");
    for (line, body) in transcripts {
        let mut lines = body.lines();
        let command = lines.next().unwrap().trim_start_matches("$ lsa ");
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = crate::common::lsa(&args);
        let printed = crate::common::stdout(&out);
        let mut printed_lines = printed.lines();
        // "…" stands for lines left out; the others appear in this order.
        for shown in lines.filter(|l| l.trim() != "…") {
            assert!(
                printed_lines.any(|p| p == shown),
                "README.md:{line}: `lsa {command}` does not print (in this order):\n{shown}\n\nit prints:\n{printed}"
            );
        }
    }
}
