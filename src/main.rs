//! The `igf-scheduler` binary; see `igf-scheduler --help`.

fn main() -> std::process::ExitCode {
    igf_scheduler::telemetry::init();
    match igf_scheduler::cli::main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
