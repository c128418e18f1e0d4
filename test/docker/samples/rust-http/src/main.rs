//! A standard-library HTTP server: the Rust sample the rewrite tests build three ways.
use std::io::{Read, Write};
use std::net::TcpListener;

fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let greeting = std::env::var("GREETING").unwrap_or_else(|_| "hello".to_string());
    let listener = TcpListener::bind(format!("0.0.0.0:{port}")).expect("bind");
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(stream) => stream,
            Err(_) => continue,
        };
        let mut request = [0u8; 1024];
        let _ = stream.read(&mut request);
        let body = format!("{greeting} from rust\n");
        let response = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n{body}", body.len());
        let _ = stream.write_all(response.as_bytes());
    }
}
