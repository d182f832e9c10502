//! `custos-node`: the Custos full node (Aura + GRANDPA, ParityDB, JSON-RPC) and custodian.

mod chain_spec;
mod cli;
mod command;
mod custodian;
mod custos_rpc;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
