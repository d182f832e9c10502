//! Builds the Wasm runtime blob that the node embeds (`WASM_BINARY`).
#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The builder is off when this crate is itself compiled for Wasm.
#[cfg(not(feature = "std"))]
fn main() {}
