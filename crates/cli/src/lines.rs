//! JSON lines in, JSON lines out: one answer per input line, in order. A line that
//! cannot be read is answered with `{"error":{"line":N,"message":"…"}}` and makes the
//! run exit with status 2 once every line has been answered.

use std::io::{BufRead, Write};

use crate::Fail;

/// Answer every non-empty stdin line with `f(line number, line)`.
pub fn each(mut f: impl FnMut(usize, &str) -> Result<String, String>) -> Result<bool, Fail> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut clean = true;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let answer = f(n + 1, line).unwrap_or_else(|message| {
            clean = false;
            serde_json::json!({"error": {"line": n + 1, "message": message}}).to_string()
        });
        writeln!(out, "{answer}")?;
    }
    out.flush()?;
    Ok(clean)
}
