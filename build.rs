//! Compiles the built-in model in when `models/newswire-default.nwm` exists.

fn main() {
    let model = std::path::Path::new("models/newswire-default.nwm");
    println!("cargo::rustc-check-cfg=cfg(newswire_builtin_model)");
    println!("cargo::rerun-if-changed=models/newswire-default.nwm");
    println!("cargo::rerun-if-changed=models");
    if model.is_file() {
        println!("cargo::rustc-cfg=newswire_builtin_model");
    }
}
