//! A bare server over one workspace, without the rest of the CLI: `cjm-server DIR [ADDR]`.
//!
//! It never signs anyone in automatically and prints the URL it listens on as its first
//! line, which is what the crash test needs from a separate process; people use `cjm serve`.

use std::net::SocketAddr;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: cjm-server WORKSPACE_DIR [ADDR]");
        return ExitCode::from(1);
    };
    let addr: SocketAddr = match args.next().unwrap_or_else(|| "127.0.0.1:0".into()).parse() {
        Ok(addr) => addr,
        Err(error) => {
            eprintln!("error: bad address: {error}");
            return ExitCode::from(1);
        }
    };
    let mut config = cjm_server::ServerConfig::new(dir.into(), addr);
    config.auto_login = false;
    let served = cjm_server::open(&config).and_then(|state| {
        cjm_server::run(config, state, |url| {
            println!("{url}");
        })
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
