//! `lsa serve`: decisions over HTTP for case-management systems. One
//! compiled law shared by every request (reloaded on SIGHUP; a law that does
//! not compile is refused and the old one kept), the contract's JSON in and
//! out, every response naming the law. Bounded everywhere: request bodies,
//! time per request, requests at once; `/v1/batch` streams both ways.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::StreamExt;
use serde_json::{json, Value as Json};

use crate::check::Program;
use crate::explain::{self, AsOf, AsOfFrom};
use crate::lang::Lang;
use crate::record::{self, Format, Invalid};

/// How the server is bounded.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest request body of `/v1/check` and `/v1/diff`.
    pub max_body: usize,
    /// The longest line of `/v1/batch`.
    pub max_line: usize,
    /// The longest a request may take.
    pub timeout: Duration,
    /// Requests evaluated at once (others wait, up to the timeout).
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body: 1 << 20,
            max_line: 1 << 20,
            timeout: Duration::from_secs(30),
            concurrency: 64,
        }
    }
}

/// Where the law comes from, so it can be read again.
pub type Loader = Arc<dyn Fn() -> Result<Program, String> + Send + Sync>;

/// Every route: (method, path), as the OpenAPI document lists them.
pub const ROUTES: [(&str, &str); 9] = [
    ("post", "/v1/check"),
    ("post", "/v1/batch"),
    ("post", "/v1/diff"),
    ("post", "/v1/agenda"),
    ("get", "/v1/schema"),
    ("get", "/v1/law"),
    ("get", "/v1/openapi.json"),
    ("get", "/healthz"),
    ("get", "/metrics"),
];

struct Shared {
    law: RwLock<Arc<Program>>,
    loader: Loader,
    limits: Limits,
    permits: tokio::sync::Semaphore,
    metrics: Metrics,
}

type St = Arc<Shared>;

impl Shared {
    fn law(&self) -> Arc<Program> {
        match self.law.read() {
            Ok(l) => l.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// Counters for `/metrics`.
#[derive(Default)]
struct Metrics {
    /// (route, status) → requests.
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// route → latency histogram.
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Outcomes by status.
    outcomes: [AtomicU64; 5],
    reloads_ok: AtomicU64,
    reloads_refused: AtomicU64,
}

/// Counts per bucket, the sum in µs, the count.
type Histogram = ([u64; BUCKETS.len()], u64, u64);

/// Latency bucket bounds, in seconds.
const BUCKETS: [f64; 8] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5];

impl Metrics {
    fn record(&self, route: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), status)).or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            let e = m.entry(route.to_string()).or_default();
            let secs = took.as_secs_f64();
            for (i, b) in BUCKETS.iter().enumerate() {
                if secs <= *b {
                    if let Some(c) = e.0.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            e.1 += took.as_micros() as u64;
            e.2 += 1;
        }
    }

    fn outcome(&self, status: crate::eval::Status) {
        if let Some(c) = self.outcomes.get(status as usize) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The Prometheus text exposition.
    fn text(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP lsa_requests_total Requests answered, by route and status.\n# TYPE lsa_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                out.push_str(&format!(
                    "lsa_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}\n"
                ));
            }
        }
        out.push_str("# HELP lsa_request_seconds Time to answer, by route.\n# TYPE lsa_request_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (route, (buckets, sum_us, count)) in m.iter() {
                for (b, n) in BUCKETS.iter().zip(buckets) {
                    out.push_str(&format!(
                        "lsa_request_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {n}\n"
                    ));
                }
                out.push_str(&format!(
                    "lsa_request_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}\n"
                ));
                out.push_str(&format!(
                    "lsa_request_seconds_sum{{route=\"{route}\"}} {}\n",
                    *sum_us as f64 / 1e6
                ));
                out.push_str(&format!(
                    "lsa_request_seconds_count{{route=\"{route}\"}} {count}\n"
                ));
            }
        }
        out.push_str("# HELP lsa_outcomes_total Determinations made, by status.\n# TYPE lsa_outcomes_total counter\n");
        for (status, c) in crate::eval::Status::ALL.iter().zip(&self.outcomes) {
            let name = status.key();
            out.push_str(&format!(
                "lsa_outcomes_total{{status=\"{name}\"}} {}\n",
                c.load(Ordering::Relaxed)
            ));
        }
        out.push_str("# HELP lsa_law_reloads_total Reloads of the law on SIGHUP, by result.\n# TYPE lsa_law_reloads_total counter\n");
        out.push_str(&format!(
            "lsa_law_reloads_total{{result=\"ok\"}} {}\n",
            self.reloads_ok.load(Ordering::Relaxed)
        ));
        out.push_str(&format!(
            "lsa_law_reloads_total{{result=\"refused\"}} {}\n",
            self.reloads_refused.load(Ordering::Relaxed)
        ));
        out
    }
}

/// A case id a handler tells the access log (never any of the record).
#[derive(Clone)]
struct CaseId(String);

/// An answer in JSON with a status.
fn json_response(status: StatusCode, body: &Json) -> Response {
    let mut r = (status, serde_json::to_string(body).unwrap_or_default()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The answer to a body that is not UTF-8 (saying so where it is UTF-16).
fn not_utf8(body: &[u8]) -> serde_json::Value {
    if record::is_utf16(body) {
        json!({"error": format!("the body: {}", record::UTF16)})
    } else {
        json!({"error": "the body is not UTF-8"})
    }
}

/// An error answer: `{"error": …}` and the law.
fn error(program: &Program, status: StatusCode, message: &str) -> Response {
    json_response(status, &error_body(program, message))
}

fn error_body(program: &Program, message: &str) -> Json {
    json!({ "error": message, "law": explain::law_json(&program.provenance) })
}

/// The facts a request sets (`?set=PATH=VALUE`, repeatable, percent-encoded
/// where it must be), as `lsa check --set` takes them.
fn sets_of<B>(req: &axum::http::Request<B>) -> Result<Vec<(String, String)>, String> {
    let query = req.uri().query().unwrap_or("");
    let mut sets = Vec::new();
    for p in query.split('&') {
        let Some(set) = p.strip_prefix("set=") else {
            continue;
        };
        let set = percent_encoding::percent_decode_str(set)
            .decode_utf8()
            .map_err(|_| format!("`set={set}` is not UTF-8 once decoded"))?;
        sets.push(record::set_of(&set).ok_or_else(|| {
            format!(
                "`set={set}`: give a field's path and its value, as `set=applicant.family_in_lithuania=true`"
            )
        })?);
    }
    Ok(sets)
}

/// The query's parameters.
fn query<B>(req: &axum::http::Request<B>) -> BTreeMap<String, String> {
    req.uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect()
}

/// The record format a request says it sends.
fn format_of<B>(req: &axum::http::Request<B>) -> Format {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // JSON when it says so; otherwise YAML, which reads JSON too.
    if ct.contains("json") {
        Format::Json
    } else {
        Format::Yaml
    }
}

/// Reads a whole body, bounded: `Err` is the 413 or 400 to answer.
async fn body(
    program: &Program,
    req: Request,
    max: usize,
) -> Result<(Request<()>, Bytes), Response> {
    let (parts, body) = req.into_parts();
    let too_large = || {
        error(
            program,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the request body is larger than {max} bytes"),
        )
    };
    if let Some(len) = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if len > max {
            return Err(too_large());
        }
    }
    match axum::body::to_bytes(body, max).await {
        Ok(b) => Ok((Request::from_parts(parts, ()), b)),
        Err(_) => Err(too_large()),
    }
}

/// Runs CPU work off the async threads, within a permit and the timeout.
async fn work<T: Send + 'static>(
    st: &St,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    let program = st.law();
    let deadline = st.limits.timeout;
    let permit = match tokio::time::timeout(deadline, st.permits.acquire()).await {
        Ok(Ok(p)) => p,
        _ => {
            return Err(error(
                &program,
                StatusCode::SERVICE_UNAVAILABLE,
                "too many requests at once; try again",
            ))
        }
    };
    let job = tokio::task::spawn_blocking(f);
    let out = match tokio::time::timeout(deadline, job).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => Err(error(
            &program,
            StatusCode::INTERNAL_SERVER_ERROR,
            "evaluation failed",
        )),
        Err(_) => Err(error(
            &program,
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("the request took longer than {} s", deadline.as_secs()),
        )),
    };
    drop(permit);
    out
}

fn lang_of(q: &BTreeMap<String, String>) -> Result<Lang, String> {
    match q.get("lang") {
        None => Ok(Lang::En),
        Some(l) => Lang::from_code(l).ok_or_else(|| format!("`lang={l}`: lt or en")),
    }
}

fn date_of(q: &BTreeMap<String, String>, key: &str) -> Result<Option<jiff::civil::Date>, String> {
    match q.get(key) {
        None => Ok(None),
        Some(d) => crate::value::parse_date(d)
            .map(Some)
            .ok_or_else(|| format!("`{key}={d}` is not a date (YYYY-MM-DD)")),
    }
}

fn today() -> jiff::civil::Date {
    crate::cli::today()
}

/// The error object of an invalid record, as `lsa batch` writes it.
fn invalid_json(
    program: &Program,
    text: &str,
    format: Format,
    e: &Invalid,
    line: Option<usize>,
) -> Json {
    let case = record::case_id(text, format);
    let mut j = explain::error_json(program, case, line, None, "invalid", &e.0);
    if let Some(m) = j.as_object_mut() {
        if line.is_none() && format == Format::Yaml && lost_line_ends(text) {
            m.insert(
                "hint".into(),
                json!("the body has no line ends, so its YAML cannot be read: `curl -d` drops them; send the file with `curl --data-binary @file`"),
            );
        }
    }
    j
}

/// A YAML body that lost its line ends on the way: more than one `key:` on
/// its one line, as `curl -d @file` leaves a block mapping.
fn lost_line_ends(text: &str) -> bool {
    let t = text.trim();
    !t.contains('\n') && !t.starts_with('{') && t.matches(": ").count() > 1
}

/// The options of `/v1/check` and `/v1/batch`: `lang`, `as_of`, `explain`.
struct Opts {
    lang: Lang,
    as_of: Option<jiff::civil::Date>,
    explain: bool,
}

fn opts<B>(req: &axum::http::Request<B>) -> Result<Opts, String> {
    let q = query(req);
    Ok(Opts {
        lang: lang_of(&q)?,
        as_of: date_of(&q, "as_of")?,
        explain: flag_of(&q, "explain"),
    })
}

/// A switch of the query: on if given alone, `true` or `1`.
fn flag_of(q: &BTreeMap<String, String>, key: &str) -> bool {
    matches!(q.get(key).map(String::as_str), Some("true" | "1" | ""))
}

/// `POST /v1/check`: one case record → the contract's JSON for it.
async fn check(State(st): State<St>, req: Request) -> Response {
    let program = st.law();
    let (lang, as_of, explain, sets) = match (opts(&req), sets_of(&req)) {
        (Ok(o), Ok(sets)) => (o.lang, o.as_of, o.explain, sets),
        (Err(e), _) | (_, Err(e)) => return error(&program, StatusCode::BAD_REQUEST, &e),
    };
    let (req, bytes) = match body(&program, req, st.limits.max_body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let format = format_of(&req);
    let st2 = st.clone();
    let result = work(&st, move || {
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t,
            Err(_) => return (StatusCode::BAD_REQUEST, not_utf8(&bytes), None),
        };
        match record::read(&program, text, format, "request") {
            Ok(rec) if !sets.is_empty() => {
                // What if: the case with the facts set, and what they change.
                let case = rec.id.clone().unwrap_or_else(|| "request".into());
                let (changed, set) =
                    match record::read_with(&program, text, format, "request", &sets, lang) {
                        Ok(r) => r,
                        Err(m) => {
                            return (
                                StatusCode::BAD_REQUEST,
                                error_body(&program, &m),
                                Some(case),
                            )
                        }
                    };
                let (after, what_if) = explain::evaluate_what_if(
                    &program,
                    case.clone(),
                    (&rec.inputs, rec.as_of),
                    (&changed.inputs, changed.as_of),
                    set,
                    as_of,
                    today,
                    explain,
                );
                for (_, o) in &after.outcomes {
                    st2.metrics.outcome(o.status());
                }
                let mut j = explain::case_json_in(&program, &after, lang);
                what_if.add_to(&mut j, &program, lang);
                (StatusCode::OK, j, Some(case))
            }
            Ok(rec) => {
                let date = AsOf::of(rec.as_of, as_of, today);
                let case = rec.id.clone().unwrap_or_else(|| "request".into());
                let report = explain::evaluate(&program, case.clone(), &rec.inputs, date, explain);
                for (_, o) in &report.outcomes {
                    st2.metrics.outcome(o.status());
                }
                let j = explain::case_json_in(&program, &report, lang);
                (StatusCode::OK, j, Some(case))
            }
            Err(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                invalid_json(&program, text, format, &e, None),
                rec_id(text, format),
            ),
        }
    })
    .await;
    match result {
        Ok((status, j, case)) => {
            let mut r = json_response(status, &j);
            if let Some(c) = case {
                r.extensions_mut().insert(CaseId(c));
            }
            r
        }
        Err(r) => r,
    }
}

/// The case id of a record that could not be read, for the access log.
fn rec_id(text: &str, format: Format) -> Option<String> {
    record::read_document(text, format, "")
        .ok()?
        .get("case")
        .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string))
}

/// `POST /v1/batch`: JSON Lines in, JSON Lines out, both streamed; memory
/// bounded by a chunk of lines at a time.
async fn batch(State(st): State<St>, req: Request) -> Response {
    let program = st.law();
    let (lang, as_of, explain) = match opts(&req) {
        Ok(o) => (o.lang, o.as_of, o.explain),
        Err(e) => return error(&program, StatusCode::BAD_REQUEST, &e),
    };
    let max_line = st.limits.max_line;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, Infallible>>(4);
    let mut stream = req.into_body().into_data_stream();
    let st2 = st.clone();
    tokio::spawn(async move {
        const CHUNK: usize = 256;
        let mut pending: Vec<u8> = Vec::new();
        let mut lines: Vec<(usize, Result<String, String>)> = Vec::new();
        let mut line_no = 0usize;
        let mut skipping = false;
        // The bytes at the start of `pending` known to hold no newline (a
        // long line arriving in many pieces is not searched again each time).
        let mut scanned = 0usize;
        let mut done = false;
        while !done {
            match stream.next().await {
                Some(Ok(bytes)) => pending.extend_from_slice(&bytes),
                _ => done = true,
            }
            // Whole lines out of what arrived; an overlong line is an error
            // in its place, the rest of it skipped.
            loop {
                let unsearched = pending.get(scanned..).unwrap_or_default();
                let nl = memchr::memchr(b'\n', unsearched).map(|i| i + scanned);
                let take = match nl {
                    Some(i) => i + 1,
                    None if done && !pending.is_empty() => pending.len(),
                    None => {
                        scanned = pending.len();
                        if pending.len() > max_line {
                            if !skipping {
                                line_no += 1;
                                lines.push((
                                    line_no,
                                    Err(format!("the line is longer than {max_line} bytes")),
                                ));
                            }
                            skipping = true;
                            pending.clear();
                            scanned = 0;
                        }
                        break;
                    }
                };
                let raw: Vec<u8> = pending.drain(..take).collect();
                scanned = 0;
                if skipping {
                    skipping = false;
                    continue;
                }
                line_no += 1;
                let text = match String::from_utf8(raw) {
                    Ok(t) => Ok(t.trim_end_matches(['\r', '\n']).to_string()),
                    // (Streamed: the answer has begun, so UTF-16 is said
                    // on the first line, whose error it is.)
                    Err(e) if line_no == 1 && record::is_utf16(e.as_bytes()) => {
                        Err(record::UTF16.to_string())
                    }
                    Err(_) => Err("not valid UTF-8".to_string()),
                };
                if matches!(&text, Ok(t) if record::without_bom(t).trim().is_empty()) {
                    continue;
                }
                if matches!(&text, Ok(t) if t.len() > max_line) {
                    lines.push((
                        line_no,
                        Err(format!("the line is longer than {max_line} bytes")),
                    ));
                } else {
                    lines.push((line_no, text));
                }
            }
            if lines.len() >= CHUNK || (done && !lines.is_empty()) {
                // (Shared, so that its lines are still at hand should the
                // task fail as a whole.)
                let chunk = Arc::new(std::mem::take(&mut lines));
                let lines_of_chunk = Arc::clone(&chunk);
                let program = st2.law();
                let st3 = st2.clone();
                let out = tokio::task::spawn_blocking(move || {
                    let writer = explain::CaseWriter::in_lang(&program, lang);
                    let mut out = Vec::with_capacity(chunk.len() * 2048);
                    for (n, text) in chunk.iter() {
                        let n = *n;
                        // A panic on one record (a defect in lsa) leaves an
                        // error object in its place; the others are written.
                        let one = explain::write_or_undo(&mut out, |out| match text {
                            Ok(text) => {
                                match record::read(&program, text, Format::Json, "request") {
                                    Ok(rec) => {
                                        let date = AsOf::of(rec.as_of, as_of, today);
                                        let case =
                                            rec.id.clone().unwrap_or_else(|| format!("line {n}"));
                                        let evaluated = explain::evaluated(
                                            &program,
                                            case,
                                            &rec.inputs,
                                            date,
                                            explain,
                                        );
                                        evaluated.each_status(|s| st3.metrics.outcome(s));
                                        writer.write_evaluated(out, &evaluated);
                                    }
                                    Err(e) => {
                                        let mut e = e;
                                        for err in &mut e.0 {
                                            err.line = u32::try_from(n).ok();
                                        }
                                        let j =
                                            invalid_json(&program, text, Format::Json, &e, Some(n));
                                        out.extend_from_slice(
                                            serde_json::to_string(&j)
                                                .unwrap_or_default()
                                                .as_bytes(),
                                        );
                                    }
                                }
                            }
                            Err(why) => {
                                let j = explain::error_json(
                                    &program,
                                    Json::Null,
                                    Some(n),
                                    None,
                                    "invalid",
                                    [json!({ "line": n, "path": "", "message": why })],
                                );
                                out.extend_from_slice(
                                    serde_json::to_string(&j).unwrap_or_default().as_bytes(),
                                );
                            }
                        });
                        if let Err(panic) = one {
                            internal_error(&mut out, &program, n, text, &*panic);
                        }
                        out.push(b'\n');
                    }
                    out
                })
                .await
                .unwrap_or_else(|e| {
                    // A panic outside any one record's work (none known):
                    // every line of the chunk still gets its line, an
                    // error object saying so.
                    let panic = match e.try_into_panic() {
                        Ok(panic) => panic,
                        Err(e) => Box::new(e.to_string()),
                    };
                    failed_chunk(&st2.law(), &lines_of_chunk, &*panic)
                });
                if tx.send(Ok(Bytes::from(out))).await.is_err() {
                    return; // the client went away
                }
            }
        }
    });
    let body = Body::from_stream(tokio_stream(rx));
    let mut r = Response::new(body);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    r
}

/// Appends the error object of line `n` (`text`), on which lsa failed (a
/// panic: a defect in lsa, never expected).
fn internal_error(
    out: &mut Vec<u8>,
    program: &Program,
    n: usize,
    text: &Result<String, String>,
    panic: &(dyn std::any::Any + Send),
) {
    let error = record::RecordError::internal("request", u32::try_from(n).ok(), panic);
    let case = match text {
        Ok(text) => record::case_id(text, Format::Json),
        Err(_) => Json::Null,
    };
    let j = explain::error_json(program, case, Some(n), None, "internal_error", [error]);
    out.extend_from_slice(serde_json::to_string(&j).unwrap_or_default().as_bytes());
}

/// The lines of a chunk lsa failed on as a whole (each with its number):
/// an error object for each, in order.
fn failed_chunk(
    program: &Program,
    lines: &[(usize, Result<String, String>)],
    panic: &(dyn std::any::Any + Send),
) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, text) in lines {
        internal_error(&mut out, program, *n, text, panic);
        out.push(b'\n');
    }
    out
}

/// A receiver as a stream.
fn tokio_stream<T: Send + 'static>(
    rx: tokio::sync::mpsc::Receiver<T>,
) -> impl futures_util::Stream<Item = T> + Send + 'static {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|v| (v, rx)) })
}

/// `POST /v1/diff?on=D1&vs=D2`: a case (or JSON Lines of cases) under the
/// server's law on two dates: which determinations change. Or
/// `POST /v1/diff?set=PATH=VALUE[&set=…][&as_of=D]`: each case as recorded
/// against the same case with the facts set (`lsa diff --set`).
async fn diff(State(st): State<St>, req: Request) -> Response {
    let program = st.law();
    let q = query(&req);
    let sets = match sets_of(&req) {
        Ok(s) => s,
        Err(e) => return error(&program, StatusCode::BAD_REQUEST, &e),
    };
    let plan = match (date_of(&q, "on"), date_of(&q, "vs"), lang_of(&q), date_of(&q, "as_of")) {
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return error(&program, StatusCode::BAD_REQUEST, &e)
        }
        (Ok(Some(a)), Ok(Some(b)), Ok(l), Ok(None)) if sets.is_empty() => {
            (Compare::Dates(a, b), l)
        }
        (Ok(None), Ok(None), Ok(l), Ok(as_of)) if !sets.is_empty() => {
            match record::FactsSet::new(&program, &sets, l) {
                Ok(facts) => (Compare::Facts(facts, as_of), l),
                Err(e) => return error(&program, StatusCode::BAD_REQUEST, &e),
            }
        }
        _ => {
            return error(
                &program,
                StatusCode::BAD_REQUEST,
                "give the two dates, ?on=YYYY-MM-DD&vs=YYYY-MM-DD, or facts to set, ?set=PATH=VALUE (with as_of=YYYY-MM-DD if you like), not both",
            )
        }
    };
    let (compare, lang) = plan;
    over_records(&st, req, move |records| {
        let words = explain::words::Words::new(&program, lang);
        let mut cases = Vec::new();
        let mut status = StatusCode::OK;
        for (line, t, fmt) in records {
            let line = line.unwrap_or(1);
            let read = record::read(&program, t, fmt, "request").and_then(|rec| match &compare {
                Compare::Facts(facts, _) => facts
                    .apply(&rec, lang)
                    .map(|set| (rec, Some(set)))
                    .map_err(|m| {
                        record::Invalid::from(record::RecordError::whole("request", m, None))
                    }),
                Compare::Dates(..) => Ok((rec, None)),
            });
            match read {
                Ok((rec, set)) => {
                    let (at_old, at_new) = match &compare {
                        Compare::Dates(a, b) => {
                            let at = |d| AsOf {
                                date: d,
                                from: AsOfFrom::Compared,
                            };
                            (at(*a), at(*b))
                        }
                        Compare::Facts(_, as_of) => (
                            AsOf::of(rec.as_of, *as_of, today),
                            AsOf::of(set.as_ref().and_then(|s| s.as_of), *as_of, today),
                        ),
                    };
                    let case = rec.id.clone().unwrap_or_else(|| format!("line {line}"));
                    let new_inputs = set.as_ref().map_or(&rec.inputs, |s| &s.inputs);
                    let old = explain::evaluate(&program, case.clone(), &rec.inputs, at_old, false);
                    let new = explain::evaluate(&program, case.clone(), new_inputs, at_new, false);
                    let mut changes = Vec::new();
                    for ((id, a), (_, b)) in old.outcomes.iter().zip(&new.outcomes) {
                        // (As `lsa diff`: the status and value.)
                        if !a.same_result(b, |x, y| x == y) {
                            let key = program
                                .decisions
                                .get(id.index())
                                .map(|d| &*d.key)
                                .unwrap_or_default();
                            let shown = |o: &crate::eval::Outcome| match o.value() {
                                Some(v) => explain::json_value(&program, v),
                                None => json!(o.status()),
                            };
                            changes.push(json!({
                                "determination": key,
                                "label": words.decision(*id),
                                "old": shown(a),
                                "new": shown(b),
                            }));
                        }
                    }
                    // The time limits whose acts differ (`act KEY`, as
                    // `lsa diff` keys them), each side's state by its key.
                    let acts_old =
                        crate::agenda::acts(&program, &rec.inputs, at_old.date, &old.outcomes);
                    let acts_new =
                        crate::agenda::acts(&program, new_inputs, at_new.date, &new.outcomes);
                    for (id, b) in &acts_new {
                        let Some((_, a)) = acts_old.iter().find(|(i, _)| i == id) else {
                            continue;
                        };
                        if a.same_state(b) {
                            continue;
                        }
                        let key = (program.decisions.get(id.index()))
                            .map(|d| &*d.key)
                            .unwrap_or_default();
                        let act = explain::report::Say(lang).pick(": the act", ": veiksmas");
                        changes.push(json!({
                            "determination": format!("act {key}"),
                            "label": format!("{}{act}", words.decision(*id)),
                            "old": a.key(),
                            "new": b.key(),
                        }));
                    }
                    // The warnings raised on one side only (`warning KEY`,
                    // as `lsa diff` keys them and words their states).
                    let raised =
                        |r: &explain::CaseReport, i| r.warnings.iter().any(|w| w.warning == i);
                    for (i, w) in program.warnings.iter().enumerate() {
                        let (a, b) = (raised(&old, i), raised(&new, i));
                        if a != b {
                            let state = |r: bool| if r { "raised" } else { "not raised" };
                            changes.push(json!({
                                "determination": format!("warning {}", w.key),
                                "label": words.def(w.def),
                                "old": state(a),
                                "new": state(b),
                            }));
                        }
                    }
                    cases.push(json!({ "case": case, "changes": changes }));
                }
                Err(e) => {
                    status = StatusCode::UNPROCESSABLE_ENTITY;
                    cases.push(invalid_json(&program, t, fmt, &e, Some(line)));
                }
            }
        }
        let changed = cases
            .iter()
            .filter(|c| c["changes"].as_array().is_some_and(|a| !a.is_empty()))
            .count();
        let mut j = json!({
            "law": explain::law_json(&program.provenance),
            "cases": cases.len(),
            "cases_changed": changed,
            "results": cases,
        });
        if let Some(m) = j.as_object_mut() {
            match &compare {
                Compare::Dates(a, b) => {
                    m.insert("on".into(), json!(crate::value::date_str(*a)));
                    m.insert("vs".into(), json!(crate::value::date_str(*b)));
                }
                Compare::Facts(..) => {
                    let set: Vec<String> = sets.iter().map(|(p, v)| format!("{p}={v}")).collect();
                    m.insert("set".into(), json!(set));
                }
            }
        }
        (status, j)
    })
    .await
}

/// What `/v1/diff` compares each case on: two dates, or the case as
/// recorded and with facts set (on the date `as_of` gives where the record
/// has none).
enum Compare {
    Dates(jiff::civil::Date, jiff::civil::Date),
    Facts(record::FactsSet, Option<jiff::civil::Date>),
}

/// The answer of a route that takes one case record or JSON Lines of them
/// (`/v1/diff`, `/v1/agenda`): the body read (bounded, UTF-8), then `f` on
/// the blocking pool with its records: each with its line number (none for
/// the one record of a body that is not JSON Lines) and its format.
async fn over_records(
    st: &St,
    req: Request,
    f: impl FnOnce(Vec<(Option<usize>, &str, Format)>) -> (StatusCode, Json) + Send + 'static,
) -> Response {
    let program = st.law();
    let (req, bytes) = match body(&program, req, st.limits.max_body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let ndjson = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("ndjson") || c.contains("jsonl"));
    let format = format_of(&req);
    let result = work(st, move || {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return (StatusCode::BAD_REQUEST, not_utf8(&bytes));
        };
        let records = if ndjson {
            text.lines()
                .enumerate()
                .filter(|(_, l)| !record::without_bom(l).trim().is_empty())
                .map(|(i, l)| (Some(i + 1), l, Format::Json))
                .collect()
        } else {
            vec![(None, text, format)]
        };
        f(records)
    })
    .await;
    match result {
        Ok((status, j)) => json_response(status, &j),
        Err(r) => r,
    }
}

/// `POST /v1/agenda?from=D1&to=D2`: a case (or JSON Lines of cases): the
/// dates the law sets for them from `from` (else `as_of`, else today) to
/// `to` (else two weeks later), in date order, and those not computed, as
/// `lsa agenda --format json` gives them (`open`: as with `--open`).
async fn agenda(State(st): State<St>, req: Request) -> Response {
    let program = st.law();
    let q = query(&req);
    let dates = (
        date_of(&q, "from"),
        date_of(&q, "to"),
        date_of(&q, "as_of"),
        lang_of(&q),
    );
    let (from, to, as_of, lang) = match dates {
        (Ok(f), Ok(t), Ok(a), Ok(l)) => match crate::agenda::window(f, t, a, today()) {
            Ok((f, t)) => (f, t, a, l),
            Err(e) => return error(&program, StatusCode::BAD_REQUEST, &e),
        },
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return error(&program, StatusCode::BAD_REQUEST, &e)
        }
    };
    let open_only = flag_of(&q, "open");
    over_records(&st, req, move |records| {
        let mut agenda = crate::agenda::Agenda::new(&program, from, to, true);
        agenda.open_only = open_only;
        for (line, t, fmt) in records {
            match record::read(&program, t, fmt, "request") {
                Ok(rec) => {
                    let case = rec.id.clone().unwrap_or_else(|| match line {
                        Some(n) => format!("line {n}"),
                        None => "request".to_string(),
                    });
                    agenda.add(case, &rec.inputs, AsOf::of(rec.as_of, as_of, today));
                }
                Err(e) => {
                    let j = invalid_json(&program, t, fmt, &e, line);
                    agenda.invalid.push(record::Unread {
                        error: j.to_string(),
                        ..record::Unread::default()
                    });
                }
            }
        }
        agenda.finish();
        let status = match agenda.invalid.is_empty() {
            true => StatusCode::OK,
            false => StatusCode::UNPROCESSABLE_ENTITY,
        };
        (status, agenda.to_json(lang))
    })
    .await
}

async fn schema(State(st): State<St>) -> Response {
    let program = st.law();
    json_response(StatusCode::OK, &record::json_schema(&program))
}

/// `GET /v1/law`: the law the server uses: its identity, sources,
/// determinations and warnings with their citations and labels, and its
/// params (periods, thresholds, national choices) with their values.
async fn law(State(st): State<St>) -> Response {
    let program = st.law();
    // A label in each language.
    let (en, lt) = (
        explain::words::Words::new(&program, Lang::En),
        explain::words::Words::new(&program, Lang::Lt),
    );
    let label =
        |say: &dyn Fn(&explain::words::Words) -> String| json!({ "en": say(&en), "lt": say(&lt) });
    let decisions: Vec<Json> = program
        .decisions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut j = json!({
                "key": &*d.key,
                "citation": d.citation.as_ref().map(|c| &*c.text),
                "label": label(&|w| w.decision(crate::check::ir::DecisionId(i as u32))),
                "doc": &*d.doc,
            });
            // What meets a time limit, by rule (`met by`): the facts of the
            // record that hold the day its act was done, and where the act
            // is owed only in some cases, the condition as written.
            let mut met_by = serde_json::Map::new();
            let mut owed_when = serde_json::Map::new();
            for r in d.rules.iter().filter(|r| !r.met_by.is_empty()) {
                let facts = crate::agenda::fact_paths(&program, &r.met_by.facts);
                met_by.insert(r.key.to_string(), json!(facts));
                if let Some(c) = &r.met_by.owed {
                    owed_when.insert(r.key.to_string(), json!(&*c.text));
                }
            }
            if let Json::Object(m) = &mut j {
                for (key, map) in [("met_by", met_by), ("owed_when", owed_when)] {
                    if !map.is_empty() {
                        m.insert(key.into(), Json::Object(map));
                    }
                }
            }
            j
        })
        .collect();
    let warnings: Vec<Json> = program
        .warnings
        .iter()
        .map(|w| {
            json!({
                "key": &*w.key,
                "citation": w.citation.as_ref().map(|c| &*c.text),
                "label": label(&|x| x.def(w.def)),
                "doc": program.defs.get(w.def.index()).map(|d| &*d.doc),
            })
        })
        .collect();
    // The periods, thresholds and national choices, each value with the
    // day from which it applies (`params:` in an expectation file, and an
    // amendment, change them).
    let params: Vec<Json> = program
        .params
        .iter()
        .map(|p| {
            let values: Vec<Json> = p
                .values
                .iter()
                .map(|(from, v)| json!({ "from": from.to_string(), "value": explain::json_value(&program, v) }))
                .collect();
            json!({
                "key": &*p.key,
                "citation": p.citation.as_ref().map(|c| &*c.text),
                "doc": p.doc,
                "values": values,
            })
        })
        .collect();
    let sources: Vec<Json> = program
        .sources
        .iter()
        .map(|s| json!({ "name": s.name, "title": s.title, "url": s.url }))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "law": explain::law_json(&program.provenance),
            "sources": sources,
            "decisions": decisions,
            "warnings": warnings,
            "params": params,
        }),
    )
}

async fn healthz() -> Response {
    (StatusCode::OK, "ok\n").into_response()
}

async fn metrics(State(st): State<St>) -> Response {
    let mut r = (StatusCode::OK, st.metrics.text()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    r
}

async fn openapi() -> Response {
    json_response(StatusCode::OK, &openapi_document())
}

async fn not_found(State(st): State<St>) -> Response {
    error(
        &st.law(),
        StatusCode::NOT_FOUND,
        "no such route (see /v1/openapi.json)",
    )
}

/// A route asked with a method it does not take: 405, in JSON as every
/// other error, with the law (axum adds the `Allow` header).
async fn method_not_allowed(
    State(st): State<St>,
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> Response {
    error(
        &st.law(),
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "`{}` does not take {method} (see /v1/openapi.json)",
            uri.path()
        ),
    )
}

/// The OpenAPI document of the routes ([`ROUTES`]).
pub fn openapi_document() -> Json {
    let record_body = json!({
        "required": true,
        "content": {
            "application/json": { "schema": { "$ref": "/v1/schema" } },
            "application/yaml": { "schema": { "$ref": "/v1/schema" } },
        }
    });
    let params = |names: &[&str]| -> Vec<Json> {
        names
            .iter()
            .map(|n| json!({ "name": n, "in": "query", "required": false, "schema": { "type": "string" } }))
            .collect()
    };
    let answer = |desc: &str| json!({ "description": desc, "content": { "application/json": {} } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "lsa decision service",
            "version": explain::LSA_VERSION,
            "description": "Decisions under Lithuania's Law on the Legal Status of Aliens and the EU Pact on Migration and Asylum. Every response names the law it used (x-lsa-law header, `law` in JSON bodies)."
        },
        "paths": {
            "/v1/check": { "post": {
                "summary": "One case record: every determination (the contract's JSON)",
                "parameters": params(&["explain", "lang", "as_of", "set"]),
                "requestBody": record_body,
                "responses": { "200": answer("the case"), "400": answer("bad parameters"), "413": answer("body too large"), "422": answer("the record is invalid: its error object"), "503": answer("busy or too slow") }
            }},
            "/v1/batch": { "post": {
                "summary": "JSON Lines of case records in, JSON Lines of cases (or error objects) out, streamed",
                "parameters": params(&["explain", "lang", "as_of"]),
                "requestBody": { "required": true, "content": { "application/x-ndjson": {} } },
                "responses": { "200": { "description": "one line per input line", "content": { "application/x-ndjson": {} } } }
            }},
            "/v1/diff": { "post": {
                "summary": "A case (or JSON Lines of cases) on two dates (on, vs), or as recorded and with facts set (set, repeatable, as `lsa diff --set`; as_of for records without a date): the determinations whose status or value changes, the time limits whose acts change (`act KEY`: in_time, late, pending, missed, not_owed, unknown), and the warnings raised on one side only (`warning KEY`: raised, not raised)",
                "parameters": [
                    { "name": "on", "in": "query", "required": false, "schema": { "type": "string", "format": "date" } },
                    { "name": "vs", "in": "query", "required": false, "schema": { "type": "string", "format": "date" } },
                    { "name": "set", "in": "query", "required": false, "schema": { "type": "string" }, "description": "PATH=VALUE, percent-encoded; repeatable; not with on and vs" },
                    { "name": "as_of", "in": "query", "required": false, "schema": { "type": "string", "format": "date" } },
                    { "name": "lang", "in": "query", "required": false, "schema": { "type": "string" } }
                ],
                "requestBody": record_body,
                "responses": { "200": answer("the changes"), "400": answer("bad parameters"), "413": answer("body too large"), "422": answer("an invalid record") }
            }},
            "/v1/agenda": { "post": {
                "summary": "A case (or JSON Lines of cases): the time limits and other dates the law sets for them in a window of days, in date order, and those not computed (as `lsa agenda --format json`)",
                "parameters": [
                    { "name": "from", "in": "query", "required": false, "schema": { "type": "string", "format": "date" } },
                    { "name": "to", "in": "query", "required": false, "schema": { "type": "string", "format": "date" } },
                    { "name": "as_of", "in": "query", "required": false, "schema": { "type": "string", "format": "date" } },
                    { "name": "lang", "in": "query", "required": false, "schema": { "type": "string" } },
                    { "name": "open", "in": "query", "required": false, "description": "only what is still to be done: leave out the time limits whose act the record says was done", "schema": { "type": "boolean" } }
                ],
                "requestBody": record_body,
                "responses": { "200": answer("the agenda"), "400": answer("bad parameters"), "413": answer("body too large"), "422": answer("the agenda, with an invalid record's error object") }
            }},
            "/v1/schema": { "get": { "summary": "The JSON Schema of the case record", "responses": { "200": answer("the schema") } } },
            "/v1/law": { "get": { "summary": "The law: identity, sources, determinations (with, for a time limit, the record facts that meet it, by rule) and warnings with citations and labels, and params (periods, thresholds, national choices) with each value and the day from which it applies", "responses": { "200": answer("the law") } } },
            "/v1/openapi.json": { "get": { "summary": "This document", "responses": { "200": answer("OpenAPI 3") } } },
            "/healthz": { "get": { "summary": "Liveness", "responses": { "200": { "description": "ok", "content": { "text/plain": {} } } } } },
            "/metrics": { "get": { "summary": "Prometheus metrics", "responses": { "200": { "description": "text exposition", "content": { "text/plain": {} } } } } }
        }
    })
}

/// Every response names the law and lsa's version; every request gets one
/// JSON line on standard error (never the record's data).
async fn frame(State(st): State<St>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut r = next.run(req).await;
    let program = st.law();
    if let Ok(v) = HeaderValue::from_str(&program.provenance.hash) {
        r.headers_mut().insert("x-lsa-law", v);
    }
    r.headers_mut().insert(
        "x-lsa-version",
        HeaderValue::from_static(explain::LSA_VERSION),
    );
    let took = started.elapsed();
    let status = r.status().as_u16();
    let route = if ROUTES.iter().any(|(_, p)| *p == path) {
        path.as_str()
    } else {
        "other"
    };
    st.metrics.record(route, status, took);
    let case = r.extensions().get::<CaseId>().map(|c| c.0.clone());
    let log = json!({
        "time": jiff::Timestamp::now().to_string(),
        "method": method.as_str(),
        "path": path,
        "status": status,
        "ms": (took.as_secs_f64() * 1e3 * 1000.0).round() / 1000.0,
        "case": case,
    });
    crate::cli::log_line(&log.to_string());
    r
}

/// The service, over a law and its loader.
fn router(st: St) -> Router {
    Router::new()
        .route("/v1/check", post(check))
        .route("/v1/batch", post(batch))
        .route("/v1/diff", post(diff))
        .route("/v1/agenda", post(agenda))
        .route("/v1/schema", get(schema))
        .route("/v1/law", get(law))
        .route("/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(st.clone(), frame))
        .with_state(st)
}

/// Reads the law again: kept if it compiles, refused (the old law kept,
/// why logged) if not.
fn reload(st: &St) {
    match (st.loader)() {
        Ok(program) => {
            let hash = program.provenance.hash.clone();
            if let Ok(mut l) = st.law.write() {
                *l = Arc::new(program);
            }
            st.metrics.reloads_ok.fetch_add(1, Ordering::Relaxed);
            crate::cli::log_line(
                &json!({ "event": "reload", "result": "ok", "law": hash }).to_string(),
            );
        }
        Err(why) => {
            st.metrics.reloads_refused.fetch_add(1, Ordering::Relaxed);
            let kept = st.law().provenance.hash.clone();
            crate::cli::log_line(
                &json!({ "event": "reload", "result": "refused", "kept": kept, "diagnostics": why }).to_string(),
            );
        }
    }
}

/// Serves until SIGTERM or SIGINT (in-flight requests finish); SIGHUP
/// reloads the law. Announces the address on standard error.
pub fn run(
    addr: &str,
    program: Program,
    loader: Loader,
    limits: Limits,
    origin: Option<PathBuf>,
) -> Result<(), String> {
    // Every request is evaluated on the runtime's blocking threads: they
    // get the stack the CLI evaluates on (tokio's own 2 MiB does not hold
    // the deepest program the checker lets through, and a stack overflow
    // ends the whole server).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(crate::cli::STACK_BYTES)
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        let st: St = Arc::new(Shared {
            law: RwLock::new(Arc::new(program)),
            loader,
            permits: tokio::sync::Semaphore::new(limits.concurrency.max(1)),
            limits,
            metrics: Metrics::default(),
        });
        // The signals are watched from here on, before the server answers
        // anything: watched only once a task first ran, a SIGTERM sent as
        // soon as the server answered could still end it the default way
        // (seen once in CI).
        #[cfg(unix)]
        let (mut hangup, mut term, mut interrupt) = {
            use tokio::signal::unix::{signal, SignalKind};
            let watch = |kind: SignalKind, name: &str| {
                signal(kind).map_err(|e| format!("cannot watch {name}: {e}"))
            };
            (
                watch(SignalKind::hangup(), "SIGHUP")?,
                watch(SignalKind::terminate(), "SIGTERM")?,
                watch(SignalKind::interrupt(), "SIGINT")?,
            )
        };
        #[cfg(unix)]
        {
            let hup = st.clone();
            tokio::spawn(async move {
                while hangup.recv().await.is_some() {
                    let st = hup.clone();
                    let _ = tokio::task::spawn_blocking(move || reload(&st)).await;
                }
            });
        }
        let from = origin
            .map(|o| format!(" ({})", o.display()))
            .unwrap_or_default();
        crate::cli::log_line(&format!(
            "lsa serve: listening on http://{local}{from}; SIGHUP reloads the law, SIGTERM stops"
        ));
        // Small answers go out at once (no waiting to fill a packet).
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, router(st))
            .with_graceful_shutdown(async move {
                #[cfg(unix)]
                {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = interrupt.recv() => {}
                    }
                }
                #[cfg(not(unix))]
                {
                    let _ = tokio::signal::ctrl_c().await;
                }
            })
            .await
            .map_err(|e| format!("server: {e}"))
    })
}

#[cfg(test)]
#[allow(
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test: it stops where the shipped rules do not compile, and reads JSON by key"
)]
mod tests {
    use super::*;

    /// A chunk lsa fails on as a whole (a panic outside any one record's
    /// work: none is known, so one is made here) still gives every one of
    /// its lines an error object, in order, saying what failed.
    #[test]
    fn a_chunk_lsa_fails_on_gives_every_line_its_error_object() {
        let Some(program) = crate::shipped::compile().program else {
            panic!("the shipped rules compile");
        };
        let panic: Box<dyn std::any::Any + Send> = Box::new("a chunk's buffer");
        let lines = [
            (3, Ok(r#"{"case": "LT-3", "applicant": {}}"#.to_string())),
            (4, Ok("not JSON".to_string())),
            (7, Err("not valid UTF-8".to_string())),
        ];
        let out = failed_chunk(&program, &lines, &*panic);
        let lines: Vec<Json> = out
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap_or_default())
            .collect();
        assert_eq!(lines.len(), 3);
        for (line, n) in lines.iter().zip([3, 4, 7]) {
            assert_eq!(line["line"], n);
            assert_eq!(line["status"], "internal_error");
            assert_eq!(line["errors"][0]["line"], n);
            assert_eq!(
                line["errors"][0]["message"],
                "lsa failed while evaluating this record: a chunk's buffer"
            );
        }
        // The case, where the line names it, to match the error to.
        let cases: Vec<&Json> = lines.iter().map(|l| &l["case"]).collect();
        assert_eq!(cases, [&json!("LT-3"), &Json::Null, &Json::Null]);
        assert!(out.ends_with(b"\n"));
    }
}
