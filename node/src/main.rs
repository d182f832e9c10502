//! `custos-node`: the Custos full node (Aura + GRANDPA, ParityDB, JSON-RPC) and custodian.

mod chain_spec;
mod cli;
mod client;
mod command;
mod custodian;
mod measurement;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
