//! `lsa serve`, started on an ephemeral localhost port and exercised over
//! HTTP: every route, bad input, the law in every response, the access
//! log, reloading (a broken law is refused) and stopping on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use crate::common::{copy_tree, lsa, lsa_command, repo, scratch, stdout};

/// A running server, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    port: u16,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub(crate) fn start(extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = lsa_command(&repo(), &args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().expect("the server stopped").unwrap();
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                break digits.parse().unwrap();
            }
        };
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Server { child, port, log }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// One request; the status, headers (lower case) and body.
    pub(crate) fn call(&self, method: &str, path: &str, content_type: &str, body: &[u8]) -> Answer {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        Answer::parse(&raw)
    }

    fn get(&self, path: &str) -> Answer {
        self.call("GET", path, "text/plain", b"")
    }

    /// A POST of a YAML body.
    fn post_yaml(&self, path: &str, body: &str) -> Answer {
        self.call("POST", path, "application/yaml", body.as_bytes())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    fn parse(raw: &[u8]) -> Answer {
        let text = String::from_utf8_lossy(raw).to_string();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v == "chunked");
        let body = if chunked {
            let mut out = String::new();
            let mut rest = rest;
            while let Some((size, after)) = rest.split_once("\r\n") {
                let n = usize::from_str_radix(size.trim(), 16).unwrap();
                if n == 0 {
                    break;
                }
                out.push_str(&after[..n]);
                rest = &after[n + 2..];
            }
            out
        } else {
            rest.to_string()
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

const EXAMPLE: &str = "tests/examples/border-low-recognition.yaml";

#[test]
fn every_route_answers_with_the_law_and_bad_input_gets_4xx() {
    let server = Server::start(&["--max-body-bytes", "65536"]);
    // /v1/check with YAML, as `curl -d @file` sends it: line ends dropped.
    // The example is a flow mapping, so it survives.
    let flat = |t: &str| t.replace(['\n', '\r'], "");
    let yaml = flat(&std::fs::read_to_string(repo().join(EXAMPLE)).unwrap());
    // A block mapping does not: 422, with a hint to send it whole.
    let block =
        std::fs::read_to_string(repo().join("tests/examples/unaccompanied-minor.yaml")).unwrap();
    let a = server.call(
        "POST",
        "/v1/check",
        "application/yaml",
        flat(&block).as_bytes(),
    );
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.json()["hint"].as_str().unwrap().contains("--data-binary"));
    let a = server.call("POST", "/v1/check", "application/yaml", block.as_bytes());
    assert_eq!(a.status, 200, "{}", a.body);
    // A body that is not UTF-8 is refused, saying so; UTF-16 by its name.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(block.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let b = server.call("POST", "/v1/check", "application/yaml", &utf16);
    assert_eq!(b.status, 400, "{}", b.body);
    assert!(
        b.json()["error"].as_str().unwrap().contains("UTF-16"),
        "{}",
        b.body
    );
    let b = server.call(
        "POST",
        "/v1/diff?on=2026-07-01&vs=2027-03-01",
        "application/yaml",
        &utf16,
    );
    assert_eq!(b.status, 400, "{}", b.body);
    assert!(
        b.json()["error"].as_str().unwrap().contains("UTF-16"),
        "{}",
        b.body
    );
    // Streamed, /v1/batch says it in the first line's error object.
    let b = server.call("POST", "/v1/batch", "application/x-ndjson", &utf16);
    let first: serde_json::Value = serde_json::from_str(b.body.lines().next().unwrap()).unwrap();
    let said = first["errors"][0]["message"].as_str().unwrap();
    assert!(said.contains("UTF-16"), "{}", b.body);
    let b = server.call("POST", "/v1/check", "application/yaml", b"case: \xff\n");
    assert_eq!(
        (b.status, b.json()["error"].as_str()),
        (400, Some("the body is not UTF-8"))
    );
    // A body as Windows tools write it, with a byte order mark: the same.
    let marked = format!("\u{feff}{block}");
    let b = server.call("POST", "/v1/check", "application/yaml", marked.as_bytes());
    assert_eq!(
        (b.status, b.json()["outcomes"].clone()),
        (200, a.json()["outcomes"].clone())
    );
    let a = server.call("POST", "/v1/check", "application/yaml", yaml.as_bytes());
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.header("x-lsa-law").unwrap().starts_with("sha256:"));
    assert_eq!(a.header("x-lsa-version"), Some(env!("CARGO_PKG_VERSION")));
    let served = a.json();
    let cli: serde_json::Value =
        serde_json::from_str(&stdout(&lsa(&["check", "--format", "json", EXAMPLE]))).unwrap();
    assert_eq!(served["law"]["hash"], cli["law"]["hash"]);
    for (key, o) in cli["outcomes"].as_object().unwrap() {
        for field in ["status", "value", "rule", "citation", "label"] {
            assert_eq!(served["outcomes"][key][field], o[field], "{key}.{field}");
        }
    }
    // Explanations and Lithuanian on request.
    let a = server.call(
        "POST",
        "/v1/check?explain=true&lang=lt",
        "application/yaml",
        yaml.as_bytes(),
    );
    let j = a.json();
    assert!(j["outcomes"]["procedure.track"]["explanation"].is_object());
    assert_eq!(
        j["outcomes"]["procedure.track"]["label"],
        "Nagrinėjimo procedūra"
    );
    // Invalid record: 422 with the error objects of batch.
    let a = server.call(
        "POST",
        "/v1/check",
        "application/json",
        br#"{"case":"X-1","applicant":{"nationalty":"PAK"}}"#,
    );
    assert_eq!(a.status, 422);
    let j = a.json();
    assert_eq!(j["status"], "invalid");
    assert_eq!(j["case"], "X-1");
    assert_eq!(j["errors"][0]["path"], "applicant.nationalty");
    // Too large: 413, even before reading it all.
    let a = server.call("POST", "/v1/check", "application/json", &vec![b' '; 70_000]);
    assert_eq!(a.status, 413);
    // Bad parameters: 400.
    assert_eq!(
        server
            .call(
                "POST",
                "/v1/check?lang=fr",
                "application/yaml",
                yaml.as_bytes()
            )
            .status,
        400
    );
    // Unknown route: 404, in JSON, with the law.
    let a = server.get("/v2/nothing");
    assert_eq!(a.status, 404);
    assert!(a.json()["law"]["hash"].is_string());
    // A route asked with a method it does not take: 405, in JSON too,
    // saying which methods it takes.
    let a = server.get("/v1/check");
    assert_eq!(a.status, 405);
    assert_eq!(a.header("allow"), Some("POST"));
    assert_eq!(
        a.json()["error"],
        "`/v1/check` does not take GET (see /v1/openapi.json)"
    );
    assert!(a.json()["law"]["hash"].is_string());
    let a = server.call("POST", "/healthz", "text/plain", b"");
    assert_eq!((a.status, a.header("allow")), (405, Some("GET,HEAD")));

    // Batch: JSON Lines in and out, a bad line in its place.
    let batch = |input: String| -> Vec<serde_json::Value> {
        let a = server.call(
            "POST",
            "/v1/batch",
            "application/x-ndjson",
            input.as_bytes(),
        );
        assert_eq!(a.status, 200);
        let lines: Vec<serde_json::Value> = a
            .body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "{}", a.body);
        lines
    };
    let line = serde_json::to_string(&served_input(&yaml)).unwrap();
    let lines = batch(format!("{line}\nnot json\n{line}\n"));
    assert_eq!(lines[0]["case"], "LT-2026-000123");
    assert_eq!(lines[1]["status"], "invalid");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["outcomes"], lines[0]["outcomes"]);
    // A line past the limit (1 MiB) is an error in its place; the lines
    // after it are read as usual.
    let long = format!("{{\"x\": \"{}\"}}", "a".repeat((1 << 20) + 10));
    let lines = batch(format!("{line}\n{long}\n{line}\n"));
    assert_eq!(lines[1]["line"], 2);
    let errors = lines[1]["errors"].to_string();
    assert!(errors.contains("longer than"), "{errors}");
    assert_eq!(lines[2]["outcomes"], lines[0]["outcomes"]);

    // Diff on two dates.
    let diff = |url: &str, body: &str| {
        let a = server.call("POST", url, "application/yaml", body.as_bytes());
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()
    };
    let j = diff("/v1/diff?on=2026-07-15&vs=2027-02-01", &yaml);
    let changes = j["results"][0]["changes"].as_array().unwrap();
    assert!(changes
        .iter()
        .any(|c| c["determination"] == "reception.labour_market_access" && c["new"] == true));
    // A time limit whose act is not done becomes missed on the later date:
    // keyed `act KEY`, as `lsa diff` keys it, its states as the agenda's.
    let late =
        std::fs::read_to_string(repo().join("tests/examples/take-charge-late.yaml")).unwrap();
    let j = diff("/v1/diff?on=2026-11-02&vs=2027-02-01", &late);
    let act = (j["results"][0]["changes"].as_array().unwrap().iter())
        .find(|c| c["determination"] == "act responsibility.take_charge_reply_deadline")
        .unwrap_or_else(|| panic!("{j:#}"));
    assert_eq!(
        (&act["old"], &act["new"]),
        (&"pending".into(), &"missed".into()),
        "{act:#}"
    );
    assert!(
        act["label"].as_str().unwrap().ends_with(": the act"),
        "{act:#}"
    );
    assert_eq!(
        server
            .call("POST", "/v1/diff", "application/yaml", yaml.as_bytes())
            .status,
        400
    );
    // What if: the case as recorded against the case with a fact set
    // (Lithuania's adequate capacity reached, APR Art. 48): the border
    // procedure no longer mandatory.
    let a = server.call(
        "POST",
        "/v1/diff?set=context.border_capacity_reached%3Dtrue",
        "application/yaml",
        yaml.as_bytes(),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let j = a.json();
    assert_eq!(
        j["set"],
        serde_json::json!(["context.border_capacity_reached=true"])
    );
    let changes = j["results"][0]["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["determination"] == "procedure.track"
                && c["old"] == "border"
                && c["new"] == "accelerated"),
        "{changes:?}"
    );
    // A path the record does not have, and dates with facts: refused.
    for (query, says) in [
        (
            "/v1/diff?set=context.border_capacity%3Dtrue",
            "`context` has no field `border_capacity`",
        ),
        (
            "/v1/diff?set=context.border_capacity_reached%3Dtrue&on=2026-07-15&vs=2027-02-01",
            "not both",
        ),
    ] {
        let a = server.call("POST", query, "application/yaml", yaml.as_bytes());
        assert_eq!(a.status, 400, "{query}: {}", a.body);
        assert!(a.body.contains(says), "{query}: {}", a.body);
    }

    // Schema, law, health, metrics, OpenAPI: and the OpenAPI document lists
    // exactly the routes there are, each answering.
    assert_eq!(server.get("/v1/schema").json()["title"], "lsa case record");
    let j = server.get("/v1/law").json();
    assert_eq!(
        j["decisions"].as_array().unwrap().len(),
        crate::common::shipped().decisions.len()
    );
    assert_eq!(
        j["decisions"][0]["label"]["lt"],
        "Ar asmenį galima perkelti į Lietuvą"
    );
    // For a time limit, the facts that meet it, by rule: the examination's
    // regular rule by the first-instance decision, its border rule by none.
    // The entry of list `list` (decisions, params) with key `key`.
    let entry = |list: &str, key: &str| {
        j[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["key"] == key)
            .unwrap()
            .clone()
    };
    let decision = |key: &str| entry("decisions", key);
    let examination = decision("procedure.examination_deadline");
    assert_eq!(
        examination["met_by"],
        serde_json::json!({
            "procedure.accelerated": ["application.first_instance_decision_on"],
            "procedure.extended": ["application.first_instance_decision_on"],
            "procedure.postponed": ["application.first_instance_decision_on"],
            "procedure.regular": ["application.first_instance_decision_on"]
        })
    );
    assert_eq!(j["decisions"][0].get("met_by"), None);
    // The params, each value with the day from which it applies: a period,
    // and a national choice.
    let param = |key: &str| entry("params", key);
    assert_eq!(
        param("procedure.regular_period")["values"],
        serde_json::json!([{ "from": "2026-06-12", "value": "6 months" }])
    );
    let security = param("procedure.accelerate_minors_security");
    assert_eq!(security["citation"], "APR Art. 42(3)(b)");
    assert_eq!(
        security["values"],
        serde_json::json!([{ "from": "2026-06-12", "value": true }])
    );
    assert_eq!(
        j["params"].as_array().unwrap().len(),
        crate::common::shipped().params.len()
    );
    // The examination on the merits is owed only where no other Member
    // State is responsible (APR Art. 39(1)(a)); the border procedure's
    // weeks name no act.
    for rule in [
        "procedure.accelerated",
        "procedure.regular",
        "procedure.extended",
        "procedure.postponed",
    ] {
        assert_eq!(
            examination["owed_when"][rule],
            "not another_member_state_responsible"
        );
    }
    assert_eq!(examination["owed_when"].get("procedure.border"), None);
    // And where the act is owed only in some cases, the condition.
    let request = decision("responsibility.take_charge_request_deadline");
    for rule in [
        "responsibility.from_registration",
        "responsibility.from_hit",
        "responsibility.crisis",
    ] {
        assert_eq!(
            request["met_by"][rule],
            serde_json::json!(["responsibility.take_charge_requested_on"])
        );
        assert_eq!(request["owed_when"][rule], "take_charge_request_owed");
    }
    let warnings = j["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), crate::common::shipped().warnings.len());
    assert_eq!(warnings[0]["key"], "case.registered_before_made");
    assert_eq!(warnings[0]["citation"], "APR Art. 27(1)");
    assert_eq!(
        warnings[0]["label"]["en"],
        "The application is registered before it was made: check both dates"
    );
    assert_eq!(server.get("/healthz").body, "ok\n");
    let openapi = server.get("/v1/openapi.json").json();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in openapi["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut routes: Vec<(String, String)> = lsa::serve::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    routes.sort();
    assert_eq!(documented, routes);
    for (method, path) in &routes {
        let a = server.call(
            &method.to_uppercase(),
            path,
            "application/yaml",
            yaml.as_bytes(),
        );
        assert_ne!(a.status, 404, "{method} {path}");
        assert_ne!(a.status, 405, "{method} {path}");
    }
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("lsa_requests_total{route=\"/v1/check\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("lsa_outcomes_total{status=\"determined\"}"),
        "{metrics}"
    );

    // The access log: one JSON line per request, the case id, no record data.
    let log = server.log();
    let requests: Vec<serde_json::Value> = log
        .iter()
        .filter(|l| l.starts_with('{') && l.contains("\"method\""))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(requests.len() >= 15, "{log:?}");
    assert!(requests
        .iter()
        .any(|r| r["case"] == "LT-2026-000123" && r["status"] == 200));
    assert!(
        !log.iter()
            .any(|l| l.contains("PAK") || l.contains("1996-03-02")),
        "personal data logged"
    );
}

/// The YAML example as a JSON value (for a batch line).
fn served_input(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).unwrap()
}

#[cfg(unix)]
#[test]
fn a_broken_law_is_refused_on_reload_and_a_good_one_taken() {
    let dir = scratch("serve-reload");
    copy_tree(&repo().join("rules"), &dir.join("rules"));
    let server = Server::start(&["--rules", dir.join("rules").to_str().unwrap()]);
    let hash = || {
        server.get("/v1/law").json()["law"]["hash"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = hash();
    let hup = || {
        std::process::Command::new("kill")
            .args(["-HUP", &server.child.id().to_string()])
            .status()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
    };
    // Broken: refused, the old law keeps serving, the log says why.
    let file = dir.join("rules/eu/apr/procedure.rules");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("then border", "then bordr")).unwrap();
    hup();
    assert_eq!(hash(), first);
    assert_eq!(server.get("/healthz").status, 200);
    let log = server.log().join("\n");
    assert!(
        log.contains("\"result\":\"refused\"") && log.contains("bordr"),
        "{log}"
    );
    // Amended: taken.
    std::fs::write(
        &file,
        good.replace("from 2026-06-12 = 21 days", "from 2026-06-12 = 14 days"),
    )
    .unwrap();
    hup();
    assert_ne!(hash(), first);
    assert!(server.log().join("\n").contains("\"result\":\"ok\""));
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut server = Server::start(&[]);
    assert_eq!(server.get("/healthz").status, 200);
    std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

/// `POST /v1/agenda` gives what `lsa agenda --format json` gives for the
/// same case and window; JSON Lines with an invalid line give the others'
/// agenda and the line's error object (422); a window that ends before it
/// starts, or a date that is none, is refused (400).
#[test]
fn the_agenda_over_http_is_the_one_of_lsa_agenda() {
    let server = Server::start(&[]);
    let window = ["--from", "2026-09-01", "--to", "2026-09-30"];
    let yaml = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let a = server.post_yaml("/v1/agenda?from=2026-09-01&to=2026-09-30&lang=lt", &yaml);
    assert_eq!(a.status, 200, "{}", a.body);
    let cli = command_json(&[&["agenda", EXAMPLE, "--lang", "lt"][..], &window].concat());
    let served = a.json();
    for key in ["from", "to", "cases", "dates", "open", "missed", "invalid"] {
        assert_eq!(served[key], cli[key], "{key}");
    }
    let dates: Vec<&str> = served["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["value"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-09-03", "2026-09-25"]);
    // `open`, as `--open`: the time limits done left out, the past ones apart.
    let window = ["--from", "2026-07-01", "--to", "2026-07-31"];
    let o = server.post_yaml("/v1/agenda?from=2026-07-01&to=2026-07-31&open", &yaml);
    assert_eq!(o.status, 200, "{}", o.body);
    let cli = command_json(&[&["agenda", EXAMPLE, "--open"][..], &window].concat());
    let all = command_json(&[&["agenda", EXAMPLE][..], &window].concat());
    for key in ["dates", "missed", "open"] {
        assert_eq!(o.json()[key], cli[key], "{key}");
    }
    assert!(
        cli["dates"].as_array().unwrap().len() < all["dates"].as_array().unwrap().len(),
        "{all}"
    );
    // JSON Lines: an invalid line in the middle.
    let line = serde_json::to_string(&served_input(&yaml)).unwrap();
    let body =
        format!("{line}\n{{\"application\": {{\"registered_on\": \"2026-13-01\"}}}}\n{line}\n");
    let b = server.call(
        "POST",
        "/v1/agenda?from=2026-09-01&to=2026-09-30",
        "application/x-ndjson",
        body.as_bytes(),
    );
    assert_eq!(b.status, 422, "{}", b.body);
    let j = b.json();
    assert_eq!(j["cases"], 3);
    assert_eq!(j["dates"].as_array().unwrap().len(), 4);
    assert_eq!(j["invalid"][0]["line"], 2);
    assert_eq!(
        j["invalid"][0]["errors"][0]["path"],
        "application.registered_on"
    );
    // One YAML record that lost its line ends: its error object says why.
    let block =
        std::fs::read_to_string(repo().join("tests/examples/unaccompanied-minor.yaml")).unwrap();
    let flat = block.replace(['\n', '\r'], "");
    let c = server.post_yaml("/v1/agenda", &flat);
    assert_eq!(c.status, 422, "{}", c.body);
    assert!(c.json()["invalid"][0]["hint"]
        .as_str()
        .unwrap()
        .contains("--data-binary"));
    for bad in [
        "/v1/agenda?from=2026-09-30&to=2026-09-01",
        "/v1/agenda?from=2026-13-01",
        "/v1/agenda?lang=de",
    ] {
        let c = server.post_yaml(bad, &yaml);
        assert_eq!(c.status, 400, "{bad}: {}", c.body);
    }
}

/// `POST /v1/check?set=PATH=VALUE`: the case as if the fact were so, with
/// `what_if` as `lsa check --set` gives it; a set the record cannot take is
/// refused (400) with the reader's words; a set percent-encoded is decoded.
#[test]
fn what_if_over_http_is_what_lsa_check_set_says() {
    let server = Server::start(&[]);
    let yaml = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let a = server.post_yaml(
        "/v1/check?lang=lt&set=applicant.unaccompanied_minor=true",
        &yaml,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let cli = command_json(&[
        "check",
        EXAMPLE,
        "--lang",
        "lt",
        "--set",
        "applicant.unaccompanied_minor=true",
    ]);
    let served = a.json();
    assert_eq!(served["what_if"], cli["what_if"]);
    // The outcomes are the case's with the fact (the command's explained).
    for (key, o) in served["outcomes"].as_object().unwrap() {
        let mut explained = cli["outcomes"][key].clone();
        explained.as_object_mut().unwrap().remove("explanation");
        assert_eq!(o, &explained, "{key}");
    }
    assert!(served["what_if"]["changes"].as_array().unwrap().len() >= 4);
    // Percent-encoded: `[`, `]` and `=` of the value.
    let b = server.post_yaml(
        "/v1/check?set=responsibility.entries%5B0%5D.on%3D2026-06-29",
        &yaml,
    );
    assert_eq!(b.status, 200, "{}", b.body);
    assert_eq!(
        b.json()["what_if"]["set"],
        serde_json::json!({ "responsibility.entries[0].on": "2026-06-29" })
    );
    for (query, says) in [
        (
            "set=applicant.famly_in_lithuania=true",
            "did you mean `family_in_lithuania`?",
        ),
        (
            "set=applicant.unaccompanied_minor",
            "give a field's path and its value",
        ),
    ] {
        let c = server.post_yaml(&format!("/v1/check?{query}"), &yaml);
        assert_eq!(c.status, 400, "{query}: {}", c.body);
        assert!(
            c.json()["error"].as_str().unwrap().contains(says),
            "{}",
            c.body
        );
    }
}

/// What a command prints with `--format json`, read.
fn command_json(args: &[&str]) -> serde_json::Value {
    let out = lsa(&[args, &["--format", "json"]].concat());
    serde_json::from_str(&stdout(&out)).unwrap()
}
