//! Load on `lsa serve` from a client on localhost: `cargo bench --bench
//! serve`. Starts the release binary on an ephemeral port, sends
//! `LSA_SERVE_REQUESTS` (10,000) `POST /v1/check` requests from
//! `LSA_SERVE_CLIENTS` (8) keep-alive connections, checks every answer, and
//! reports throughput and latency percentiles; then sends 100 malformed and
//! 100 oversized requests at once and checks each gets a 4xx and the server
//! still answers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One request on a kept-alive connection; the status and body.
fn call(
    s: &mut BufReader<TcpStream>,
    path: &str,
    ct: &str,
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let w = s.get_mut();
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    w.write_all(&request)?;
    let mut line = String::new();
    s.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        s.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; len];
    s.read_exact(&mut body)?;
    Ok((status, body))
}

fn main() {
    let requests = env("LSA_SERVE_REQUESTS", 10_000);
    let clients = env("LSA_SERVE_CLIENTS", 8).max(1);
    let repo = env!("CARGO_MANIFEST_DIR");
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "lsa"])
        .current_dir(repo)
        .status()
        .expect("cargo");
    assert!(status.success());
    let mut child = Command::new(format!("{repo}/target/release/lsa"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(repo)
        .stderr(Stdio::piped())
        .spawn()
        .expect("lsa serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("server stopped").unwrap();
        if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
            break rest
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    let case = std::fs::read(format!("{repo}/tests/examples/border-low-recognition.yaml")).unwrap();
    let connect = || BufReader::new(TcpStream::connect(("127.0.0.1", port)).unwrap());
    // Warm up, and the answer every request must give.
    let (s, expected) = call(&mut connect(), "/v1/check", "application/yaml", &case).unwrap();
    assert_eq!(s, 200);
    let expected: serde_json::Value = serde_json::from_slice(&expected).unwrap();

    let started = Instant::now();
    let per = requests / clients;
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let case = case.clone();
            let expected = expected["outcomes"].clone();
            std::thread::spawn(move || {
                let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut conn = BufReader::new(stream);
                let mut times = Vec::with_capacity(per);
                let mut wrong = 0usize;
                for _ in 0..per {
                    let t = Instant::now();
                    match call(&mut conn, "/v1/check", "application/yaml", &case) {
                        Ok((200, body)) => {
                            let j: serde_json::Value =
                                serde_json::from_slice(&body).unwrap_or_default();
                            if j["outcomes"] != expected {
                                wrong += 1;
                            }
                        }
                        _ => wrong += 1,
                    }
                    times.push(t.elapsed());
                }
                (times, wrong)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut wrong = 0;
    for h in handles {
        let (t, w) = h.join().unwrap();
        times.extend(t);
        wrong += w;
    }
    let wall = started.elapsed();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    let n = times.len();

    // Abuse, all at once: malformed and oversized bodies.
    let big = vec![b'{'; 2 << 20];
    let abuse: Vec<_> = (0..200)
        .map(|i| {
            let big = big.clone();
            std::thread::spawn(move || {
                // As an HTTP client does: the answer is read while the body
                // is still being sent (the server answers 413 from the
                // length alone and stops reading).
                let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                let body: Vec<u8> = if i % 2 == 0 { b"{\"applicant\": [1, 2".to_vec() } else { big };
                let mut w = stream.try_clone().unwrap();
                let writer = std::thread::spawn(move || {
                    let head = format!(
                        "POST /v1/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let _ = w.write_all(head.as_bytes()).and_then(|_| w.write_all(&body));
                });
                let mut r = BufReader::new(stream);
                let mut line = String::new();
                let _ = r.read_line(&mut line);
                let _ = writer.join();
                line.split(' ').nth(1).and_then(|c| c.parse::<u16>().ok()).unwrap_or(0)
            })
        })
        .collect();
    let statuses: Vec<u16> = abuse.into_iter().map(|h| h.join().unwrap()).collect();
    let four = statuses.iter().filter(|s| (400..500).contains(*s)).count();
    let (after, _) = call(&mut connect(), "/v1/check", "application/yaml", &case).unwrap();
    let _ = child.kill();
    let _ = child.wait();

    println!("lsa serve load: {n} requests of POST /v1/check from {clients} keep-alive clients on localhost, 2 cores");
    println!("| measure | value |\n|---|---|");
    println!(
        "| throughput | {:.0} requests/s ({:.2} s) |",
        n as f64 / wall.as_secs_f64(),
        wall.as_secs_f64()
    );
    println!("| latency p50 | {:.2} ms |", pct(0.50).as_secs_f64() * 1e3);
    println!("| latency p90 | {:.2} ms |", pct(0.90).as_secs_f64() * 1e3);
    println!("| latency p99 | {:.2} ms |", pct(0.99).as_secs_f64() * 1e3);
    println!(
        "| latency max | {:.2} ms |",
        times[n - 1].as_secs_f64() * 1e3
    );
    println!("| wrong or lost answers | {wrong} |");
    println!("| 200 malformed or oversized requests at once | {four} answered 4xx |");
    println!("| answers after them | {after} |");
    assert_eq!(wrong, 0, "answers lost or wrong");
    assert_eq!(four, statuses.len(), "{statuses:?}");
    assert_eq!(after, 200);
}
