//! Links the `cjm` binary as a position-dependent executable.
//!
//! A position-independent one starts by relocating about 27,000 pointers in its tables
//! (one dirty page each few hundred), which costs a short query a few hundred
//! microseconds and a hundred page faults on every run; linked at a fixed address, those
//! pointers are final in the file. Shared libraries, the heap and the stack stay
//! randomised.

fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
