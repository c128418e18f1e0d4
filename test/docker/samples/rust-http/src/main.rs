//! A standard-library HTTP server: the Rust sample the rewrite tests build three ways.
use std::io::{Read, Write};
use std::net::TcpListener;

fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let greeting = std::env::var("GREETING").unwrap_or_else(|_| "hello".to_string());
    let listener = TcpListener::bind(format!("0.0.0.0:{port}")).expect("bind");
    // A note is counted, not stored: the body may arrive after the first read.
    let mut notes: usize = 0;
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(stream) => stream,
            Err(_) => continue,
        };
        let mut request = [0u8; 4096];
        let read = stream.read(&mut request).unwrap_or(0);
        let text = String::from_utf8_lossy(&request[..read]).to_string();
        if text.starts_with("POST ") && text.ends_with("\r\n\r\n") {
            // Read the body that came in a second packet, so closing does not reset the connection.
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(300)));
            let _ = stream.read(&mut request);
        }
        let (status, body) = if text.starts_with("POST /notes ") {
            notes += 1;
            ("201 Created", format!("note {notes}\n"))
        } else if text.starts_with("GET /notes ") {
            ("200 OK", format!("{notes} notes\n"))
        } else {
            ("200 OK", format!("{greeting} from rust\n"))
        };
        let response = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n{body}", body.len());
        let _ = stream.write_all(response.as_bytes());
    }
}
