//! `sellkit`: see the `sellkit_cli` library, which the Python and Node packages run too.

fn main() {
    std::process::exit(sellkit_cli::main(std::env::args_os()));
}
