//! CLI verbs: serve (the web workspace) and demo (a ready demo workspace, served).

use std::net::SocketAddr;
use std::path::PathBuf;

use cjm_server::{ServerConfig, demo};

use crate::{Failure, user};

/// Arguments of `cjm serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The workspace folder (database, event stores); created when missing.
    #[arg(long, default_value = "cjm-workspace")]
    workspace: PathBuf,
    /// Where to listen. On 127.0.0.1 the local owner is signed in automatically;
    /// any other address requires an account.
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: SocketAddr,
    /// Require signing in even on 127.0.0.1.
    #[arg(long)]
    no_auto_login: bool,
    /// Create (or reset) an owner account with this email before serving; the password
    /// is read from the CJM_OWNER_PASSWORD environment variable.
    #[arg(long, value_name = "EMAIL")]
    owner: Option<String>,
}

/// Runs `cjm serve`.
pub fn serve(args: ServeArgs) -> Result<(), Failure> {
    let mut config = ServerConfig::new(args.workspace.clone(), args.addr);
    config.auto_login = config.auto_login && !args.no_auto_login;
    let state = cjm_server::open(&config).map_err(user)?;
    if let Some(email) = &args.owner {
        let password = std::env::var("CJM_OWNER_PASSWORD").map_err(|_| {
            user(anyhow::anyhow!(
                "--owner {email} needs the password in the CJM_OWNER_PASSWORD environment variable"
            ))
        })?;
        cjm_server::add_owner(&state, email, &password).map_err(user)?;
        eprintln!("owner account {email} is ready");
    }
    let workspace = args.workspace.display().to_string();
    let auto = config.auto_login;
    cjm_server::run(config, state, |url| {
        println!("cjm workspace {workspace} at {url}");
        if !auto {
            println!("sign in with an account (create one with --owner EMAIL)");
        }
        println!("press Ctrl-C to stop");
    })
    .map_err(|e| Failure::Internal(e.into()))
}

/// Arguments of `cjm demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// The demo workspace folder (default: cjm-demo in the OS data folder, else ./cjm-demo).
    #[arg(long)]
    workspace: Option<PathBuf>,
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: SocketAddr,
    /// Do not open a browser.
    #[arg(long)]
    no_open: bool,
    /// The language of the demo maps: en, ru, zh or pl.
    #[arg(long, default_value = "en")]
    lang: String,
}

/// Runs `cjm demo`.
pub fn demo(args: DemoArgs) -> Result<(), Failure> {
    let dir = args.workspace.unwrap_or_else(demo::default_dir);
    let config = ServerConfig::new(dir.clone(), args.addr);
    if !config.auto_login {
        return Err(user(anyhow::anyhow!(
            "cjm demo signs you in automatically, so it only listens on 127.0.0.1 or ::1; use `cjm serve` for {}",
            args.addr
        )));
    }
    let state = cjm_server::open(&config).map_err(user)?;
    let contents = demo::populate(&state, &args.lang).map_err(|e| Failure::Internal(e.into()))?;
    println!(
        "demo workspace {} ({}): maps {}",
        dir.display(),
        if contents.created {
            "created"
        } else {
            "reopened"
        },
        contents.maps.join(", ")
    );
    let open = !args.no_open;
    cjm_server::run(config, state, |url| {
        println!("open {url}");
        println!("press Ctrl-C to stop");
        if open {
            open_browser(url);
        }
    })
    .map_err(|e| Failure::Internal(e.into()))
}

/// Asks the desktop to open `url`; failing to is not an error (the URL is printed).
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(target_os = "windows") {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open")
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
    };
    if command.is_err() {
        eprintln!("(could not open a browser; visit the URL above)");
    }
}
