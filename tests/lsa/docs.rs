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
