//! The ceiling for the load test: a bare actix-web "hello" handler on the same machine, measured
//! in the same run as hailong (see benches/load.sh). `HELLO_LISTEN` sets the address.

use actix_web::{App, HttpServer, web};

fn main() -> std::io::Result<()> {
    let listen = std::env::var("HELLO_LISTEN").unwrap_or_else(|_| "127.0.0.1:18099".into());
    let workers: usize = std::env::var("HELLO_WORKERS").ok().and_then(|w| w.parse().ok()).unwrap_or(2);
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(|| App::new().route("/", web::get().to(|| async { "hello" })))
            .workers(workers)
            .bind(&listen)?
            .run()
            .await
    })
}
