//! A minimal W3C WebDriver client for tauri-driver (which fronts
//! WebKitWebDriver on Linux): enough to find, click, type, read and wait.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    process: Child,
    base: String,
    http: reqwest::blocking::Client,
}

pub struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Driver {
    /// Starts tauri-driver with `env` (inherited by WebKitWebDriver and the app).
    pub fn start(env: &[(&str, String)]) -> Driver {
        let port = free_port();
        let mut command = Command::new("tauri-driver");
        command
            .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let process = command.spawn().expect(
            "tauri-driver must be installed (cargo install tauri-driver --locked) with WebKitWebDriver (Debian webkit2gtk-driver)",
        );
        let driver = Driver {
            process,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().unwrap(),
        };
        let started = Instant::now();
        while driver.http.get(format!("{}/status", driver.base)).send().is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "tauri-driver did not start listening");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    pub fn session(&self, application: &str) -> Session<'_> {
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": application}}}});
        let reply: Value = self.http.post(format!("{}/session", self.base)).json(&caps).send().unwrap().json().unwrap();
        let id = reply["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {reply}")).to_owned();
        Session { driver: self, id }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Session<'_> {
    pub fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{}", self.driver.base, self.id, path);
        let mut request = self.driver.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply: Value = request.send().unwrap().json().unwrap();
        reply["value"].clone()
    }

    fn find(&self, css: &str) -> Option<String> {
        let value = self.call(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})));
        value[ELEMENT_KEY].as_str().map(str::to_owned)
    }

    /// Waits until `css` matches a displayed element; panics with `why`.
    pub fn wait_for(&self, css: &str, timeout: Duration, why: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(element) = self.find(css) {
                if self.call(reqwest::Method::GET, &format!("/element/{element}/displayed"), None) == json!(true) {
                    return element;
                }
            }
            if started.elapsed() > timeout {
                let _ = self.screenshot("tests/e2e/artifacts/failure.png");
                panic!("timed out waiting for {css}: {why}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn click(&self, element: &str) {
        self.call(reqwest::Method::POST, &format!("/element/{element}/click"), Some(json!({})));
    }

    pub fn text(&self, element: &str) -> String {
        self.call(reqwest::Method::GET, &format!("/element/{element}/text"), None).as_str().unwrap_or_default().to_owned()
    }

    pub fn attribute(&self, element: &str, name: &str) -> Option<String> {
        self.call(reqwest::Method::GET, &format!("/element/{element}/attribute/{name}"), None).as_str().map(str::to_owned)
    }

    pub fn count(&self, css: &str) -> usize {
        let value = self.call(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css})));
        value.as_array().map_or(0, Vec::len)
    }

    /// Polls `read` until `done` holds; returns the last value.
    pub fn eventually<T: std::fmt::Debug>(&self, timeout: Duration, why: &str, read: impl Fn() -> T, done: impl Fn(&T) -> bool) -> T {
        let started = Instant::now();
        loop {
            let value = read();
            if done(&value) {
                return value;
            }
            if started.elapsed() > timeout {
                let _ = self.screenshot("tests/e2e/artifacts/failure.png");
                panic!("{why} (last seen: {value:?})");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Runs `script` in the page (its `arguments` are `args`) and returns what it returns.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Clicks through the DOM rather than at a point: for controls such as
    /// Mantine's Switch whose real input is visually hidden under a track.
    pub fn click_css(&self, css: &str) {
        let script = "const el = document.querySelector(arguments[0]); if (!el) return false; el.click(); return true;";
        let clicked = self.execute(script, json!([css]));
        assert_eq!(clicked, json!(true), "nothing matches {css}");
    }

    /// Types `text` into a field as a keyboard would, after what it holds.
    pub fn type_into(&self, element: &str, text: &str) {
        self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(json!({"text": text})));
    }

    /// `name` of every element `css` matches, in document order.
    pub fn attributes(&self, css: &str, name: &str) -> Vec<Option<String>> {
        let value = self.call(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css})));
        value.as_array().into_iter().flatten().filter_map(|e| e[ELEMENT_KEY].as_str()).map(|id| self.attribute(id, name)).collect()
    }

    /// Every element `css` matches, in document order.
    pub fn elements(&self, css: &str) -> Vec<String> {
        let value = self.call(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css})));
        value.as_array().into_iter().flatten().filter_map(|e| e[ELEMENT_KEY].as_str().map(str::to_owned)).collect()
    }

    /// Sets an input's value as the browser's own editor does (the native
    /// setter, then an `input` event React listens to): for date fields
    /// whose per-segment editor doesn't take typed text.
    pub fn set_input_value(&self, css: &str, value: &str) {
        let script = "const el = document.querySelector(arguments[0]); if (!el) return false; \
            const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set; \
            setter.call(el, arguments[1]); el.dispatchEvent(new Event('input', { bubbles: true })); return true;";
        let done = self.execute(script, json!([css, value]));
        assert_eq!(done, json!(true), "nothing matches {css}");
    }

    /// The window's current URL (the app's route is in its hash).
    pub fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None).as_str().unwrap_or_default().to_owned()
    }

    /// The browser's Back, as the merchant's mouse button or Alt+Left would.
    pub fn back(&self) {
        self.call(reqwest::Method::POST, "/back", Some(json!({})));
    }

    pub fn screenshot(&self, path: &str) -> std::io::Result<()> {
        use base64::Engine;
        let data = self.call(reqwest::Method::GET, "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .map_err(std::io::Error::other)?;
        if let Some(dir) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, bytes)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.http.delete(format!("{}/session/{}", self.driver.base, self.id)).send();
    }
}
