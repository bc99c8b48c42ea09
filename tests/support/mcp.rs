//! A real MCP client for the tests: the official Python SDK (`mcp` on PyPI), driven by
//! `tests/mcp/client.py` against the real `renova mcp`, with this profile's environment.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::{Env, renova_bin};

/// The Python that has the `mcp` SDK: `RENOVA_TEST_PYTHON` (scripts/test makes a venv), else
/// the `python3` on PATH if it has it. Fails saying what to install when none does.
pub fn python() -> PathBuf {
    let candidate = std::env::var_os("RENOVA_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("python3"));
    let out = Command::new(&candidate)
        .args([
            "-c",
            "import sys, importlib.metadata as m; print(sys.executable); print(m.version('mcp'))",
        ])
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout).to_string();
            PathBuf::from(text.lines().next().unwrap_or_default())
        }
        _ => panic!(
            "the MCP tests need Python with the official MCP SDK: run scripts/test (it makes \
             target/test-python with `pip install mcp==2.3.0`), or `pip install mcp==2.3.0` and \
             set RENOVA_TEST_PYTHON to that python"
        ),
    }
}

/// Runs `plan`'s steps in one MCP session as client `name`; the client's report.
pub fn session(env: &Env, name: &str, steps: Value) -> Value {
    session_with(env, name, steps, &[])
}

/// [`session`] with more environment variables for `renova mcp`.
pub fn session_with(env: &Env, name: &str, steps: Value, vars: &[(&str, &str)]) -> Value {
    let mut plan = json!({"name": name, "version": "9.9.9"});
    plan["steps"] = steps;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mcp/client.py");
    let mut cmd = Command::new(python());
    env.apply_env(&mut cmd);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.arg(script)
        .arg(renova_bin())
        .arg("mcp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start the MCP client");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(plan.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the MCP client failed: {stderr}\n{stdout}"
    );
    let mut report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    report["stderr"] = Value::String(stderr.into_owned());
    report
}

/// One tool call's step.
pub fn call(tool: &str, args: Value) -> Value {
    let mut step = json!({"tool": tool});
    step["args"] = args;
    step
}
