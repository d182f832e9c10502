//! Command-line interface of `custos-node`.

use sc_cli::RunCmd;

/// Custos node. Without a subcommand it runs the node: `custos-node --dev` starts a
/// single-validator development chain with JSON-RPC on 127.0.0.1:9944.
#[derive(Debug, clap::Parser)]
#[command(after_help = AFTER_HELP)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,

	#[clap(flatten)]
	pub custodian: CustodianParams,
}

/// Bounds on what the custodian service takes from strangers over `custos_depositShare`.
#[derive(Debug, Clone, clap::Args)]
pub struct CustodianParams {
	/// Most bytes of held shares (custodian-held escrows) this node stores, in MiB. A deposit
	/// that would go over is refused; shares the chain no longer needs are removed.
	#[arg(long, value_name = "MIB", default_value_t = 1024)]
	pub custodian_store_quota: u64,

	/// Most share deposits this node takes per minute (in bursts of a quarter of that);
	/// more are refused with "try again in N ms".
	#[arg(long, value_name = "COUNT", default_value_t = 600)]
	pub custodian_deposits_per_minute: u32,
}

impl CustodianParams {
	/// The limits the custodian service applies.
	pub fn limits(&self) -> crate::custodian::limits::DepositLimits {
		crate::custodian::limits::DepositLimits {
			store_quota: self.custodian_store_quota.saturating_mul(1024 * 1024),
			per_minute: self.custodian_deposits_per_minute,
		}
	}
}

const AFTER_HELP: &str = "\
Chains:
  --dev                 one validator (Alice), 2-second blocks, temporary state
  --chain local         four validators (alice, bob, charlie, dave), 6-second blocks;
                        alice..eve are certified custodians; production escrow floors
                        (Argon2id 64 MiB and 3 passes, recovery delay 600 blocks)
  --chain local-short-delay
                        the same with a 2-block delay floor, for tests and benchmarks
  --chain <file.json>   a chain spec exported with `custos-node export-chain-spec`

Custodian keys (key type `cust`): an sr25519 account key that signs releases and an
ed25519 key whose X25519 form shares are sealed to. `--alice`, `--bob`, ... insert the dev
ones. For a real custodian, insert your own and have a CA certify the sealing key:
  custos-node key insert --base-path <dir> --chain <chain> --key-type cust --scheme sr25519
  custos-node key insert --base-path <dir> --chain <chain> --key-type cust --scheme ed25519
  custos ca issue --signer <CA> --role custodian --from-node ws://<this node's RPC>
The certificate needs this node's proof that it holds the sealing key, which
`custos_custodian` over JSON-RPC gives (with whether the chain certifies its keys; the
node logs that too).

Examples:
  custos-node --dev
  custos-node --chain local --alice --validator --base-path /tmp/alice --node-key <hex>";

/// Maintenance subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities (generate, inspect, insert into the keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Write a chain specification (JSON) for a built-in chain, to edit or share.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
